"""The "add a phrase" pages (docs/terms/) are generated from the terms files and stay current,
and the example they give does what they say."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("terms_docs", ROOT / "scripts" / "terms_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["terms_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_the_pages_are_current(tmp_path: Path):
    terms_docs = _script()
    assert terms_docs.main(["--dir", str(tmp_path)]) == 0
    for name in ("README.md", "urgency.md", "ai-disclosure.md", "diversity.md", "data-claims.md",
                 "green-claims.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / "docs" / "terms" / name).read_text(
            encoding="utf-8"), f"docs/terms/{name} is out of date: run python scripts/terms_docs.py"


def test_every_label_of_every_terms_file_is_listed():
    import tomllib

    terms_docs = _script()
    for checker, module_name in terms_docs.CHECKERS.items():
        page = (ROOT / "docs" / "terms" / f"{checker}.md").read_text(encoding="utf-8")
        terms_dir = ROOT / "plugins" / module_name / "terms"
        for path in terms_dir.glob("*.toml"):
            for label in tomllib.loads(path.read_text(encoding="utf-8")):
                assert f"| `{label}` |" in page, (checker, path.name, label)


def test_an_entry_comment_below_its_header_is_its_description(tmp_path: Path):
    terms_docs = _script()
    path = tmp_path / "en.toml"
    path.write_text('# file notes\n\n# above one\n[one]\nphrases = ["a"]\n\n[two]\n# below two\n'
                    'phrases = ["b"]\nkind = "k"\n\n[three]\nlemmas = ["c"]\nkind = "label three"\n',
                    encoding="utf-8")
    found = {e.label: e for e in terms_docs.entries(path)}
    assert found["one"].note == "above one"
    assert found["two"].note == "below two" and found["two"].keys == ["kind"]
    assert found["three"].note == "label three" and found["three"].kinds == {"lemmas": 1}


def test_the_example_on_the_index_page_reports_the_added_phrase(tmp_path: Path):
    terms_docs = _script()
    (tmp_path / ".ethicslint.toml").write_text(f"[urgency]\n{terms_docs.EXAMPLE_CONFIG_LINE}\n", encoding="utf-8")
    command = [sys.executable, "-m", "ethicslint", "check", "-", "--stdin-filename", "t.txt", "--language", "en",
               "--no-cache", "--no-server", "--format", "json"]
    with_phrase = subprocess.run(command, input=terms_docs.EXAMPLE_TEXT, cwd=tmp_path, capture_output=True,
                                 text=True, timeout=120)
    assert with_phrase.returncode == 1, with_phrase.stderr
    assert '"URG201"' in with_phrase.stdout
    (tmp_path / ".ethicslint.toml").unlink()
    without = subprocess.run(command, input=terms_docs.EXAMPLE_TEXT, cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
    assert without.returncode == 0, without.stdout + without.stderr
