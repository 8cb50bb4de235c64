"""The ``html`` report as a page: structure, escaping of everything from the checked files, no
outside resource, the rule texts; and ``--output`` for every format. The page in a real browser
is tested in ``test_html_browser.py``."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.model import Finding, Rule, Severity
from ethicslint.reporters import FORMATS, Report, render
from ethicslint.reporters.html import SCRIPT, STYLE

HOSTILE_PATH = 'pages/<script>alert("path")</script>.md'
HOSTILE_SOURCE = 'Intro.\n<script>alert("copy")</script> Hurry, ends soon!\nBye.\n'

RULES = {
    "URG101": Rule(code="URG101", name="vague-deadline", checker="urgency", severity=Severity.WARNING,
                   summary="Flags deadlines with no date.", why="A deadline nobody can check *pressures* the reader.",
                   example="Offer ends soon!", fix="Give the real end date."),
    "DIV201": Rule(code="DIV201", name="gendered-generic", checker="diversity", severity=Severity.INFO,
                   summary="Flags gendered generics.", why='It excludes readers. <img src=x onerror="alert(1)">'),
}
FINDINGS = [
    Finding(path=HOSTILE_PATH, line=2, column=39, end_line=2, end_column=48, code="URG101", checker="urgency",
            severity=Severity.WARNING, message='Vague deadline: "ends soon" <script>alert("message")</script>',
            suggestion="Say <b>when</b>.", text="ends soon"),
    Finding(path="fr/page.md", line=1, column=1, end_line=1, end_column=9, code="DIV201", checker="diversity",
            severity=Severity.INFO, message="Générique masculin.", text="vendeurs"),
    Finding(path="fr/page.md", line=3, column=1, end_line=3, end_column=6, code="URG101", checker="urgency",
            severity=Severity.ERROR, message="Vite !", text="Vite !"),
]
SOURCES = {HOSTILE_PATH: HOSTILE_SOURCE, "fr/page.md": "vendeurs et clients\n\nVite ! Plus que 2.\n"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    nodes: list[Element | str] = field(default_factory=list)  # elements and text, in order

    @property
    def children(self) -> list[Element]:
        return [node for node in self.nodes if isinstance(node, Element)]

    def all_text(self) -> str:
        return "".join(node if isinstance(node, str) else node.all_text() for node in self.nodes)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                    value in child.attrs.get(key.rstrip("_"), "").split() if key == "class_"
                    else child.attrs.get(key) == value for key, value in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found


VOID = {"meta", "input", "br", "rect", "img", "link"}


class TreeBuilder(HTMLParser):
    """The page as a tree of elements, as an HTML parser (not a regex) sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#root", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.nodes.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.nodes.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.nodes.append(data)


def page(report: Report) -> Element:
    builder = TreeBuilder()
    builder.feed(render("html", report))
    builder.close()
    return builder.root


def make_report(findings: list[Finding] = FINDINGS, languages: dict[Finding, str | None] | None = None) -> Report:
    return Report(findings=list(findings), rules=RULES, files_checked=3, sources=SOURCES.get, tool_version="0.1.0",
                  languages={FINDINGS[0]: "en", FINDINGS[1]: "fr", FINDINGS[2]: "fr"} if languages is None
                  else languages)


def test_the_only_script_is_the_page_s_own_and_copy_and_paths_are_text() -> None:
    root = page(make_report())
    scripts = root.find_all("script")
    assert [s.all_text() for s in scripts] == [SCRIPT]
    headings = [h.all_text() for h in root.find_all("h2")]
    assert any(HOSTILE_PATH in heading for heading in headings)  # shown as text, exactly
    passage = root.find_all("pre", class_="passage")[-1]
    assert '<script>alert("copy")</script>' in passage.all_text()
    message = root.find_all("p", class_="message")[-1]
    assert message.all_text() == FINDINGS[0].message
    assert root.find_all("b") == [] and root.find_all("img") == []  # suggestion and rule text: not markup
    assert "Say <b>when</b>." in root.find_all("p", class_="suggestion")[0].all_text()


def test_no_outside_resource_and_the_policy_allows_only_the_page_s_own_style_and_script() -> None:
    text = render("html", make_report())
    root = page(make_report())
    for element in root.find_all():
        for name in ("src", "href", "action", "srcset"):
            value = element.attrs.get(name)
            assert value is None or value.startswith("#"), (element.tag, name, value)
    policy = next(m.attrs["content"] for m in root.find_all("meta") if m.attrs.get("http-equiv"))
    digest = lambda t: base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()  # noqa: E731
    assert f"script-src 'sha256-{digest(SCRIPT)}'" in policy and f"style-src 'sha256-{digest(STYLE)}'" in policy
    assert policy.startswith("default-src 'none'")
    assert [s.all_text() for s in root.find_all("style")] == [STYLE]
    assert "@import" not in text and "url(" not in text


def test_grouped_by_file_then_finding_with_the_match_marked() -> None:
    root = page(make_report())
    files = root.find_all("section", class_="file")
    assert [f.find_all("h2")[0].all_text() for f in files] == ["fr/page.md (2 findings)", f"{HOSTILE_PATH} (1 finding)"]
    first = files[0].find_all("article")
    assert [a.attrs["data-checker"] for a in first] == ["diversity", "urgency"]
    assert [a.attrs["data-severity"] for a in first] == ["info", "error"]
    assert [a.attrs["data-language"] for a in first] == ["fr", "fr"]
    assert [m.all_text() for m in files[1].find_all("mark")] == ["ends soon"]
    assert files[1].find_all("pre")[0].all_text() == '<script>alert("copy")</script> Hurry, ends soon!'
    assert [h.all_text() for h in files[0].find_all("h3")] == ["info DIV201 gendered-generic",
                                                               "error URG101 vague-deadline"]


def test_counts_chart_and_filters_come_first() -> None:
    root = page(make_report())
    counts = root.find_all("ul", class_="counts")[0].all_text()
    assert "3 findings" in counts and "error 1" in counts and "warning 1" in counts and "info 1" in counts
    assert "2 of 3 files checked have findings" in counts
    bars = root.find_all("rect")
    assert sorted(int(b.attrs["width"]) for b in bars) == [180, 360]  # urgency 2, diversity 1
    assert "urgency: 2; diversity: 1" in root.find_all("desc")[0].all_text()
    boxes = {(b.attrs["name"], b.attrs["value"]) for b in root.find_all("input")}
    assert boxes == {("checker", "diversity"), ("checker", "urgency"), ("severity", "error"),
                     ("severity", "warning"), ("severity", "info"), ("language", "en"), ("language", "fr")}
    assert "hidden" in root.find_all("div", id="filters")[0].attrs  # shown by the script, useless without it


def test_a_finding_without_a_language_or_source_is_still_listed() -> None:
    orphan = Finding(path="gone.md", line=9, column=1, end_line=9, end_column=2, code="XYZ999", checker="other",
                     severity=Severity.WARNING, message="m", text="")
    root = page(make_report(findings=[orphan], languages={}))
    article = root.find_all("article")[0]
    assert article.attrs["data-language"] == "unknown" and article.find_all("pre") == []
    assert article.find_all("details") == []  # no rule known: no why


def test_the_why_is_collapsible_and_every_rule_is_explained_once_with_its_headings_under_the_page() -> None:
    root = page(make_report())
    whys = [d for d in root.find_all("details") if d.parent and d.parent.tag == "article"]
    assert len(whys) == 3 and "pressures" in whys[-1].all_text()
    assert whys[-1].find_all("em")[0].all_text() == "pressures"  # the why is Markdown
    rules = root.find_all("section", class_="rule")
    assert [r.attrs["id"] for r in rules] == ["rule-DIV201", "rule-URG101"]
    assert [h.all_text() for h in rules[1].find_all("h3")] == ["URG101 vague-deadline"]
    assert "Why is this bad?" in [h.all_text() for h in rules[1].find_all("h4")]
    assert len(root.find_all("h1")) == 1


def test_an_empty_report_is_a_page_that_says_so() -> None:
    root = page(make_report(findings=[], languages={}))
    assert "0 findings" in root.find_all("ul", class_="counts")[0].all_text()
    assert root.find_all("article") == [] and root.find_all("svg") == [] and root.find_all("input") == []


# --- --output, end to end ----------------------------------------------------------------------

ONLY_TEST = ["--plugin", "ethicslint_testplugin", "--select", "TST,EL", "--no-cache"]


@pytest.fixture
def hostile_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pages" / "<script>").mkdir(parents=True)
    (tmp_path / "pages" / "<script>" / "<img src=x onerror=alert(1)>.md").write_text(
        "# Sale\n\n<script>alert(1)</script> Hurry, the deal is here.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_writes_what_stdout_would_show_and_keeps_the_summary_on_stderr(hostile_repo: Path, fmt: str) -> None:
    status, printed, _ = invoke("check", *ONLY_TEST, "--format", fmt, "pages")
    old = os.umask(0o027)
    try:
        written_status, out, err = invoke("check", *ONLY_TEST, "--format", fmt, "--output", "reports/out", "pages")
    finally:
        os.umask(old)
    assert (written_status, status) == (1, 1)
    assert out == "" and "1 finding" in err
    assert (hostile_repo / "reports" / "out").read_text(encoding="utf-8") == printed
    assert stat.S_IMODE((hostile_repo / "reports" / "out").stat().st_mode) == 0o640  # as a redirection would
    assert not [p for p in (hostile_repo / "reports").iterdir() if p.name.startswith(".tmp-")]


def test_html_report_of_a_hostile_file_escapes_its_name_and_copy(hostile_repo: Path) -> None:
    status, _, _ = invoke("check", *ONLY_TEST, "--format", "html", "-o", "report.html", "pages")
    assert status == 1
    text = (hostile_repo / "report.html").read_text(encoding="utf-8")
    assert text.count("<script") == 1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "pages/&lt;script&gt;/&lt;img src=x onerror=alert(1)&gt;.md" in text
    assert re.search(r'data-language="en"', text)


def test_output_into_a_directory_is_a_usage_error(hostile_repo: Path) -> None:
    status, _, err = invoke("check", *ONLY_TEST, "--output", "pages", "pages")
    assert status == 2 and "--output pages is a directory" in err


def test_a_report_written_into_the_checked_directory_is_not_checked_by_the_next_run(hostile_repo: Path) -> None:
    for _ in range(2):
        status, _, err = invoke("check", *ONLY_TEST, "--format", "json", "-o", "report.json", ".")
        assert status == 1 and "1 finding (1 warning) in 1 file" in err
    assert "report.json" not in (hostile_repo / "report.json").read_text(encoding="utf-8")
