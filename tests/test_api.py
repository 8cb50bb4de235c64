"""The Python API (``ethicslint.Linter``, ``ethicslint.check_text``): the same findings as
``ethicslint check --format json`` on the same input, metadata and kind read as front matter
reads them, flat memory over many calls, and clear errors for bad settings and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ethicslint
from ethicslint import ConfigError, Linter
from ethicslint.testing import load_cases

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CORPORA = sorted((REPO / "tests" / "corpus").glob("*/*.jsonl"))
CORPUS_SAMPLE_STEP = 4  # every 4th case of each labelled corpus: ~530 cases, both languages, every checker
# The only corpus-level rules shipped: the diversity checker's representation checks, which compare
# the files of a run (its ethicslint_check_corpus hook). check_text never runs them.
CORPUS_RULES = {"DIV501", "DIV502", "DIV503"}


def cli_json(paths: list[str], cwd: Path, *extra: str) -> tuple[list[dict], int]:
    """The findings ``ethicslint check --format json`` prints for ``paths`` run from ``cwd``, and
    its exit status (a real process: the command line as users run it, without server or cache)."""
    env = {**os.environ, "ETHICSLINT_SERVER": "off"}
    done = subprocess.run([sys.executable, "-m", "ethicslint", "check", "--format", "json", "--no-cache",
                           "--no-server", *extra, *paths], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=900)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout), done.returncode


def as_dicts(findings: list[ethicslint.Finding]) -> list[dict]:
    return [f.to_dict() for f in findings]


@pytest.fixture(scope="module")
def repo_linter() -> Linter:
    return Linter(root=REPO)


@pytest.fixture(scope="module")
def examples_cli() -> tuple[list[dict], int]:
    return cli_json(["examples"], REPO)


def test_check_paths_gives_what_the_command_line_gives_on_the_examples(repo_linter, examples_cli, monkeypatch):
    monkeypatch.chdir(REPO)
    expected, status = examples_cli
    report = repo_linter.check_paths(["examples"])
    assert as_dicts(report.findings) == expected
    assert {f["code"] for f in expected} & CORPUS_RULES, "the examples should exercise a corpus-level rule"
    assert report.exit_status == status == 1
    assert report.files_checked == len({p for p in EXAMPLES.rglob("*") if p.suffix in (".md", ".yml", ".html")})
    assert report.warnings == []


def test_check_text_gives_what_the_command_line_gives_on_every_example_file(repo_linter, examples_cli, monkeypatch):
    monkeypatch.chdir(REPO)
    expected, _ = examples_cli
    files = sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix in (".md", ".yml", ".html"))
    assert len(files) > 50
    compared = 0
    for file in files:
        path = file.relative_to(REPO).as_posix()
        found = as_dicts(repo_linter.check_text(file.read_text(encoding="utf-8"), path=path))
        assert found == [f for f in expected if f["path"] == path and f["code"] not in CORPUS_RULES], path
        compared += len(found)
    assert compared == len([f for f in expected if f["code"] not in CORPUS_RULES])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_check_text_gives_what_the_command_line_gives_on_the_labelled_corpora(lang, tmp_path, monkeypatch):
    """A sample of every checker's labelled cases, each written to its own ``.txt`` file and read
    by the same reader both ways, language forced as ``--language`` forces it."""
    cases = [case["text"] for corpus in CORPORA if corpus.stem == lang
             for case in load_cases(corpus)[::CORPUS_SAMPLE_STEP]]
    for number, text in enumerate(cases):
        (tmp_path / f"c{number:04}.txt").write_text(text, encoding="utf-8")
    expected, _ = cli_json(["."], tmp_path, "--language", lang, "--exit-zero")
    monkeypatch.chdir(tmp_path)
    linter = Linter(root=tmp_path)
    found = [f for number, text in enumerate(cases)
             for f in as_dicts(linter.check_text(text, path=f"c{number:04}.txt", language=lang))]
    assert len({f["path"] for f in found}) > len(cases) // 3, "most sampled cases should have findings"
    assert found == [f for f in expected if f["code"] not in CORPUS_RULES]


BODY = "Cut from European flax and garment-washed for a lived-in softness.\n"


def codes(findings: list[ethicslint.Finding]) -> list[str]:
    return [f.code for f in findings]


def test_metadata_is_read_as_front_matter_is(repo_linter):
    through_front_matter = repo_linter.check_text("---\nai_generated: true\n---\n" + BODY, path="linen.md")
    through_metadata = repo_linter.check_text(BODY, path="linen.md", metadata={"ai_generated": True})
    assert "AID101" in codes(through_front_matter)
    assert codes(through_metadata) == codes(through_front_matter)
    assert "AID101" not in codes(repo_linter.check_text(BODY, path="linen.md"))


PASSWORD_MAIL = "Your password reset link expires in 24 hours. Hurry, only 2 left!"


def test_kind_changes_findings_as_front_matter_kind_does(repo_linter):
    promotional = codes(repo_linter.check_text(PASSWORD_MAIL))
    transactional = codes(repo_linter.check_text(PASSWORD_MAIL, kind="transactional"))
    assert "URG103" in promotional and "URG103" not in transactional
    front_matter = codes(repo_linter.check_text("---\nkind: transactional\n---\n" + PASSWORD_MAIL, path="mail.md"))
    assert transactional == front_matter == codes(repo_linter.check_text(PASSWORD_MAIL, metadata={"kind": "transactional"}))
    # a forced kind wins over the front matter's
    assert codes(repo_linter.check_text("---\nkind: promotional\n---\n" + PASSWORD_MAIL, path="mail.md",
                                        kind="transactional")) == front_matter


def test_settings_and_inline_suppressions_apply_as_in_a_run(tmp_path, monkeypatch):
    (tmp_path / ".ethicslint.toml").write_text('ignore = ["URG201"]\nseverity = { URG103 = "info" }\n'
                                               '[per-file-ignores]\n"legal/*" = ["URG"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    linter = Linter(root=tmp_path)
    found = linter.check_text("Hurry, only 2 left!")
    assert "URG201" not in codes(found)
    assert [f.severity.value for f in found if f.code == "URG103"] == ["info"]
    assert not [c for c in codes(linter.check_text("Hurry, only 2 left!", path="legal/terms.txt")) if c.startswith("URG")]
    suppressed = linter.check_text("Hurry, only 2 left! <!-- ethicslint-disable-line URG103 -->", path="page.md")
    assert "URG103" not in codes(suppressed) and "URG501" in codes(suppressed)
    assert linter.config_path == tmp_path / ".ethicslint.toml"


def test_the_module_level_check_text_reuses_one_linter(monkeypatch):
    monkeypatch.setattr("ethicslint.api._default", None)
    first = ethicslint.check_text("Hurry, only 2 left!")
    default = ethicslint.api._default
    assert default is not None and "URG201" in codes(first)
    assert codes(ethicslint.check_text("Hurry, only 2 left!")) == codes(first)
    assert ethicslint.api._default is default


def test_a_config_error_raises_config_error_with_the_message_the_command_line_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the message names the file relative to the current directory, as the CLI's
    (tmp_path / ".ethicslint.toml").write_text('selct = ["URG"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        Linter(root=tmp_path, warm=False)
    done = subprocess.run([sys.executable, "-m", "ethicslint", "check", "--no-server", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == f"ethicslint: error: {raised.value}"
    assert ".ethicslint.toml" in str(raised.value) and "selct" in str(raised.value)
    with pytest.raises(ConfigError):
        Linter(config=tmp_path / ".ethicslint.toml", warm=False)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda linter: linter.check_text(b"Hurry!"), TypeError, "text must be a str, got bytes"),
    (lambda linter: linter.check_text(None), TypeError, "got NoneType"),
    (lambda linter: linter.check_text("Hurry!", language="de"), ValueError, "unknown language 'de'"),
    (lambda linter: linter.check_text("Hurry!", kind="advert"), ValueError, "unknown kind 'advert'"),
    (lambda linter: linter.check_text("Hurry!", path="copy.exe"), ValueError, "unknown file type"),
    (lambda linter: linter.check_text("Hurry!", metadata=["ai"]), TypeError, "metadata must be a mapping"),
    (lambda linter: linter.check_text("Hurry \ud800"), ValueError, "cannot be encoded"),
    (lambda linter: linter.check_paths(["no/such/dir"]), ValueError, "no/such/dir"),
])
def test_bad_input_gets_a_clear_error(repo_linter, call, error, words):
    with pytest.raises(error, match=words.replace("'", ".")):
        call(repo_linter)


def resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident size from /proc")
def test_ten_thousand_calls_keep_memory_flat(repo_linter):
    texts = ["Hurry, only {n} left!", "Offer ends tonight: {n}% off.", "Plus que {n} en stock, vite !",
             "Our assistant answers question {n}.", "Join {n} happy customers."]
    for n in range(1_000):  # warm: every text, number and string of the vocabulary seen once
        repo_linter.check_text(texts[n % len(texts)].format(n=n % 50))
    before = resident_bytes()
    for n in range(9_000):
        assert repo_linter.check_text(texts[n % len(texts)].format(n=n % 50)) is not None
    growth = resident_bytes() - before
    assert growth < 20 * 1024 * 1024, f"resident memory grew by {growth / 2**20:.1f} MiB over 9,000 calls"


def test_format_exclusion_and_explanations_are_the_command_lines(tmp_path, monkeypatch):
    (tmp_path / ".ethicslint.toml").write_text('exclude = ["legal/**"]\n\n[formats]\n".njk" = "html"\n',
                                               encoding="utf-8")
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal" / "terms.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("Hurry, only 2 left!\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    linter = Linter(root=tmp_path)
    assert linter.format_of("mail.njk") == "html" and linter.format_of("page.md") == "markdown"
    assert linter.format_of("photo.png") is None
    assert linter.excludes(tmp_path / "legal" / "terms.md") and not linter.excludes(tmp_path / "page.md")
    assert linter.excludes(tmp_path / "legal" / "unsaved.md")  # not on disk yet: the globs decide
    checked = linter.check_paths([tmp_path])
    assert {f.path for f in checked.findings} == {"page.md"}
    explained = subprocess.run([sys.executable, "-m", "ethicslint", "explain", "URG201"], capture_output=True,
                               text=True, check=True).stdout
    assert linter.explain("URG201").strip() == explained.strip()
