"""Config files (finding, loading, strict validation, checker tables, CLI overrides) and selectors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.config import (
    Config,
    ConfigError,
    apply_overrides,
    find_config,
    load_config,
    validate_plugin_tables,
)
from ethicslint.model import Severity
from ethicslint.options import Option, type_problem
from ethicslint.selection import is_enabled, selector_matches, validate_selector

FIXTURES = Path(__file__).parent / "fixtures" / "config"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- finding --------------------------------------------------------------------------------

def test_config_is_found_by_walking_up_from_a_file(tmp_path):
    (tmp_path / ".git").mkdir()
    config = write(tmp_path / ".ethicslint.toml", "")
    page = write(tmp_path / "site" / "fr" / "index.md", "Bonjour")
    assert find_config(page) == config
    assert find_config(page.parent) == config


def test_pyproject_without_the_table_is_skipped(tmp_path):
    (tmp_path / ".git").mkdir()
    outer = write(tmp_path / "pyproject.toml", "[tool.ethicslint]\nignore = ['DIV']\n")
    write(tmp_path / "app" / "pyproject.toml", "[project]\nname = 'app'\n[tool.ruff]\nline-length = 99\n")
    assert find_config(tmp_path / "app") == outer


def test_dotfile_wins_over_pyproject_in_the_same_directory(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[tool.ethicslint]\n")
    dotfile = write(tmp_path / ".ethicslint.toml", "")
    assert find_config(tmp_path) == dotfile


def test_search_stops_at_the_repository_root(tmp_path):
    write(tmp_path / ".ethicslint.toml", "")  # outside the repository: not this project's config
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert find_config(tmp_path / "repo") is None
    inner = write(tmp_path / "repo" / "pyproject.toml", "[tool.ethicslint]\n")
    assert find_config(tmp_path / "repo") == inner


# --- loading --------------------------------------------------------------------------------

def test_defaults_are_rooted_at_the_cwd(tmp_path):
    config = load_config(None, cwd=tmp_path)
    assert config.path is None and config.root == tmp_path
    assert config.select == ["ALL"] and config.ignore == [] and config.fail_on is Severity.WARNING
    assert config.respect_gitignore and config.cache and config.max_file_size == 5_000_000


def test_full_pyproject_config():
    path = FIXTURES / "pyproject" / "pyproject.toml"
    config = load_config(path)
    assert config.path == path and config.root == path.parent.resolve()
    assert config.select == ["URG", "AID", "diversity"]
    assert config.ignore == ["URG102"]
    assert config.exclude == ["drafts/", "*.generated.md"]
    assert config.include == [".github/**/*.md"]
    assert config.language == "fr"
    assert config.fail_on is Severity.ERROR
    assert config.max_file_size == 100_000
    assert config.plugins == ["acme_house_rules"] and config.disable_plugins == ["data-claims"]
    assert config.respect_gitignore is False and config.cache is False
    assert config.per_file_ignores == {"legal/**": ["DAT", "URG101"], "*.po": ["diversity"]}
    assert config.severity == {"URG101": Severity.ERROR, "AID201": Severity.INFO}
    assert config.formats == {"*.mdoc": "markdown"}
    assert config.plugin_tables == {"urgency": {"max-exclamations": 2}}


def test_dotfile_keys_are_top_level():
    config = load_config(FIXTURES / "dotfile" / ".ethicslint.toml")
    assert config.ignore == ["DIV"]
    assert config.language is None  # "auto"
    assert config.per_file_ignores == {"archive/": ["ALL"]}
    assert config.plugin_tables == {"ai-disclosure": {"require-label": True}}


PYPROJECT_ERRORS = [
    ("selekt = ['URG']", "pyproject.toml: [tool.ethicslint] unknown key 'selekt' (did you mean 'select'?)"),
    ("fail_on = 'error'", "pyproject.toml: [tool.ethicslint] unknown key 'fail_on' (did you mean 'fail-on'?)"),
    ("select = 'URG'", "pyproject.toml: [tool.ethicslint] 'select' must be an array of strings, got string 'URG'"),
    ("ignore = ['DIV', 3]", "'ignore' must be an array of strings, got an array containing integer 3"),
    ("select = ['URG1X']", "pyproject.toml: [tool.ethicslint] 'select': invalid selector 'URG1X'"),
    ("ignore = ['urgency!']", "'ignore': invalid selector 'urgency!'"),
    ("fail-on = 'fatal'", "'fail-on': unknown severity 'fatal' (expected one of: info, warning, error)"),
    ("fail-on = 2", "'fail-on' must be a string, got integer 2"),
    ("language = 'de'", "'language' must be one of 'en', 'fr', 'auto', got string 'de'"),
    ("max-file-size = true", "'max-file-size' must be a positive integer, got boolean True"),
    ("max-file-size = -1", "'max-file-size' must be a positive integer"),
    ("cache = 'no'", "'cache' must be true or false, got string 'no'"),
    ("exclude = ['!']", "'exclude': invalid glob"),
    ("plugins = 'acme'", "'plugins' must be an array of strings"),
    ("language = ['en']", "'language' must be one of 'en', 'fr', 'auto', got array ['en']"),
    ("[tool.ethicslint.severity]\nurg101 = 'error'",
     "pyproject.toml: [tool.ethicslint.severity] 'urg101' is not a rule code"),
    ("[tool.ethicslint.severity]\nURG101 = 'loud'",
     "pyproject.toml: [tool.ethicslint.severity] 'URG101': unknown severity 'loud'"),
    ("[tool.ethicslint.per-file-ignores]\n'legal/**' = 'DAT'",
     "pyproject.toml: [tool.ethicslint.per-file-ignores] 'legal/**' must be an array of strings"),
    ("[tool.ethicslint.per-file-ignores]\n'legal/**' = ['DAT9999']",
     "[tool.ethicslint.per-file-ignores] 'legal/**': invalid selector 'DAT9999'"),
    ("[tool.ethicslint.formats]\n'*.mdoc' = 'asciidoc'",
     "pyproject.toml: [tool.ethicslint.formats] '*.mdoc' must be one of 'markdown', 'html', 'mjml', 'text', 'yaml', 'json', 'po', got string 'asciidoc'"),
    ("per-file-ignores = ['x']", "'per-file-ignores' must be a table"),
]


@pytest.mark.parametrize(("body", "message"), PYPROJECT_ERRORS, ids=[m for _, m in PYPROJECT_ERRORS])
def test_pyproject_errors_name_file_table_and_key(tmp_path, monkeypatch, body, message):
    error = pyproject_error(tmp_path, monkeypatch, body)
    assert message in error
    assert error.startswith("pyproject.toml: ")


def pyproject_error(tmp_path, monkeypatch, body: str) -> str:
    """The ConfigError message for a pyproject.toml whose [tool.ethicslint] table holds ``body``."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", f"[project]\nname = 'x'\n\n[tool.ethicslint]\n{body}\n")
    with pytest.raises(ConfigError) as excinfo:
        load_config(Path("pyproject.toml"))
    return str(excinfo.value)


def test_dotfile_errors_name_the_file_without_a_tool_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", "ignroe = ['DIV']\n")
    with pytest.raises(ConfigError, match=r"^\.ethicslint\.toml: unknown key 'ignroe' \(did you mean 'ignore'\?\)$"):
        load_config(Path(".ethicslint.toml"))


def test_malformed_toml_names_the_file_and_position(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", "select = ['URG'\nignore = []\n")
    with pytest.raises(ConfigError, match=r"^\.ethicslint\.toml: invalid TOML: .*line 2, column 1"):
        load_config(Path(".ethicslint.toml"))


def test_malformed_pyproject_is_an_error_while_searching(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[tool.ethicslint\n")
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        find_config(tmp_path)


def test_missing_explicit_config_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml: no such file"):
        load_config(tmp_path / "nope.toml")


def test_tool_ethicslint_must_be_a_table(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool]\nethicslint = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool\.ethicslint\] must be a table, got integer 3"):
        load_config(tmp_path / "pyproject.toml")


def test_pyproject_layout_in_a_dotfile_is_explained(tmp_path):
    write(tmp_path / ".ethicslint.toml", "[tool.ethicslint]\nselect = ['URG']\n")
    with pytest.raises(ConfigError, match=r"\[tool\.ethicslint\] belongs in pyproject\.toml"):
        load_config(tmp_path / ".ethicslint.toml")


# --- checker tables -------------------------------------------------------------------------

DECLARED = {
    "urgency": [Option("max-exclamations", "int", 1), Option("allow", "list[str]", [])],
    "ai-disclosure": [Option("require-label", "bool", False)],
    "diversity": [],
}


def config_with(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path / "pyproject.toml", f"[tool.ethicslint]\n{text}\n"))


def test_plugin_tables_are_filled_with_defaults_for_every_checker(tmp_path):
    config = config_with(tmp_path, "[tool.ethicslint.urgency]\nmax-exclamations = 3\n"
                                   "[tool.ethicslint.ai_disclosure]\nrequire-label = true")
    values = validate_plugin_tables(config, DECLARED)
    assert values == {"urgency": {"max-exclamations": 3, "allow": []},
                      "ai-disclosure": {"require-label": True}, "diversity": {}}
    values["urgency"]["allow"].append("x")
    assert DECLARED["urgency"][1].default == []  # defaults are copied, not shared


def test_unknown_plugin_table_lists_known_checkers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = config_with(tmp_path, "[tool.ethicslint.urgncy]\nmax-exclamations = 3")
    with pytest.raises(ConfigError) as excinfo:
        validate_plugin_tables(config, DECLARED)
    message = str(excinfo.value)
    assert message.startswith("pyproject.toml: unknown table [tool.ethicslint.urgncy]")
    assert "did you mean 'urgency'?" in message
    assert "known checkers: ai-disclosure, diversity, urgency" in message


def test_misspelled_builtin_table_suggests_the_key(tmp_path):
    config = config_with(tmp_path, "[tool.ethicslint.per-file-ignore]\n'*.po' = ['DIV']")
    with pytest.raises(ConfigError, match="did you mean 'per-file-ignores'"):
        validate_plugin_tables(config, DECLARED)


def test_table_of_a_disabled_plugin_is_not_an_error(tmp_path):
    config = config_with(tmp_path, "disable-plugins = ['data-claims']\n"
                                   "[tool.ethicslint.data-claims]\nstrict = true")
    assert "data-claims" not in validate_plugin_tables(config, DECLARED)


def test_unknown_option_names_key_table_and_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = config_with(tmp_path, "[tool.ethicslint.urgency]\nmax-exclamation = 3")
    with pytest.raises(ConfigError) as excinfo:
        validate_plugin_tables(config, DECLARED)
    assert str(excinfo.value) == (
        "pyproject.toml: [tool.ethicslint.urgency] unknown key 'max-exclamation' "
        "(did you mean 'max-exclamations'?); options of 'urgency': max-exclamations, allow")


def test_wrong_option_type_uses_the_option_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", "[urgency]\nallow = ['ok', 1]\n")
    config = load_config(Path(".ethicslint.toml"))
    with pytest.raises(ConfigError) as excinfo:
        validate_plugin_tables(config, DECLARED)
    assert str(excinfo.value) == (".ethicslint.toml: [urgency] 'allow' must be an array of strings, got an array "
                                  "containing integer 1")


# --- command-line overrides -----------------------------------------------------------------

def test_overrides_replace_given_values_only(tmp_path):
    config = config_with(tmp_path, "select = ['URG']\nignore = ['URG102']\nplugins = ['house']\nlanguage = 'fr'")
    result = apply_overrides(config, select=["DAT", "AID1"], ignore=None, fail_on="error", language=None,
                             plugins=["extra"], disable_plugins=["diversity"], no_cache=True)
    assert result.select == ["DAT", "AID1"] and result.ignore == ["URG102"]
    assert result.fail_on is Severity.ERROR and result.language == "fr"
    assert result.plugins == ["house", "extra"] and result.disable_plugins == ["diversity"]
    assert result.cache is False
    assert config.select == ["URG"] and config.cache  # the original is untouched
    assert apply_overrides(config, no_cache=None).cache is True


def test_invalid_cli_selector_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="--ignore: invalid selector 'URG1X'"):
        apply_overrides(load_config(None, cwd=tmp_path), ignore=["URG1X"])


# --- selectors ------------------------------------------------------------------------------

@pytest.mark.parametrize(("selector", "code", "checker", "expected"), [
    ("ALL", "URG101", "urgency", True),
    ("URG101", "URG101", "urgency", True),
    ("URG102", "URG101", "urgency", False),
    ("URG1", "URG101", "urgency", True),
    ("URG2", "URG101", "urgency", False),
    ("URG", "URG101", "urgency", True),
    ("UR", "URG101", "urgency", False),  # letters are the whole prefix, not a string prefix
    ("E", "EL001", "ethicslint", False),
    ("EL", "EL001", "ethicslint", True),
    ("urgency", "URG101", "urgency", True),
    ("Urgency", "URG101", "urgency", True),
    ("ai_disclosure", "AID201", "ai-disclosure", True),
    ("AI-Disclosure", "AID201", "ai-disclosure", True),
    ("diversity", "URG101", "urgency", False),
    ("urg101", "URG101", "urgency", False),  # lowercase: a checker name, not a code
])
def test_selector_matches(selector, code, checker, expected):
    assert selector_matches(selector, code, checker) is expected


@pytest.mark.parametrize("selector", ["ALL", "URG", "URG1", "URG101", "EL", "EL001", "urgency",
                                      "ai_disclosure", "data-claims", "urg101", "URGENCY"])
def test_valid_selectors(selector):
    assert validate_selector(selector) is None


@pytest.mark.parametrize("selector", ["URG1X", "URG1234", "U1", "", "urgency!", "URG 101", "1URG", 3])
def test_malformed_selectors(selector):
    assert validate_selector(selector)


@pytest.mark.parametrize(("select", "ignore", "code", "expected"), [
    (["ALL"], [], "URG101", True),
    (["DAT"], [], "URG101", False),
    ([], [], "URG101", False),
    (["ALL"], ["URG"], "URG101", False),
    (["ALL"], ["urgency"], "URG101", False),
    (["URG"], ["URG1"], "URG101", False),  # ignore wins over an equal or broader select
    (["URG1"], ["URG1"], "URG101", False),
    (["URG101"], ["URG"], "URG101", True),  # an exact code in select beats a broader ignore
    (["URG101"], ["URG"], "URG102", False),
    (["URG", "URG101"], ["URG101"], "URG101", False),  # the same exact code: ignore wins
])
def test_is_enabled(select, ignore, code, expected):
    assert is_enabled(code, "urgency", select, ignore) is expected


# --- numbers: finite, within documented bounds --------------------------------------------------

NUMBER_ERRORS = [
    # a TOML integer has no limit in tomllib: this one reached read() and raised OverflowError
    ("max-file-size = 100000000000000000000",
     "'max-file-size' must be at most 1000000000 (bytes), got integer 100000000000000000000"),
    ("max-file-size = 1e20", "'max-file-size' must be a positive integer, got float 1e+20"),
    ("max-file-size = 1000000001", "'max-file-size' must be at most 1000000000 (bytes), got integer 1000000001"),
    # inf and nan reached setitimer(): every plugin on every file became EL001
    ("plugin-time-limit = inf", "'plugin-time-limit' must be 0 (never) or a number of seconds up to 86400, got float inf"),
    ("plugin-time-limit = nan", "'plugin-time-limit' must be 0 (never) or a number of seconds up to 86400, got float nan"),
    ("plugin-time-limit = 1e12", "'plugin-time-limit' must be 0 (never) or a number of seconds up to 86400"),
    ("plugin-time-limit = -1", "'plugin-time-limit' must be 0 (never) or a number of seconds up to 86400"),
    ("plugin-time-budget = nan", "'plugin-time-budget' must be a positive number of seconds up to 86400, got float nan"),
    ("plugin-time-budget = inf", "'plugin-time-budget' must be a positive number of seconds up to 86400"),
    ("plugin-time-budget = 0", "'plugin-time-budget' must be a positive number of seconds up to 86400"),
]


@pytest.mark.parametrize(("body", "message"), NUMBER_ERRORS, ids=[b for b, _ in NUMBER_ERRORS])
def test_numbers_must_be_finite_and_within_bounds(tmp_path, monkeypatch, body, message):
    error = pyproject_error(tmp_path, monkeypatch, body)
    assert error.startswith("pyproject.toml: [tool.ethicslint] ")
    assert message in error


@pytest.mark.parametrize("body", ["max-file-size = 1000000000", "max-file-size = 1", "plugin-time-limit = 0",
                                  "plugin-time-limit = 86400", "plugin-time-limit = 0.5",
                                  "plugin-time-budget = 86400", "plugin-time-budget = 0.01"])
def test_numbers_at_the_bounds_are_accepted(tmp_path, body):
    write(tmp_path / "pyproject.toml", f"[tool.ethicslint]\n{body}\n")
    load_config(tmp_path / "pyproject.toml")


def test_a_huge_max_file_size_is_exit_2_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", "max-file-size = 100000000000000000000\n")
    write(tmp_path / "page.md", "# Offer\n\nA good deal.\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "page.md"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("ethicslint: error: .ethicslint.toml: 'max-file-size' must be at most")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_float_options_of_plugins_must_be_finite(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", f"[diversity]\ngap-share = {value}\n")
    config = load_config(Path(".ethicslint.toml"))
    with pytest.raises(ConfigError) as excinfo:
        validate_plugin_tables(config, {"diversity": [Option("gap-share", "float", 0.75)]})
    assert str(excinfo.value) == f".ethicslint.toml: [diversity] 'gap-share' must be a finite number, got float {value}"


# --- typed plugin options: checked by the host, named by the real file and table ---------------------

TYPED = {"typed": [Option("weights", "dict[float]", {}), Option("limits", "list[int]", []),
                   Option("groups", "dict[list[str]]", {}), Option("extra-terms", "terms", {})]}


@pytest.mark.parametrize(("table", "message"), [
    ("weights = { cta = 'high' }", "'weights' must be a table of finite numbers, got string 'high' at 'weights.cta'"),
    ("weights = { cta = nan }", "'weights' must be a table of finite numbers, got float nan at 'weights.cta'"),
    ("weights = [1.0]", "'weights' must be a table of finite numbers, got array [1.0]"),
    ("limits = [1, '2']", "'limits' must be an array of integers, got an array containing string '2'"),
    ("limits = [1, true]", "'limits' must be an array of integers, got an array containing boolean True"),
    ("groups = { men = 'guys' }", "'groups.men' must be an array of strings, got string 'guys'"),
    ("groups = { men = ['guys', 1] }", "'groups.men' must be an array of strings, got an array containing integer 1"),
    ("extra-terms = { URG101 = 'hurry' }", "[typed.extra-terms] entry 'URG101' must be a table, got string 'hurry'"),
    ("extra-terms = { en = { URG101 = { phrases = 'hurry' } } }",
     "[typed.extra-terms.en.URG101] phrases must be a list of non-empty strings, got string 'hurry'"),
    ("extra-terms = { URG101 = { patterns = [{ LOWER = 'x' }] } }",
     "[typed.extra-terms.URG101] patterns must be a list of token-pattern lists"),
    ("extra-terms = { fr = ['x'] }", "[typed.extra-terms.fr] must be a table of entries, got array ['x']"),
])
def test_typed_plugin_options_name_file_table_and_key(tmp_path, monkeypatch, table, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", f"[typed]\n{table}\n")
    with pytest.raises(ConfigError) as excinfo:
        validate_plugin_tables(load_config(Path(".ethicslint.toml")), TYPED)
    assert str(excinfo.value).startswith(".ethicslint.toml: [typed")
    assert message in str(excinfo.value)


def test_typed_plugin_options_accept_what_they_declare(tmp_path):
    config = config_with(tmp_path, "[tool.ethicslint.typed]\nweights = { cta = 2, body = 0.5 }\nlimits = [3]\n"
                                   "groups = { men = ['guys'] }\n"
                                   "extra-terms = { URG101 = { phrases = ['act now'] }, fr = { URG101 = {} } }")
    assert validate_plugin_tables(config, TYPED)["typed"]["weights"] == {"cta": 2, "body": 0.5}


@pytest.mark.parametrize(("name", "layout"), [(".ethicslint.toml", "[typed]\n"),
                                              ("pyproject.toml", "[tool.ethicslint.typed]\n")])
def test_a_wrong_option_value_is_exit_2_naming_the_real_file_and_table(tmp_path, monkeypatch, name, layout):
    """Not EL001 and exit 3 from inside the plugin: the host checks the value first."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / name, layout + "weights = { cta = 'high' }\n")
    write(tmp_path / "page.md", "# Offer\n\nA good deal.\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--plugin", "ethicslint_typedoptions", "page.md"],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr == (f"ethicslint: error: {name}: {layout.strip()} 'weights' must be a table of finite "
                             f"numbers, got string 'high' at 'weights.cta'\n")


@pytest.mark.parametrize("spec", ["list", "dict[]", "list[str", "tuple[int]", "dict[list[bytes]]", 3])
def test_an_unknown_option_type_is_refused_when_the_plugin_loads(spec):
    assert type_problem(spec) is not None
    assert type_problem("dict[list[str]]") is None


@pytest.mark.parametrize("checker", ["urgency", "ai-disclosure", "diversity", "data-claims"])
def test_malformed_extra_terms_of_a_builtin_checker_are_exit_2_naming_the_dotfile_table(tmp_path, monkeypatch,
                                                                                      checker):
    """Was EL001 ("plugin raised") and exit 3, with a message naming [tool.ethicslint.urgency]."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".ethicslint.toml", f"[{checker}]\nextra-terms = {{ XYZ201 = {{ phrases = 'nearly gone' }} }}\n")
    write(tmp_path / "page.md", "# Sale\n\nHurry, only today.\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "page.md"], catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (2, (
        f"ethicslint: error: .ethicslint.toml: [{checker}.extra-terms.XYZ201] phrases must be a list of non-empty "
        f"strings, got string 'nearly gone'\n"))
