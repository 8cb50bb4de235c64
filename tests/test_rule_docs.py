"""docs/rules/ is generated from rule metadata (`ethicslint rules --docs docs/rules`): keep it current,
and every rule documented in ruff's sections."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.host import Host

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_rule_pages_match_the_metadata(tmp_path: Path):
    result = CliRunner().invoke(main, ["rules", "--docs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    generated = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(name for name in generated.keys() | committed.keys()
                   if generated.get(name) != committed.get(name))
    assert not stale, f"docs/rules is out of date for {stale}: run `ethicslint rules --docs docs/rules`"


def test_every_builtin_rule_is_fully_documented():
    host = Host()
    host.load()
    for code, rule in host.rules.items():
        if code.startswith("EL"):
            continue
        missing = [f for f in ("summary", "why", "example", "use_instead", "fix") if not getattr(rule, f).strip()]
        assert not missing, f"{code} lacks {missing}"
        assert set(rule.languages) <= {"en", "fr"}
