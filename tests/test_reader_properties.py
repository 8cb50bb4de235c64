"""Property-based tests of the readers (issue #17): whatever bytes a file holds — random Markdown,
HTML, YAML, JSON and gettext, any line endings, any of the encodings the loader knows, damaged
bytes — reading never raises, and every position a reader or a finding gives is inside the file
and points at the text it claims.

Example counts are modest (the whole module runs in seconds); ``HYPOTHESIS_PROFILE=thorough``
runs many more.
"""

from __future__ import annotations

import io
import json
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ethicslint.analysis import AnalyzedDocument, AnalyzedSegment
from ethicslint.documents import read_stream
from ethicslint.host import Host
from ethicslint.model import Document, Rule, Severity, line_starts

EXAMPLES = 2000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 40
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

RULE = Rule(code="PRP101", name="property", checker="property", severity=Severity.WARNING, summary="s", why="w")

# --- generators -------------------------------------------------------------------------------

# words of copy, with what trips readers: accents, quotes, entities, escapes, markup characters
WORDS = st.sampled_from([
    "Hurry", "only", "2", "left", "dépêchez-vous", "plus", "que", "«", "»", "“quoted”", "don't", "&amp;",
    "&eacute;", "&#233;", "&bogus;", "\\n", "\\u00e9", "\\", "*", "_", "`", "[", "]", "(", ")", "#", ">",
    "<", "&", ":", "-", "|", "{{ name }}", "%s", "\t", " ", "  ", "é", "ß", "字", "👍", "\u200b", "\u00a0",
    "\u2028", "\x0c", "\ufeff", "\ufffd",
])
TEXT = st.lists(WORDS, max_size=12).map(" ".join)
LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def markdown(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.one_of(
        TEXT,
        TEXT.map(lambda t: "# " + t),
        TEXT.map(lambda t: "> " + t),
        TEXT.map(lambda t: "- " + t),
        TEXT.map(lambda t: f"*{t}* and [{t}](http://x.invalid/{t.replace(' ', '')})"),
        TEXT.map(lambda t: f"```\n{t}\n```"),
        TEXT.map(lambda t: f"    {t}"),
        TEXT.map(lambda t: f"<div title=\"{t}\">{t}</div>"),
        TEXT.map(lambda t: f"<!-- ethicslint-disable-next-line -->\n{t}"),
        TEXT.map(lambda t: f"| {t} | {t} |\n|---|---|\n| a | b |"),
        TEXT.map(lambda t: f"![{t}](i.png)"),
        TEXT.map(lambda t: f"![{t}](<{t}.png> \"{t}\") <img src=\"{t}\" srcset=\"{t} 2x,{t}\">"),
    ), max_size=8))
    front = draw(st.sampled_from(["", "---\ntitle: Sale\nlang: fr\n---\n", "---\n: bad: [\n---\n"]))
    return front + "\n\n".join(blocks)


@st.composite
def html(draw: st.DrawFn) -> str:
    tags = st.sampled_from(["p", "div", "b", "a", "q", "blockquote", "h1", "li", "script", "code", "title",
                            "button", "span", "br", "img", "meta", "input", "template", "x-custom", "source",
                            "video"])
    pieces = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.integers(0, 4))
        tag = draw(tags)
        if kind == 0:
            pieces.append(draw(TEXT))
        elif kind == 1:
            attr = draw(st.sampled_from(["title", "alt", "placeholder", "aria-label", "lang", "content", "name", "src",
                                         "srcset", "poster"]))
            quote = draw(st.sampled_from(['"', "'", ""]))
            value = draw(TEXT).replace(quote, "") if quote else draw(TEXT).replace(" ", "") or "x"
            pieces.append(f"<{tag} {attr}={quote}{value}{quote}>")
        elif kind == 2:
            pieces.append(f"</{tag}>")
        elif kind == 3:
            pieces.append(draw(st.sampled_from(["<!-- c -->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?xml?>",
                                                "<", "</", "<a", "&", "<p/>"])))
        else:
            pieces.append(f"<{tag}>{draw(TEXT)}</{tag}>")
    return "".join(pieces)


def _strings(depth: int = 3) -> st.SearchStrategy[object]:
    words = TEXT.filter(bool)
    scalars = st.one_of(words, words, words, st.integers(), st.booleans(), st.none())  # mostly copy
    return st.recursive(scalars, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(TEXT.filter(bool), children, max_size=4)),
        max_leaves=12)


STRUCTURED = _strings()


@st.composite
def json_text(draw: st.DrawFn) -> str:
    text = json.dumps(draw(STRUCTURED), ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    return text if draw(st.integers(0, 5)) else text[: draw(st.integers(0, len(text)))]  # sometimes cut short


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    text = yaml.safe_dump(draw(STRUCTURED), allow_unicode=draw(st.booleans()),
                          default_style=draw(st.sampled_from([None, '"', "'", "|"])))
    return text if draw(st.integers(0, 5)) else text[: draw(st.integers(0, len(text)))]


@st.composite
def po_text(draw: st.DrawFn) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    entries = ['msgid ""\nmsgstr "Language: fr\\n"\n']
    for _ in range(draw(st.integers(0, 5))):
        comment = draw(st.sampled_from(["", "#: src/a.py:3\n", "# ethicslint: disable=URG\n", "#, fuzzy\n"]))
        msgid, msgstr = draw(TEXT), draw(TEXT)
        entries.append(f"{comment}msgid {quoted(msgid)}\nmsgstr {quoted(msgstr)}\n")
    text = "\n".join(entries)
    return text if draw(st.integers(0, 5)) else text[: draw(st.integers(0, len(text)))]


FORMATS = {"markdown": ("x.md", markdown()), "html": ("x.html", html()), "yaml": ("x.yml", yaml_text()),
           "json": ("x.json", json_text()), "po": ("x.po", po_text()), "text": ("x.txt", TEXT)}


@st.composite
def files(draw: st.DrawFn, fmt: str) -> tuple[str, str, bytes]:
    """(format, display name, bytes): the text with random line endings, in a random encoding,
    sometimes with a byte damaged."""
    name, strategy = FORMATS[fmt]
    text = draw(strategy)
    pieces = text.split("\n")
    text = "".join(piece + (draw(LINE_ENDINGS) if i < len(pieces) - 1 else "") for i, piece in enumerate(pieces))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if data and draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.sampled_from([0x80, 0xC3, 0xFF, 0xE9]))]) + data[at + 1:]
    return fmt, name, data


ANY_FILE = st.sampled_from(sorted(FORMATS)).flatmap(files)

# --- properties ---------------------------------------------------------------------------------


def _check_positions(document: Document) -> None:
    source = document.source
    starts = line_starts(source)
    for image in document.images:  # the images it shows: a range of the file, in source order
        assert 0 <= image.offset <= image.end <= len(source), image
    for segment in document.segments:
        assert segment.text, "an empty segment"
        for text_start, source_start, length in segment.runs:
            assert 0 <= source_start <= len(source)
            length = min(length, len(segment.text) - text_start)  # (a run may outlast stripped text)
            if length > 0:  # verbatim text is the source's own
                assert source[source_start:source_start + length] == segment.text[text_start:text_start + length]
        for index in range(len(segment.text) + 1):
            offset = segment.source_offset(index)
            assert 0 <= offset <= len(source)
            line, column = document.position(offset)
            assert 1 <= line <= len(starts)
            assert document.offset_of(line, column) == offset
            assert column - 1 <= len(document.line_text(line)) + 2  # at most on its line break


def _check_findings(document: Document) -> None:
    """A finding on every segment's first and last word passes the host's validation, and its
    text is what its line and columns point at."""
    host = Host()
    host.rule_owner[RULE.code] = "property"
    analyzed = AnalyzedDocument(document, "en", [AnalyzedSegment(s, "en", None) for s in document.segments])
    for segment in analyzed.segments:
        words = segment.text.split()
        for word in {words[0], words[-1]} if words else ():
            start = segment.text.index(word) if word == words[0] else segment.text.rindex(word)
            finding = analyzed.finding(RULE, segment, start, start + len(word), "m")
            assert host._finding_problem("property", finding, document.path, document.source) is None, finding
            begin = document.offset_of(finding.line, finding.column)
            end = document.offset_of(finding.end_line, finding.end_column)
            assert document.source[begin:end] == finding.text


@SETTINGS
@given(ANY_FILE)
def test_reading_never_raises_and_positions_point_into_the_file(case: tuple[str, str, bytes]) -> None:
    fmt, name, data = case
    read = read_stream(io.BytesIO(data), name, fmt, max_bytes=len(data) + 1)
    for problem in read.problems:
        assert problem.rule.code.startswith("EL")
        assert "reader failed" not in problem.message, problem.message  # a reader bug, not bad input
    if read.document is None:
        assert read.problems  # a file not read at all always says why
        return
    document = read.document
    for problem in read.problems:
        assert 0 <= problem.offset <= len(document.source)
    _check_positions(document)
    _check_findings(document)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(sorted(FORMATS)))
def test_random_bytes_never_raise(data: bytes, fmt: str) -> None:
    name = FORMATS[fmt][0]
    read = read_stream(io.BytesIO(data), name, fmt, max_bytes=1000)
    if read.document is not None:
        _check_positions(read.document)
        _check_findings(read.document)
