"""A checked repository is untrusted input (docs/security.md): nothing in it runs as code.

Its config names plugin modules, its Markdown carries YAML front matter, its YAML files carry
tags, its rule packs carry patterns: none of that may import, construct or execute anything.
Each test plants code that would leave a marker file if it ran, and checks that it did not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main

PLUGIN_DIR = Path(__file__).parent / "plugins"


@pytest.fixture
def marker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the planted code would write if it ran: outside the checked repository."""
    return tmp_path_factory.mktemp("attacker") / "code-ran"


@pytest.fixture
def hostile_repo(tmp_path: Path, marker: Path) -> Path:
    """A repository whose config names a module of its own, which writes ``marker`` on import."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "house_rules.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).touch()\n", encoding="utf-8")
    (repo / ".ethicslint.toml").write_text('plugins = ["house_rules"]\n', encoding="utf-8")
    (repo / "page.md").write_text("# Offer\n\nA good deal.\n", encoding="utf-8")
    return repo


def _python_m(repo: Path, *args: str, pythonpath: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, "-m", "ethicslint", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)


# --- plugin modules ----------------------------------------------------------------------------

def test_python_m_does_not_import_plugins_from_the_current_directory(hostile_repo: Path, marker: Path):
    """``python -m`` puts the current directory first on ``sys.path``; the console script does not.
    A pull request that adds a module and names it in the config must not run it either way."""
    run = _python_m(hostile_repo, "check", "--no-server", "--no-cache", "page.md")
    assert not marker.exists()
    assert run.returncode == 3, run.stderr
    assert "cannot import plugin module 'house_rules'" in run.stderr
    assert "Traceback" not in run.stderr


def test_python_m_does_not_import_a_plugin_option_from_the_current_directory(hostile_repo: Path, marker: Path):
    (hostile_repo / ".ethicslint.toml").unlink()
    run = _python_m(hostile_repo, "check", "--no-server", "--no-cache", "--plugin", "house_rules", "page.md")
    assert not marker.exists()
    assert run.returncode == 3 and "cannot import plugin module 'house_rules'" in run.stderr


def test_local_plugins_load_from_an_explicit_pythonpath(hostile_repo: Path, marker: Path):
    """The documented way: the user puts the directory on ``PYTHONPATH`` themselves."""
    (hostile_repo / "house_rules.py").write_text(
        (PLUGIN_DIR / "ethicslint_testplugin.py").read_text(encoding="utf-8").replace("TST", "HSE"),
        encoding="utf-8")
    (hostile_repo / "page.md").write_text("# Offer\n\nPlease hurry.\n", encoding="utf-8")
    run = _python_m(hostile_repo, "check", "--no-server", "--no-cache", "--select", "HSE", "page.md",
                    pythonpath=str(hostile_repo))
    assert run.returncode == 1, run.stderr
    assert "page.md:3:8: HSE101" in run.stdout


def test_the_console_script_does_not_import_plugins_from_the_current_directory(hostile_repo: Path, marker: Path):
    script = Path(sys.executable).with_name("ethicslint")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run = subprocess.run([str(script), "check", "--no-server", "--no-cache", "page.md"], cwd=hostile_repo,
                         env=env, capture_output=True, text=True, timeout=300)
    assert not marker.exists()
    assert run.returncode == 3, run.stderr


# --- YAML: front matter, data files ------------------------------------------------------------

PYTHON_TAGS = [
    "!!python/object/apply:pathlib.Path.touch [[{marker}]]",
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:pathlib.Path [{marker}]",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_front_matter_tags_construct_nothing(tmp_path: Path, marker: Path, monkeypatch: pytest.MonkeyPatch,
                                             tag: str):
    value = tag.format(marker=repr(str(marker)) if "[[" in tag or "new:" in tag else marker)
    (tmp_path / "page.md").write_text(f"---\ntitle: {value}\n---\n\n# Hurry\n\nOnly today: act now!\n",
                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "page.md"],
                                catch_exceptions=False)
    assert not marker.exists()
    assert result.exit_code == 1, result.output  # the prose is still checked
    assert '"code": "URG101"' in result.stdout


@pytest.mark.parametrize("suffix", [".yml", ".json"])
@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_yaml_file_tags_construct_nothing(tmp_path: Path, marker: Path, monkeypatch: pytest.MonkeyPatch,
                                          tag: str, suffix: str):
    value = tag.format(marker=repr(str(marker)) if "[[" in tag or "new:" in tag else marker)
    (tmp_path / f"strings{suffix}").write_text(f"banner: Only today, act now!\nicon: {value}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", f"strings{suffix}"],
                                catch_exceptions=False)
    assert not marker.exists()
    assert result.exit_code in (0, 1), result.output


def test_no_unsafe_yaml_loader_anywhere():
    """Every YAML parse uses ``SafeLoader``/``CSafeLoader`` (the tests above show they construct no
    object); none may use ``yaml.load``/``full_load``/``unsafe_load`` or a full or unsafe loader."""
    import re

    unsafe = re.compile(r"\byaml\.(?:load|load_all|full_load|full_load_all|unsafe_load|unsafe_load_all)\b|"
                        r"\b(?:C?Loader|C?FullLoader|C?UnsafeLoader)\b")
    root = Path(__file__).parent.parent
    sources = [p for top in ("ethicslint", "plugins") for p in (root / top).rglob("*.py")]
    assert any("yaml.SafeLoader" in p.read_text(encoding="utf-8") for p in sources)  # the scan sees the readers
    offenders = [f"{p.relative_to(root)}:{n}: {line.strip()}" for p in sources
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if unsafe.search(line)]
    assert offenders == []


# --- the config may name plugin modules, not any module -----------------------------------------

@pytest.mark.parametrize("module", [
    "venv.__main__",  # its top-level code builds a virtualenv named after argv[1] ("check")
    "this",  # prints the Zen of Python at import
])
def test_config_cannot_name_a_module_that_is_not_a_plugin(tmp_path: Path, module: str):
    """Importing a module runs its top-level code: a config (which a pull request can change) may
    only name modules whose source, read without running it, declares ethicslint hooks."""
    (tmp_path / ".ethicslint.toml").write_text(f'plugins = ["{module}"]\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("# Offer\n\nA good deal.\n", encoding="utf-8")
    run = _python_m(tmp_path, "check", "--no-server", "--no-cache")
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(f"ethicslint: error: .ethicslint.toml: 'plugins': {module!r} is not an "
                                 f"ethicslint plugin module")
    assert run.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ethicslint.toml", "page.md"]


@pytest.mark.parametrize("module", ["ethicslint_testplugin", "ethicslint_misbehaving.raises_in_check_document"])
def test_config_can_name_plugin_modules(tmp_path: Path, module: str):
    (tmp_path / ".ethicslint.toml").write_text(f'plugins = ["{module}"]\nselect = ["TST", "EL"]\n',
                                                encoding="utf-8")
    (tmp_path / "page.md").write_text("# Offer\n\nPlease hurry.\n", encoding="utf-8")
    run = _python_m(tmp_path, "check", "--no-server", "--no-cache", "page.md", pythonpath=str(PLUGIN_DIR))
    assert run.returncode in (1, 3), run.stderr  # loaded (the misbehaving one makes EL001: status 3)
    assert "page.md:3:8: TST101" in run.stdout or "EL001" in run.stdout


def test_a_module_that_is_not_found_is_left_to_the_import_error(tmp_path: Path):
    (tmp_path / ".ethicslint.toml").write_text('plugins = ["no_such_module_here"]\n', encoding="utf-8")
    (tmp_path / "page.md").write_text("# Offer\n", encoding="utf-8")
    run = _python_m(tmp_path, "check", "--no-server", "--no-cache", "page.md")
    assert run.returncode == 3 and "cannot import plugin module 'no_such_module_here'" in run.stderr


@pytest.mark.parametrize("name", ["", ".relative", "a..b", "os.path;rm", "a/b"])
def test_config_plugin_names_must_be_module_names(tmp_path: Path, name: str):
    from ethicslint.config import ConfigError, load_config

    (tmp_path / ".ethicslint.toml").write_text(f'plugins = ["{name}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'plugins'.* is not a module name"):
        load_config(tmp_path / ".ethicslint.toml")


def test_plugin_modules_are_judged_without_importing_them_or_their_parents(tmp_path: Path, marker: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    from ethicslint.plugin_modules import not_a_plugin

    package = tmp_path / "site" / "acme_pkg"
    package.mkdir(parents=True)
    touch = f"from pathlib import Path\nPath({str(marker)!r}).touch()\n"
    (package / "__init__.py").write_text(touch, encoding="utf-8")
    (package / "hooks.py").write_text(touch + "def ethicslint_rules():\n    return []\n", encoding="utf-8")
    (package / "named.py").write_text("from .hooks import ethicslint_rules\n", encoding="utf-8")
    (package / "star.py").write_text("from .hooks import *\n", encoding="utf-8")
    (package / "api.py").write_text('ETHICSLINT_API = "1"\n', encoding="utf-8")
    (package / "other.py").write_text(touch, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert not_a_plugin("acme_pkg.hooks") is None
    assert not_a_plugin("acme_pkg.named") is None
    assert not_a_plugin("acme_pkg.api") is None
    assert "defines no ethicslint_* hook" in (not_a_plugin("acme_pkg.star") or "")
    assert "defines no ethicslint_* hook" in (not_a_plugin("acme_pkg.other") or "")
    assert "defines no ethicslint_* hook" in (not_a_plugin("acme_pkg") or "")
    assert not_a_plugin("acme_pkg.missing") is None  # left to the import, which names it
    assert not marker.exists()
    assert "acme_pkg" not in sys.modules
