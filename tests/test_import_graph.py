"""The layout shows the dependencies: no module of ethicslint imports, even inside a function, a
module that imports it back (directly or through others). Checked by import-linter's
``acyclic_siblings`` contract in pyproject.toml ([tool.importlinter]), on grimp's graph of every
import statement, lazy ones included (only ``if TYPE_CHECKING:`` imports are left out)."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_ethicslint_package_has_no_import_cycle(capsys: pytest.CaptureFixture[str]):
    status = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out
