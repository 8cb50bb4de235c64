"""The public API: ``ethicslint.__all__`` is what plugins use, all of it resolves, it is documented
once (the docstring of ``ethicslint/__init__.py``, shown as the table in ``docs/plugins.md``), and
importing it stays cheap."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ethicslint
import ethicslint.testing

REPO = Path(__file__).resolve().parent.parent
PLUGIN_SOURCES = sorted([*(REPO / "plugins").rglob("*.py"), *(REPO / "docs" / "plugin-template").rglob("*.py")])
GUIDE = REPO / "docs" / "plugins.md"
TABLE = re.compile(r"<!-- public-api: .*? -->\n(.*?)<!-- /public-api -->\n", re.S)


def documented_names() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(name, one line)]) from the docstring of ``ethicslint``, in order."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    listing = ethicslint.__doc__.split("Every public name", 1)[1].split("\n\n", 1)[1]
    for line in listing.splitlines():
        entry = re.fullmatch(r" {4}(\w+): (.+)", line)
        if entry:
            groups[-1][1].append((entry[1], entry[2]))
        elif line.strip():
            assert line.endswith(":") and not line.startswith(" "), f"not a group or a name: {line!r}"
            groups.append((line[:-1], []))
    return groups


def api_table() -> str:
    """The table of public names in ``docs/plugins.md``, made from the docstring."""
    markdown = lambda text: text.replace("``", "`")  # noqa: E731
    rows = ["| name | what it is |", "|---|---|"]
    for group, entries in documented_names():
        rows.append(f"| **{markdown(group)}** | |")
        rows.extend(f"| `{name}` | {markdown(line)} |" for name, line in entries)
    return "\n".join(rows) + "\n"


def ethicslint_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import of ethicslint or one of its modules in ``path``
    (``import ethicslint.x`` gives names []), type-checking-only imports included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names if alias.name.split(".")[0] == "ethicslint"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "ethicslint":
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def test_every_public_name_resolves():
    for name in ethicslint.__all__:
        assert getattr(ethicslint, name) is not None, name
    assert len(set(ethicslint.__all__)) == len(ethicslint.__all__)
    for name in ethicslint.testing.__all__:
        assert getattr(ethicslint.testing, name) is not None, name


def test_every_public_name_has_one_line_in_the_docstring():
    documented = [name for _, entries in documented_names() for name, _ in entries]
    assert sorted(documented) == sorted(ethicslint.__all__)


def test_the_guide_shows_the_public_names_of_the_docstring():
    block = TABLE.search(GUIDE.read_text(encoding="utf-8"))
    assert block, "docs/plugins.md has no <!-- public-api: ... --> table"
    assert block[1] == api_table(), "the table in docs/plugins.md should be:\n" + api_table()


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_plugins_and_the_template_import_only_public_names(path: Path):
    public_modules = {f"ethicslint.{name}": getattr(ethicslint, name).__all__ for name in ethicslint.__all__
                      if isinstance(getattr(ethicslint, name), type(ethicslint))}
    for line, module, names in ethicslint_imports(path):
        where = f"{path.relative_to(REPO)}:{line}"
        if module == "ethicslint":
            assert set(names) <= set(ethicslint.__all__), f"{where} imports {set(names) - set(ethicslint.__all__)}"
        else:
            assert module in public_modules, f"{where} imports the internal module {module}"
            assert names and set(names) <= set(public_modules[module]), f"{where}: {names} not in {module}.__all__"


def test_the_plugins_are_checked():
    """The list of sources is not empty by mistake, and holds the urgency plugin's modules."""
    names = {path.name for path in PLUGIN_SOURCES}
    assert {"lexicon.py", "detect.py", "test_brand_voice.py"} <= names


def test_importing_ethicslint_does_not_import_spacy():
    code = ("import sys, ethicslint; "
            "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith(('spacy.', 'ethicslint.matching', "
            "'ethicslint.analysis', 'ethicslint.nlp'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_matches_by_sentence_puts_each_match_in_the_sentence_holding_it():
    from ethicslint.analysis import analyze_text
    from ethicslint.matching import TermMatcher, parse_terms

    table = parse_terms({"hurry": {"phrases": ["hurry up"]}, "left": {"phrases": ["left"]}}, "test")
    matcher = TermMatcher(table, "en")
    doc = analyze_text("Nothing here. Hurry up, two left! Hurry up again.", "en").segments[0].doc
    sents = ethicslint.matches_by_sentence(doc, matcher)
    assert [s.span.text for s in sents] == ["Nothing here.", "Hurry up, two left!", "Hurry up again."]
    assert [[(label, [m.text for m in spans]) for label, spans in sorted(s.hits.items())] for s in sents] == [
        [], [("hurry", ["Hurry up"]), ("left", ["left"])], [("hurry", ["Hurry up"])]]
    assert sents[1].has("left") and not sents[2].has("left") and sents[2].get("left") == []
    only = ethicslint.matches_by_sentence(doc, matcher, ["left"])
    assert [sorted(s.hits) for s in only] == [[], ["left"], []]
