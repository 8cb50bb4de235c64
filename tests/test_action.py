"""The GitHub Action (``action.yml``) run here, without GitHub: its shell steps, read with PyYAML,
run by bash with their ``${{ … }}`` expressions replaced by the inputs, as the runner would; the
``uses:`` steps (setup-python, upload-sarif) are only checked to be called with what exists.

The install step installs from the network into a fresh virtual environment: ``network`` marker.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
CONDITION = re.compile(r"^([\w.-]+) (==|!=) '([^']*)'$")
SALE = "# Summer sale\n\nHurry: only 2 left in stock! This offer ends soon.\n"


class Runner:
    """Runs the action's steps the way the Actions runner does, on this machine."""

    def __init__(self, workspace: Path, temp: Path, inputs: dict[str, str], path: str) -> None:
        self.workspace, self.temp, self.path = workspace, temp, path
        self.inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        unknown = set(inputs) - set(self.inputs)
        assert not unknown, f"not inputs of the action: {unknown}"
        self.inputs.update(inputs)
        self.outputs: dict[str, dict[str, str]] = {}
        self.called: list[tuple[str, dict[str, str]]] = []
        self.processes: dict[str, subprocess.CompletedProcess[str]] = {}

    def value(self, expression: str) -> str:
        scope, _, name = expression.partition(".")
        if scope == "inputs":
            return self.inputs[name]
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.temp)
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"an expression this local runner does not know: {expression}")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        """``a == 'x' && b != ''``: the only form of condition the action uses."""
        inner = EXPRESSION.fullmatch(text.strip())
        results = []
        for part in (inner.group(1) if inner else text).split("&&"):
            match = CONDITION.match(part.strip())
            assert match, f"a condition this local runner does not know: {part}"
            left, operator, right = match.groups()
            results.append((self.value(left) == right) == (operator == "=="))
        return all(results)

    def run(self, skip: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str] | None:
        """Every step in order; the last shell step's process (the action's exit status)."""
        last = None
        for step in ACTION["runs"]["steps"]:
            if "if" in step and not self.condition(step["if"]):
                continue
            if "uses" in step:
                self.called.append((step["uses"], {k: self.substitute(str(v)) for k, v in step.get("with", {}).items()}))
                continue
            if step.get("id") in skip:
                continue
            assert step["shell"] == "bash"
            output_file = self.temp / f"output-{len(self.called)}-{step.get('id', 'step')}"
            output_file.write_text("", encoding="utf-8")
            env = {**os.environ, "PATH": self.path, "GITHUB_OUTPUT": str(output_file),
                   **{k: self.substitute(str(v)) for k, v in step.get("env", {}).items()}}
            assert "${{" not in self.substitute(step["run"]) and step["run"] == self.substitute(step["run"]), \
                "an expression inside a script (inputs go through env, never into the script's text)"
            last = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                  cwd=self.workspace, env=env, capture_output=True, text=True, timeout=900)
            self.processes[step.get("id", step["name"])] = last
            if "id" in step:
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in
                                                output_file.read_text(encoding="utf-8").splitlines() if "=" in line)
            if last.returncode != 0:
                return last
        return last


def this_environment() -> str:
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "work" / "pages").mkdir(parents=True)
    (tmp_path / "work" / "pages" / "sale.md").write_text(SALE, encoding="utf-8")
    (tmp_path / "work" / "pages" / "calm.md").write_text("# About us\n\nWe make bags.\n", encoding="utf-8")
    (tmp_path / "temp").mkdir()
    return tmp_path / "work"


def test_sarif_is_written_and_uploaded_and_findings_fail_the_step(workspace: Path) -> None:
    runner = Runner(workspace, workspace.parent / "temp", {"paths": "pages/sale.md\npages/calm.md"},
                    this_environment())
    process = runner.run(skip=("install",))
    assert process is not None and process.returncode == 1, process.stderr if process else None
    assert runner.outputs["check"]["exit-code"] == "1"
    sarif_file = Path(runner.outputs["check"]["sarif-file"])
    results = json.loads(sarif_file.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert results and {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == \
        {"pages/sale.md"}
    assert runner.called == [("actions/setup-python@v5", {"python-version": "3.12"}),
                             ("github/codeql-action/upload-sarif@v3",
                              {"sarif_file": str(sarif_file), "category": "ethicslint"})]


def test_github_annotations_follow_the_config_and_fail_on_inputs(workspace: Path) -> None:
    (workspace / "pages" / "soon.md").write_text("This offer ends soon.\n", encoding="utf-8")
    (workspace / "house.toml").write_text('[severity]\nURG101 = "error"\n', encoding="utf-8")
    statuses = {}
    for config in ("", "house.toml"):
        runner = Runner(workspace, workspace.parent / "temp",
                        {"format": "github", "config": config, "fail-on": "error", "paths": "pages/soon.md"},
                        this_environment())
        process = runner.run(skip=("install",))
        assert process is not None and runner.outputs["check"]["exit-code"] == str(process.returncode)
        annotations = [line for line in runner.processes["check"].stdout.splitlines() if line.startswith("::")]
        assert [line.split(" ", 1)[0] for line in annotations] == ["::error" if config else "::warning"]
        assert "file=pages/soon.md,line=1" in annotations[0] and "sarif-file" not in runner.outputs["check"]
        assert [uses for uses, _ in runner.called] == ["actions/setup-python@v5"]  # no upload without SARIF
        statuses[config] = process.returncode
    assert statuses == {"": 0, "house.toml": 1}  # a warning is below fail-on error; the config raised it


def test_changed_since_reports_only_what_the_pull_request_changed(workspace: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "copy"],
                    ["checkout", "-q", "-b", "pr"]):
        subprocess.run(["git", *command], cwd=workspace, env=env, check=True, capture_output=True)
    (workspace / "pages" / "calm.md").write_text("# About us\n\nWe make bags. Only 3 left, buy now!\n",
                                                 encoding="utf-8")
    runner = Runner(workspace, workspace.parent / "temp", {"changed-since": "main", "upload": "false"},
                    this_environment())
    process = runner.run(skip=("install",))
    results = json.loads(Path(runner.outputs["check"]["sarif-file"]).read_text(encoding="utf-8"))["runs"][0]["results"]
    assert results and {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == \
        {"pages/calm.md"}  # sale.md's findings are older than the pull request
    assert process is not None and process.returncode == 1
    assert [uses for uses, _ in runner.called] == ["actions/setup-python@v5"]


def test_a_bad_format_is_an_error_with_a_message(workspace: Path) -> None:
    runner = Runner(workspace, workspace.parent / "temp", {"format": "xml"}, this_environment())
    process = runner.run(skip=("install",))
    assert process is not None and process.returncode == 2 and "format must be sarif or github" in process.stderr


@pytest.mark.network
def test_the_install_step_installs_this_checkout_in_a_fresh_environment(tmp_path: Path, workspace: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    path = os.pathsep.join([str(environment / "bin"), os.environ.get("PATH", "")])
    runner = Runner(workspace, workspace.parent / "temp", {"format": "github"}, path)
    process = runner.run()
    assert process is not None and process.returncode == 1, process.stderr
    installed = subprocess.run([str(environment / "bin" / "ethicslint"), "--version"], capture_output=True, text=True)
    assert installed.returncode == 0 and "ethicslint" in installed.stdout
    annotations = runner.processes["check"].stdout
    assert "::warning file=pages/sale.md" in annotations and "::error file=pages/sale.md" in annotations

