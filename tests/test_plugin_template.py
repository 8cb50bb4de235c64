"""Proof that a third-party plugin just works: the template, from source to a wheel in a fresh venv.

1. The walkthrough of ``docs/plugins.md`` ("From template to published wheel") is executed: every
   command of its ``console`` blocks, in order, in one shell, starting from a copy of the
   template's directory laid out as in a clone of ethicslint. The output the guide shows is
   checked (``...`` stands for any lines; a command shown without output may print anything),
   and every command must succeed (``ethicslint check``
   must exit 1: the examples hold findings on purpose).
2. The fresh environment the guide creates in its step 7, with ethicslint and the template's
   wheel installed from files, is then used to check ``ethicslint plugins``, ``rules``,
   ``explain`` and ``check`` in every output format. ethicslint itself is a wheel built from
   this repository as it is: nothing in ethicslint knows about the template.

So that nothing but build backends is downloaded, the test (not the guide) arranges three
things: ethicslint "on the index" is the wheel built from this repository (a pip constraint
with its file URL), each virtual environment the guide creates sees the running interpreter's
third-party packages (spaCy, pytest…) through a ``.pth`` file pointing at a directory of
symlinks that leaves ethicslint itself out, and ``python`` is the running interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "plugins.md"
TEMPLATE = REPO / "docs" / "plugin-template"
ARTIFACTS = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".venv", ".pytest_cache",
                                   ".ethicslint_cache")
WHEEL = "ethicslint_brand_voice-0.1.0-py3-none-any.whl"


# --- the guide's commands ------------------------------------------------------------------------

@dataclass
class Command:
    """One ``$ command`` of the guide and the output lines shown after it."""

    text: str
    expected: list[str] = field(default_factory=list)

    @property
    def expected_status(self) -> int:
        return 1 if re.search(r"(^|/)ethicslint check\b", self.text) else 0


def guide_commands(markdown: str) -> list[Command]:
    """The commands of every ``console`` block, in document order."""
    commands: list[Command] = []
    for block in re.findall(r"^```console\n(.*?)^```", markdown, flags=re.M | re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append(Command(line[2:].strip()))
            elif commands:
                commands[-1].expected.append(line.rstrip())
    return commands


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected``, where a ``...`` line stands for any lines."""
    while actual and not actual[-1].strip():
        actual = actual[:-1]
    pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line.rstrip() + "\n") for line in expected)
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in actual)) is not None


def test_output_matching_rules():
    assert output_matches(["a", "b"], ["a", "b", ""])
    assert not output_matches(["a"], ["a", "b"])
    assert output_matches(["...", "b", "..."], ["a", "b", "c"])
    assert output_matches(["a", "..."], ["a", "b", "c"])
    assert not output_matches(["b", "..."], ["a", "b"])


def test_every_shell_command_of_the_guide_is_in_a_console_block():
    """Commands outside ``console`` blocks would escape the walkthrough test."""
    markdown = GUIDE.read_text(encoding="utf-8")
    assert not re.findall(r"^```(?:sh|bash|shell|zsh)\b", markdown, flags=re.M)
    commands = guide_commands(markdown)
    assert [c.text for c in commands][:2] == ["cp -r docs/plugin-template ../ethicslint-brand-voice",
                                              "cd ../ethicslint-brand-voice"]
    assert any(c.text.startswith("python -m pip wheel") for c in commands)


# --- the environment: ethicslint as a wheel, packages shared without downloads ---------------------

def _shared_site_packages(target: Path) -> Path:
    """Symlinks to the running interpreter's installed packages, ethicslint's own left out."""
    target.mkdir()
    paths = sysconfig.get_paths()
    for site in dict.fromkeys([paths["purelib"], paths["platlib"]]):
        for entry in sorted(os.listdir(site)):
            if re.match(r"_*(editable_*[._])?ethicslint", entry.lower()):
                continue  # ethicslint, its plugins, its dist-info, its editable-install hooks
            link = target / entry
            if not link.exists():
                link.symlink_to(Path(site) / entry)
    return target


def _ethicslint_wheel(base: Path) -> Path:
    """A wheel of ethicslint built from this repository as it is, in a clean copy of its sources."""
    source = base / "ethicslint-src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("ethicslint", "plugins"):
        shutil.copytree(REPO / name, source / name, ignore=ARTIFACTS)
    wheelhouse = base / "wheelhouse"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheelhouse),
                    str(source)], check=True, capture_output=True, text=True, env=_clean_environ())
    [wheel] = wheelhouse.glob("ethicslint-*.whl")
    return wheel


def _clean_environ() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV", "PIP_USER")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


@dataclass
class Walkthrough:
    base: Path
    commands: list[Command]
    outputs: list[tuple[int, str, str]]  # (status, stdout, stderr) per command that ran
    plugin_dir: Path  # the copied template (the guide's ../ethicslint-brand-voice)
    try_env: Path  # the fresh environment of step 7

    def ethicslint(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.try_env / "bin" / "ethicslint"), *args], capture_output=True,
                              text=True, cwd=self.plugin_dir, env=_clean_environ(), timeout=300)


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> Walkthrough:
    base = tmp_path_factory.mktemp("plugin-template")
    shared = _shared_site_packages(base / "shared-site-packages")
    constraints = base / "constraints.txt"
    constraints.write_text(f"ethicslint @ {_ethicslint_wheel(base).as_uri()}\n", encoding="utf-8")
    clone = base / "ethicslint"
    shutil.copytree(TEMPLATE, clone / "docs" / "plugin-template", ignore=ARTIFACTS)
    outputs_dir = base / "outputs"
    outputs_dir.mkdir()

    commands = guide_commands(GUIDE.read_text(encoding="utf-8"))
    script = ["set -u",
              'share() { for site in "$1"/lib/python*/site-packages; do',
              '  printf "%s\\n" "$ETHICSLINT_TEST_SHARED" > "$site/_ethicslint_test_shared.pth"; done; }',
              'cd "$ETHICSLINT_TEST_CLONE"']
    for index, command in enumerate(commands):
        out = f'"$ETHICSLINT_TEST_OUT/{index}"'
        script.append(f"{{ {command.text}\n}} >{out}.out 2>{out}.err; status=$?; echo $status >{out}.status")
        script.append(f"[ $status -eq {command.expected_status} ] || exit {100 + index}")
        venv = re.fullmatch(r"python -m venv (\S+)", command.text)
        if venv:
            script.append(f"share {venv.group(1)}")
    env = _clean_environ()
    env.update(PATH=os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")]),
               PIP_CONSTRAINT=str(constraints), ETHICSLINT_TEST_SHARED=str(shared),
               ETHICSLINT_TEST_CLONE=str(clone), ETHICSLINT_TEST_OUT=str(outputs_dir))
    run = subprocess.run(["bash", "-c", "\n".join(script)], env=env, capture_output=True, text=True,
                         timeout=1200)
    outputs = []
    for index in range(len(commands)):
        status_file = outputs_dir / f"{index}.status"
        if not status_file.exists():
            break
        outputs.append((int(status_file.read_text()), (outputs_dir / f"{index}.out").read_text(),
                        (outputs_dir / f"{index}.err").read_text()))
    if run.returncode >= 100:
        status, out, err = outputs[run.returncode - 100]
        pytest.fail(f"guide command failed: $ {commands[run.returncode - 100].text}\n"
                    f"exit status {status}\n--- stdout\n{out}\n--- stderr\n{err}")
    assert run.returncode == 0, run.stderr
    return Walkthrough(base, commands, outputs, base / "ethicslint-brand-voice", base / "brand-voice-try")


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_every_guide_command_succeeds_with_the_output_shown(walkthrough: Walkthrough):
    assert len(walkthrough.outputs) == len(walkthrough.commands)
    for command, (status, out, err) in zip(walkthrough.commands, walkthrough.outputs):
        assert status == command.expected_status, f"$ {command.text}\n{err}"
        assert not command.expected or output_matches(command.expected, out.splitlines()), (
            f"$ {command.text}\n--- the guide shows\n" + "\n".join(command.expected) + f"\n--- got\n{out}")


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_the_template_tests_ran_and_passed(walkthrough: Walkthrough):
    [(status, out, _)] = [o for c, o in zip(walkthrough.commands, walkthrough.outputs)
                          if c.text.startswith("python -m pytest")]
    assert status == 0 and re.search(r"\b\d+ passed\b", out) and "failed" not in out


# --- the wheel -----------------------------------------------------------------------------------

@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_the_wheel_holds_the_package_its_terms_and_the_entry_point(walkthrough: Walkthrough):
    with zipfile.ZipFile(walkthrough.plugin_dir / "dist" / WHEEL) as wheel:
        names = set(wheel.namelist())
        assert {"ethicslint_brand_voice/__init__.py", "ethicslint_brand_voice/terms/en.toml",
                "ethicslint_brand_voice/terms/fr.toml"} <= names
        entry_points = wheel.read("ethicslint_brand_voice-0.1.0.dist-info/entry_points.txt").decode()
        metadata = wheel.read("ethicslint_brand_voice-0.1.0.dist-info/METADATA").decode()
    assert "[ethicslint]\nbrand-voice = ethicslint_brand_voice" in entry_points
    assert not any(name.startswith(("tests/", "examples/")) for name in names)
    [requirement] = re.findall(r"^Requires-Dist: ethicslint(\S*)$", metadata, flags=re.M)
    assert set(requirement.split(",")) == {">=0.1", "<2"}


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_the_fresh_environment_runs_installed_copies(walkthrough: Walkthrough):
    python = walkthrough.try_env / "bin" / "python"
    code = ("import ethicslint, ethicslint_brand_voice\n"
            "print(ethicslint.__file__)\nprint(ethicslint_brand_voice.__file__)")
    run = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=_clean_environ(),
                         cwd=walkthrough.base, check=True)
    for path in run.stdout.splitlines():
        # installed there: not this checkout, not the template's working tree
        assert Path(path).resolve().is_relative_to(walkthrough.try_env.resolve()), path


# --- ethicslint's commands see the installed plugin ----------------------------------------------

@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_plugins_lists_it(walkthrough: Walkthrough):
    run = walkthrough.ethicslint("plugins")
    assert run.returncode == 0, run.stderr
    [line] = [line for line in run.stdout.splitlines() if line.startswith("brand-voice ")]
    assert line.split() == ["brand-voice", "0.1.0", "2", "rules", "checker=brand-voice", "entry", "point",
                            "(ethicslint-brand-voice", "0.1.0)"]
    assert {"urgency", "data-claims"} <= {line.split()[0] for line in run.stdout.splitlines()}


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_rules_shows_its_codes(walkthrough: Walkthrough):
    run = walkthrough.ethicslint("rules")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line.split() for line in run.stdout.splitlines()}
    assert rows["BRV101"][1:4] == ["unbacked-superlative", "brand-voice", "warning"]
    assert rows["BRV201"][1:4] == ["house-term", "brand-voice", "info"]
    data = json.loads(walkthrough.ethicslint("rules", "--format", "json").stdout)
    assert {r["code"]: r["languages"] for r in data if r["checker"] == "brand-voice"} == {
        "BRV101": ["en", "fr"], "BRV201": ["en", "fr"]}


@pytest.mark.parametrize(("code", "words"), [
    ("BRV101", ["# BRV101 unbacked-superlative", "Directive 2005/29/EC", "> The best coffee in town"]),
    ("BRV201", ["# BRV201 house-term", "loi Toubon", "> Use our app to plan your week."]),
])
@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_explain_explains_each_rule(walkthrough: Walkthrough, code: str, words: list[str]):
    run = walkthrough.ethicslint("explain", code.lower())
    assert run.returncode == 0, run.stderr
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## How to fix",
                    "## References"):
        assert section in run.stdout
    for word in words:
        assert word in run.stdout


EXPECTED_FINDINGS = [
    ("examples/lancement.md", 6, 1, "BRV101", "warning", "La meilleure", None),
    ("examples/lancement.md", 6, 40, "BRV101", "warning", "imbattable", None),
    ("examples/lancement.md", 7, 33, "BRV201", "info", "newsletter", "lettre d'information"),
    ("examples/launch.md", 3, 1, "BRV101", "warning", "The best", None),
    ("examples/launch.md", 3, 50, "BRV101", "warning", "unbeatable", None),
    ("examples/launch.md", 4, 1, "BRV201", "info", "Utilize", "use"),
]


FORMATS = ["concise", "full", "json", "sarif", "github"]


@pytest.fixture(scope="module")
def checks(walkthrough: Walkthrough) -> dict[str, subprocess.CompletedProcess[str]]:
    """``ethicslint check`` in every format (run side by side: each process imports spaCy)."""
    from concurrent.futures import ThreadPoolExecutor

    def check(fmt: str) -> subprocess.CompletedProcess[str]:
        return walkthrough.ethicslint("check", "--select", "BRV", "--no-cache", "--format", fmt, "examples/")

    with ThreadPoolExecutor(max_workers=len(FORMATS)) as pool:
        return dict(zip(FORMATS, pool.map(check, FORMATS)))


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
@pytest.mark.parametrize("fmt", FORMATS)
def test_check_reports_its_findings_in_every_format(checks: dict[str, subprocess.CompletedProcess[str]], fmt: str):
    run = checks[fmt]
    assert run.returncode == 1, run.stderr  # warnings fail the run at the default fail-on
    if fmt == "concise":
        assert [tuple(line.split(" ")[:2]) for line in run.stdout.splitlines()] == [
            (f"{path}:{line}:{column}:", code) for path, line, column, code, *_ in EXPECTED_FINDINGS]
    elif fmt == "full":
        assert "The best coffee machine you will ever own, at an unbeatable price." in run.stdout
        assert "La meilleure machine à café, à un prix imbattable." in run.stdout
        assert run.stdout.count("= help: ethicslint explain BRV") == len(EXPECTED_FINDINGS)
    elif fmt == "json":
        assert [(f["path"], f["line"], f["column"], f["code"], f["severity"], f["text"], f["suggestion"])
                for f in json.loads(run.stdout)] == EXPECTED_FINDINGS
        assert {f["checker"] for f in json.loads(run.stdout)} == {"brand-voice"}
    elif fmt == "sarif":
        sarif = json.loads(run.stdout)
        [sarif_run] = sarif["runs"]
        assert [r["id"] for r in sarif_run["tool"]["driver"]["rules"]] == ["BRV101", "BRV201"]
        results = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif_run["results"]]
        assert sorted(results) == sorted((code, path, line) for path, line, _, code, *_ in EXPECTED_FINDINGS)
    else:
        lines = run.stdout.splitlines()
        assert len(lines) == len(EXPECTED_FINDINGS)
        assert lines[3].startswith("::warning file=examples/launch.md,line=3,col=1,")
        assert lines[5].startswith("::notice file=examples/launch.md,line=4,col=1,") and "title=BRV201" in lines[5]


@pytest.mark.network  # the guide's commands install the plugin into a fresh environment
def test_disable_plugin_turns_the_installed_plugin_off(walkthrough: Walkthrough):
    run = walkthrough.ethicslint("check", "--select", "BRV", "--no-cache", "--disable-plugin", "brand-voice",
                                 "examples/")
    assert run.returncode == 0 and run.stdout == ""
