"""The output formats: golden files per format, SARIF structure, escaping, edge cases.

The golden files in ``tests/fixtures/reporters/`` were written (and checked) by hand against
the format descriptions; a diff in them is a change in what users or CI see, and must be
deliberate.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from ethicslint.model import Finding, Rule, Severity
from ethicslint.reporters import FORMATS, Report, render, summary_line
from ethicslint.reporters.github import escape_data, escape_property

FIXTURES = Path(__file__).parent / "fixtures" / "reporters"

RULES = {
    rule.code: rule
    for rule in (
        Rule(code="URG101", name="vague-deadline", checker="urgency", severity=Severity.WARNING,
             summary="Flags deadlines with no date.",
             why="A deadline nobody can check pressures the reader (UCPD Annex I, 7).",
             example="Offer ends soon!", use_instead="Offer ends on 30 June.",
             fix="Give the real end date, or remove the deadline."),
        Rule(code="URG102", name="act-now", checker="urgency", severity=Severity.WARNING,
             summary="Flags pressure to act immediately.",
             why="Rushing the reader stops them from comparing offers."),
        Rule(code="URG201", name="scarcity", checker="urgency", severity=Severity.ERROR,
             summary="Flags low-stock claims.", why="Invented scarcity is a banned practice.",
             references=("UCPD Annex I, 7",)),
        Rule(code="DIV201", name="gendered-generic", checker="diversity", severity=Severity.INFO,
             summary="Flags gendered words used for everyone.", why="It excludes readers.",
             example="Every salesman", use_instead="Every salesperson"),
        Rule(code="AID301", name="bot-as-human", checker="ai-disclosure", severity=Severity.ERROR,
             summary="Flags chatbots presented as people.", why="EU AI Act, article 50(1).",
             fix="Say it is a virtual assistant."),
        Rule(code="EL102", name="not-utf8", checker="ethicslint", severity=Severity.WARNING,
             summary="Not UTF-8.", why="Garbled copy."),  # known but without results
    )
}

SOURCES = {
    "docs/landing page.md": "# Summer sale\n\nOur sale ends soon — don’t miss it!\nEvery salesman knows this.\n",
    "emails/fr/bienvenue.html": "<p>Dépêchez-vous : plus que\r\n3 places disponibles !</p>\r\n",
    "notes.txt": "\tLimited\toffer: act now!\n限时优惠 ends tonight\n",
    # strings/app.yaml: no source available
}

FINDINGS = [  # deliberately not in output order
    Finding(path="strings/app.yaml", line=7, column=12, end_line=7, end_column=30, code="AID301",
            checker="ai-disclosure", severity=Severity.ERROR,
            message="Chatbot “Léa” is presented as a human agent.",
            suggestion="Say that Léa is a virtual assistant.", text="Léa, votre hôtesse"),
    Finding(path="notes.txt", line=2, column=6, end_line=2, end_column=18, code="URG101", checker="urgency",
            severity=Severity.INFO, message="Vague deadline: “ends tonight” gives no date.",
            text="ends tonight"),
    Finding(path="docs/landing page.md", line=4, column=7, end_line=4, end_column=15, code="DIV201",
            checker="diversity", severity=Severity.INFO, message="Gendered generic “salesman”.",
            suggestion="Use “salesperson”.", text="salesman"),
    Finding(path="emails/fr/bienvenue.html", line=1, column=20, end_line=2, end_column=9, code="URG201",
            checker="urgency", severity=Severity.ERROR, message="Rareté invoquée : « plus que 3 places ».",
            text="plus que 3 places"),
    Finding(path="notes.txt", line=1, column=17, end_line=1, end_column=24, code="URG102", checker="urgency",
            severity=Severity.WARNING, message="Pressure to act now.", text="act now"),
    Finding(path="docs/landing page.md", line=3, column=10, end_line=3, end_column=19, code="URG101",
            checker="urgency", severity=Severity.WARNING, message="Vague deadline: “ends soon” gives no date.",
            suggestion="Give the real end date, e.g. “ends 30 June”.", text="ends soon"),
]


def make_report(findings: list[Finding] | None = None, sources: dict[str, str] | None = None,
                files_checked: int = 5, rules: dict[str, Rule] | None = None) -> Report:
    source_map = SOURCES if sources is None else sources
    return Report(findings=list(FINDINGS if findings is None else findings),
                  rules=RULES if rules is None else rules, files_checked=files_checked,
                  sources=source_map.get, tool_version="0.1.0")


def finding(**overrides) -> Finding:  # type: ignore[no-untyped-def]
    fields = dict(path="a.md", line=1, column=1, end_line=1, end_column=2, code="URG101", checker="urgency",
                  severity=Severity.WARNING, message="m", suggestion=None, text="x")
    fields.update(overrides)
    return Finding(**fields)


def golden(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").removesuffix("\n")


def sarif(report: Report) -> dict:
    return json.loads(render("sarif", report))


# --- golden outputs --------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "fixture"), [
    ("concise", "concise.txt"), ("full", "full.txt"), ("json", "json.json"), ("github", "github.txt"),
    ("sarif", "sarif.json"),
])
def test_golden(fmt: str, fixture: str) -> None:
    assert render(fmt, make_report()) == golden(fixture)


def test_output_has_no_trailing_newline_because_click_echo_adds_one() -> None:
    for fmt in FORMATS:
        assert not render(fmt, make_report()).endswith("\n"), fmt


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", make_report())


def test_json_is_utf8_not_escaped() -> None:
    out = render("json", make_report())
    assert "“ends soon”" in out and "\\u" not in out


# --- empty reports ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["concise", "full", "github"])
def test_empty_line_formats_print_nothing(fmt: str) -> None:
    assert render(fmt, make_report(findings=[])) == ""


def test_empty_json_is_an_empty_list() -> None:
    assert render("json", make_report(findings=[])) == "[]"


def test_empty_sarif_has_empty_results_and_no_rules() -> None:
    log = sarif(make_report(findings=[]))
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    jsonschema.validate(log, sarif_schema(), format_checker=FORMAT_CHECKER)


# --- summary line ----------------------------------------------------------------------------

def test_summary_plural() -> None:
    assert summary_line(make_report()) == "6 findings (2 errors, 2 warnings, 2 info) in 5 files"


def test_summary_singular() -> None:
    report = make_report(findings=[finding(severity=Severity.ERROR)], files_checked=1)
    assert summary_line(report) == "1 finding (1 error) in 1 file"


def test_summary_only_present_severities_most_serious_first() -> None:
    report = make_report(findings=[finding(severity=Severity.INFO), finding(severity=Severity.WARNING, line=2)],
                         files_checked=2)
    assert summary_line(report) == "2 findings (1 warning, 1 info) in 2 files"


@pytest.mark.parametrize(("files", "expected"), [(0, "No findings in 0 files"), (1, "No findings in 1 file"),
                                                 (5, "No findings in 5 files")])
def test_summary_no_findings(files: int, expected: str) -> None:
    assert summary_line(make_report(findings=[], files_checked=files)) == expected


# --- concise ---------------------------------------------------------------------------------

def test_concise_folds_multiline_messages_onto_one_line() -> None:
    report = make_report(findings=[finding(message="first\r\nsecond")])
    assert render("concise", report) == "a.md:1:1: URG101 first second"


def test_sorting_uses_code_as_the_last_key() -> None:
    report = make_report(findings=[finding(code="URG102"), finding(code="DIV201"), finding(path="A.md", line=9)])
    assert [line.split()[1] for line in render("concise", report).splitlines()] == ["URG101", "DIV201", "URG102"]


# --- full ------------------------------------------------------------------------------------

def full_excerpt(source: str, **overrides) -> list[str]:  # type: ignore[no-untyped-def]
    out = render("full", make_report(findings=[finding(**overrides)], sources={"a.md": source}))
    return out.splitlines()[1:3]


def test_full_gutter_width_follows_the_line_number() -> None:
    source = "\n" * 11 + "Hurry up now\n"
    assert full_excerpt(source, line=12, column=7, end_line=12, end_column=9) == [
        "  12 | Hurry up now",
        "     |       ^^",
    ]


def test_full_zero_width_and_end_of_line_spans_get_one_caret() -> None:
    assert full_excerpt("abc", column=2, end_column=2) == ["  1 | abc", "    |  ^"]
    assert full_excerpt("abc", column=4, end_column=4) == ["  1 | abc", "    |    ^"]


def test_full_span_past_the_line_end_is_clamped() -> None:
    assert full_excerpt("abc", column=2, end_column=40) == ["  1 | abc", "    |  ^^"]


def test_full_tab_stops_depend_on_the_display_column() -> None:
    # "ab\t" expands to 4 cells, "\t" at the start to 4 as well: "x" is at cell 4 in both
    assert full_excerpt("ab\tx", column=4, end_column=5) == ["  1 | ab  x", "    |     ^"]
    assert full_excerpt("\tx", column=2, end_column=3) == ["  1 |     x", "    |     ^"]


def test_full_combining_marks_take_no_cell() -> None:
    # "e" + COMBINING ACUTE ACCENT is one cell on screen but two code points
    assert full_excerpt("cafe\u0301 ouvert", column=7, end_column=13) == [
        "  1 | cafe\u0301 ouvert",
        "    |      ^^^^^^",
    ]


def test_full_counts_lines_on_newline_only() -> None:
    # a form feed inside line 1 must not push line 2 down (str.splitlines would)
    assert full_excerpt("page\x0cbreak\nnext one", line=2, end_line=2, column=6, end_column=9) == [
        "  2 | next one",
        "    |      ^^^",
    ]


def test_full_skips_the_excerpt_when_the_line_does_not_exist() -> None:
    out = render("full", make_report(findings=[finding(line=9, end_line=9)], sources={"a.md": "one line"}))
    assert out == "a.md:9:1: URG101 [warning] m\n  = help: ethicslint explain URG101"


def test_full_skips_the_excerpt_without_source() -> None:
    out = render("full", make_report(findings=[finding(suggestion="do this")], sources={}))
    assert out.splitlines() == ["a.md:1:1: URG101 [warning] m", "  = suggestion: do this",
                                "  = help: ethicslint explain URG101"]


def test_full_reads_each_source_once() -> None:
    calls: list[str] = []

    def sources(path: str) -> str:
        calls.append(path)
        return "abc\ndef\n"

    report = Report(findings=[finding(), finding(line=2, end_line=2)], rules=RULES, files_checked=1,
                    sources=sources, tool_version="0.1.0")
    render("full", report)
    assert calls == ["a.md"]


# --- github ----------------------------------------------------------------------------------

def test_github_escape_data() -> None:
    assert escape_data("100% sure\r\nnow: a, b") == "100%25 sure%0D%0Anow: a, b"
    # "%" first: an already escaped-looking sequence must not be decoded by the runner
    assert escape_data("%0A") == "%250A"


def test_github_escape_property() -> None:
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_escapes_path_and_message_in_the_command() -> None:
    report = make_report(findings=[finding(path="dir,1/a:b.md", message="50% off,\nnow: go",
                                           severity=Severity.ERROR)])
    assert render("github", report) == (
        "::error file=dir%2C1/a%3Ab.md,line=1,col=1,endLine=1,endColumn=2,title=URG101::50%25 off,%0Anow: go"
    )


@pytest.mark.parametrize(("sep", "shown"), [("/", "dir\\a.md"), ("\\", "dir/a.md")])
def test_github_backslash_is_a_separator_only_on_windows(monkeypatch: pytest.MonkeyPatch, sep: str,
                                                        shown: str) -> None:
    """On Linux and macOS a backslash is a character of a file name: it stays (issue #17)."""
    monkeypatch.setattr(os, "sep", sep)
    assert f"file={shown}," in render("github", make_report(findings=[finding(path="dir\\a.md")]))


@pytest.mark.parametrize(("severity", "command"), [(Severity.INFO, "notice"), (Severity.WARNING, "warning"),
                                                   (Severity.ERROR, "error")])
def test_github_command_per_severity(severity: Severity, command: str) -> None:
    assert render("github", make_report(findings=[finding(severity=severity)])).startswith(f"::{command} file=")


# --- sarif -----------------------------------------------------------------------------------

def sarif_schema() -> dict:
    return json.loads((FIXTURES / "sarif-2.1.0-required.schema.json").read_text(encoding="utf-8"))


# RFC 3986: pct-encoded, unreserved and reserved characters only; the `format` checks jsonschema
# ships for URIs need optional packages, so these are registered here and always enforced.
_URI_CHARS = re.compile(r"^(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]])*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


@FORMAT_CHECKER.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str) or not _URI_CHARS.match(value) or value.count("#") > 1:
        return False
    if _SCHEME.match(value):
        return True
    # a relative reference: its first segment must not contain ":" (it would read as a scheme)
    return ":" not in value.split("/", 1)[0]


@FORMAT_CHECKER.checks("uri")
def _is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(_SCHEME.match(value)) and bool(_URI_CHARS.match(value))


def test_uri_format_checker_can_fail() -> None:
    assert not _is_uri_reference("docs/landing page.md")
    assert not _is_uri_reference("notes#1#2.md")
    assert not _is_uri_reference("café.md")
    assert not _is_uri_reference("100%.md")
    assert _is_uri_reference("docs/landing%20page.md")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"uri": "a b"}, sarif_schema()["definitions"]["artifactLocation"],
                            format_checker=FORMAT_CHECKER)


def test_sarif_validates_against_the_required_properties() -> None:
    jsonschema.validate(sarif(make_report()), sarif_schema(), format_checker=FORMAT_CHECKER)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda log: log.update(version="2.0.0"), "2.1.0"),
    (lambda log: log["runs"][0]["results"][0].update(level="info"), "info"),
    (lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startColumn=0),
     "minimum"),
    (lambda log: log["runs"][0]["tool"]["driver"]["rules"][0].pop("id"), "'id' is a required property"),
])
def test_sarif_schema_rejects_broken_logs(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    log = sarif(make_report())
    mutate(log)
    with pytest.raises(jsonschema.ValidationError, match=message):
        jsonschema.validate(log, sarif_schema(), format_checker=FORMAT_CHECKER)


def test_sarif_rule_index_points_at_the_rule_with_the_same_id() -> None:
    run = sarif(make_report())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(FINDINGS)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_lists_only_rules_with_results_sorted() -> None:
    rules = sarif(make_report())["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["AID301", "DIV201", "URG101", "URG102", "URG201"]


def test_sarif_rule_metadata() -> None:
    rule = {r["id"]: r for r in sarif(make_report())["runs"][0]["tool"]["driver"]["rules"]}["URG101"]
    assert rule["name"] == "VagueDeadline"
    assert rule["shortDescription"]["text"] == "Flags deadlines with no date."
    assert rule["defaultConfiguration"] == {"level": "warning"}
    assert rule["properties"]["tags"] == ["urgency"]
    assert "## Why is this bad?\nA deadline nobody can check" in rule["help"]["markdown"]
    assert "## Use instead\n> Offer ends on 30 June." in rule["help"]["markdown"]
    assert "How to fix:\nGive the real end date" in rule["help"]["text"]
    assert "##" not in rule["help"]["text"]


def test_sarif_help_leaves_out_empty_sections() -> None:
    rule = {r["id"]: r for r in sarif(make_report())["runs"][0]["tool"]["driver"]["rules"]}["URG102"]
    assert "Example" not in rule["help"]["markdown"] and "How to fix" not in rule["help"]["markdown"]


def test_sarif_levels_follow_the_finding_not_the_rule_default() -> None:
    results = sarif(make_report())["runs"][0]["results"]
    levels = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r["level"]
              for r in results}
    assert levels[("URG101", "notes.txt")] == "note"  # info finding of a warning rule
    assert levels[("URG101", "docs/landing%20page.md")] == "warning"
    assert levels[("AID301", "strings/app.yaml")] == "error"


def test_sarif_region_and_snippet_from_source() -> None:
    results = sarif(make_report())["runs"][0]["results"]
    multi = next(r for r in results if r["ruleId"] == "URG201")
    region = multi["locations"][0]["physicalLocation"]["region"]
    # CRLF source: the snippet is the source text of the region, with "\r" dropped
    assert region == {"startLine": 1, "startColumn": 20, "endLine": 2, "endColumn": 9,
                      "snippet": {"text": "plus que\n3 places"}}
    no_source = next(r for r in results if r["ruleId"] == "AID301")
    assert no_source["locations"][0]["physicalLocation"]["region"]["snippet"] == {"text": "Léa, votre hôtesse"}


def test_sarif_suggestion_goes_into_the_message_not_fixes() -> None:
    results = sarif(make_report())["runs"][0]["results"]
    first = results[0]
    assert first["message"]["text"] == ("Vague deadline: “ends soon” gives no date. "
                                        "Suggestion: Give the real end date, e.g. “ends 30 June”.")
    assert all("fixes" not in r for r in results)


def test_sarif_run_and_driver() -> None:
    log = sarif(make_report())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("ethicslint", "0.1.0", "0.1.0")


def test_sarif_semantic_version_only_when_it_is_semver() -> None:
    report = make_report()
    report.tool_version = "0.1.dev3+g1234"
    driver = sarif(report)["runs"][0]["tool"]["driver"]
    assert driver["version"] == "0.1.dev3+g1234" and "semanticVersion" not in driver


@pytest.mark.parametrize(("path", "uri"), [
    ("docs/landing page.md", "docs/landing%20page.md"),
    ("./copy/été #2.md", "copy/%C3%A9t%C3%A9%20%232.md"),
    ("docs\\win.md", "docs%5Cwin.md"),  # on Linux a backslash is part of the name (issue #17)
    ("a:b.md", "a%3Ab.md"),
    ("/srv/copy/a b.md", "file:///srv/copy/a%20b.md"),
    ("100%.md", "100%25.md"),
])
def test_sarif_artifact_uri(path: str, uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sep", "/")
    _check_sarif_uri(path, uri)


@pytest.mark.parametrize(("path", "uri"), [
    ("docs\\win.md", "docs/win.md"),
    ("C:\\copy\\a.md", "file:///C:/copy/a.md"),
])
def test_sarif_artifact_uri_on_windows(path: str, uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sep", "\\")
    _check_sarif_uri(path, uri)


def _check_sarif_uri(path: str, uri: str) -> None:
    result = sarif(make_report(findings=[finding(path=path)], sources={}))["runs"][0]["results"][0]
    got = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert got == uri
    assert _is_uri_reference(got)
    # a relative path must stay a relative reference, not turn into a "scheme:" URI
    assert bool(_SCHEME.match(got)) == got.startswith("file:")


def test_sarif_unknown_rule_still_gets_a_descriptor() -> None:
    log = sarif(make_report(findings=[finding(code="XYZ999", checker="third-party")], rules={}))
    jsonschema.validate(log, sarif_schema(), format_checker=FORMAT_CHECKER)
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "XYZ999"
    assert run["results"][0]["ruleIndex"] == 0


def _fp(code: str, path: str, text: str, occurrence: int) -> str:
    return hashlib.sha256(f"{code}\0{path}\0{text}\0{occurrence}".encode()).hexdigest()


def test_sarif_fingerprints() -> None:
    same = [finding(line=1, end_line=1, text="ends soon"), finding(line=5, end_line=5, text="ends soon"),
            finding(line=3, end_line=3, text="act now")]
    results = sarif(make_report(findings=same, sources={}))["runs"][0]["results"]
    got = [r["partialFingerprints"]["ethicslint/v1"] for r in results]
    assert got == [_fp("URG101", "a.md", "ends soon", 0), _fp("URG101", "a.md", "act now", 0),
                   _fp("URG101", "a.md", "ends soon", 1)]


def test_sarif_fingerprint_survives_lines_moving() -> None:
    before = sarif(make_report(findings=[finding(line=2, end_line=2)], sources={}))
    after = sarif(make_report(findings=[finding(line=40, end_line=40, column=9, end_column=10)], sources={}))
    fp = [log["runs"][0]["results"][0]["partialFingerprints"] for log in (before, after)]
    assert fp[0] == fp[1]


@pytest.mark.parametrize(("name", "expected"), [("vague-deadline", "VagueDeadline"), ("scarcity", "Scarcity"),
                                                ("not_utf8", "NotUtf8"), ("BotAsHuman", "BotAsHuman")])
def test_sarif_rule_name_is_pascal_case(name: str, expected: str) -> None:
    rule = Rule(code="URG101", name=name, checker="urgency", severity=Severity.WARNING, summary="s", why="w")
    log = sarif(make_report(findings=[finding()], rules={"URG101": rule}, sources={}))
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["name"] == expected
