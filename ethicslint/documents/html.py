"""HTML: the text a browser shows, one segment per block, plus the copy held in attributes.

The stdlib parser runs with ``convert_charrefs=False`` so text, entity and character-reference
events arrive separately, each at a known position: a decoded entity becomes synthetic text
pinned to its ``&``. Attribute values are located in the raw start tag with the parser's own
attribute pattern. Whitespace collapses as a browser shows it: a run becomes one space, kept
verbatim when it is a single space, synthetic (pinned to the run's start) otherwise.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant
from typing import NamedTuple

from ..model import Document, ImageRef, Segment, SegmentBuilder
from .frontmatter import primary_language
from .result import Problem

# elements that start a new segment (a browser lays them out as blocks); <br> also breaks one
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul",
})
KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
         "h6": "heading", "li": "list_item", "td": "table_cell", "th": "table_cell", "button": "button",
         "title": "title"}
SKIPPED = frozenset({"script", "style", "template", "code"})  # not prose (code as in Markdown)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
ATTRIBUTE_KINDS = {"alt": "alt", "title": "title", "placeholder": "attribute", "aria-label": "attribute"}
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})  # <input value="..."> is a button label
# Attributes naming an image a browser shows: tag -> (attribute, how it lists URLs); a dialect adds its own.
IMAGE_ATTRIBUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "img": (("src", "img"), ("srcset", "srcset")),
    "source": (("src", "source"), ("srcset", "srcset")),
    "video": (("poster", "poster"),),
}
# one srcset candidate: its URL (up to a blank, a trailing comma not included), then its descriptor
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,](?:[^\s]*[^\s,])?)(?:\s+[^,]*)?,?")
META_SEGMENTS = frozenset({"description", "og:description", "og:title", "twitter:description",
                           "twitter:title"})

_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")  # as html.unescape
_RUNS = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_WHITESPACE = " \t\n\r\f"


def read(document: Document) -> list[Problem]:
    return read_with(document, _Reader)


def read_with(document: Document, reader_class: type[_Reader]) -> list[Problem]:
    """Read ``document`` with an HTML reader class (this module's, or a dialect such as MJML's)."""
    reader = reader_class(document.source).run()
    document.segments.extend(reader.segments)
    document.images.extend(reader.images)
    document.metadata.update(reader.metadata)
    document.metadata_offsets.update(reader.metadata_offsets)
    document.lang = reader.lang
    return []


def fragment_segments(text: str) -> list[Segment]:
    """Segments of an HTML fragment (an HTML block inside Markdown), offsets relative to ``text``."""
    return fragment_read(text)[0]


def fragment_read(text: str) -> tuple[list[Segment], list[ImageRef]]:
    """Segments and image references of an HTML fragment, offsets relative to ``text``."""
    reader = _Reader(text).run()
    return reader.segments, reader.images


class _Open(NamedTuple):
    """An open element, with what it and its ancestors decide for the text inside it (kept per
    element so that no event has to look down the stack: 100,000 unclosed tags stay linear)."""

    tag: str
    link: int | None  # which <a> this element is inside, if any
    lang: str | None  # declared language in force (not counting <html lang>)
    kind: str | None = None  # segment kind of the innermost element that has one (h1, li...)
    quoted: bool = False  # inside a <blockquote>
    skipping: bool = False  # inside <script>, <style>, <code>...: not prose


class _Prose:
    """The visible text of one block (or attribute), whitespace collapsed, positions kept."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, int, bool, int | None]] = []  # text, offset, synthetic, link
        self._after_space = True  # leading whitespace of a block is not shown

    def add(self, text: str, offset: int, synthetic: bool = False, link: int | None = None) -> None:
        for match in _RUNS.finditer(text):
            piece = match.group()
            at = offset if synthetic else offset + match.start()
            if piece[0] in _WHITESPACE:
                if not self._after_space:
                    self.pieces.append((" ", at, synthetic or piece != " ", link))
                    self._after_space = True
            else:
                self.pieces.append((piece, at, synthetic, link))
                self._after_space = False

    def segments(self, kind: str, key: str | None, quoted: bool, lang: str | None) -> list[Segment]:
        """One segment; or one per link when all the text is in two or more links (a menu)."""
        links = {link for text, _, _, link in self.pieces if link is not None and not text.isspace()}
        loose = any(link is None and not text.isspace() for text, _, _, link in self.pieces)
        if len(links) > 1 and not loose:
            groups = [("link", [p for p in self.pieces if p[3] == link]) for link in sorted(links)]
        else:
            groups = [(kind, self.pieces)]
        segments = []
        for group_kind, pieces in groups:
            builder = SegmentBuilder(kind=group_kind, key=key, quoted=quoted, lang=lang)
            for text, at, synthetic, _ in pieces:
                (builder.add_synthetic if synthetic else builder.add)(text, at)
            segment = builder.build()
            if segment is not None:
                segments.append(segment)
        return segments


class _Reader(HTMLParser):
    """HTML as a browser shows it. A dialect (MJML) subclasses it and changes the element tables."""

    root = "html"  # the element whose ``lang`` is the document's
    blocks = BLOCKS
    segment_kinds = KINDS
    skipped = SKIPPED
    void = VOID
    image_attributes = IMAGE_ATTRIBUTES

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.segments: list[Segment] = []
        self.images: list[ImageRef] = []
        self.metadata: dict[str, str] = {}
        self.metadata_offsets: dict[str, int] = {}
        self.lang: str | None = None
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._stack: list[_Open] = []
        self._open: dict[str, int] = {}  # tag -> how many elements of it the stack holds
        self._block = _Prose()
        self._links = 0

    def run(self) -> _Reader:
        self.feed(self.source)
        self.close()
        self._flush()
        return self

    # --- parser events ---------------------------------------------------------------------
    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![CDATA[...]]>`` and kin, none of it shown; a malformed one (Python 3.11's parser
        asserts on it) ends at the next ``>``, as a browser's bogus comment does."""
        position = self.lineno, self.offset
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = position  # it moved them before asserting
            end = self.rawdata.find(">", i + 3)
            return end + 1 if end >= 0 else -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self._offset()
        values = _first_values(attrs)
        if not self._skipping():
            if tag == self.root:
                self.lang = primary_language(values.get("lang"))
            if tag in self.blocks:
                self._flush()
            elif tag == "q":  # a browser shows <q> with quotation marks
                self._block.add("\u201c", offset, synthetic=True, link=self._link())
            self._attributes(tag, values, offset)
        if tag not in self.void:
            parent = self._stack[-1] if self._stack else _Open("", None, None)
            link = parent.link
            if tag == "a":
                self._links += 1
                link = self._links
            lang = primary_language(values.get("lang")) if tag != self.root else None
            self._stack.append(_Open(tag, link, lang or parent.lang, self.segment_kinds.get(tag, parent.kind),
                                     parent.quoted or tag == "blockquote", parent.skipping or tag in self.skipped))
            self._open[tag] = self._open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.void:  # <div/>: XHTML-style, opened and closed
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._open.get(tag):
            return  # a stray end tag: browsers ignore it
        first = len(self._stack) - 1  # the innermost open ``tag``: it and what it holds close
        while self._stack[first].tag != tag:
            first -= 1
        closing = [element.tag for element in self._stack[first:]]
        if not self._skipping():
            if tag == "q":
                self._block.add("\u201d", self._offset(), synthetic=True, link=self._link())
            if self.blocks.intersection(closing):
                self._flush()
        del self._stack[first:]
        for closed in closing:
            self._open[closed] -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._block.add(data, self._offset(), link=self._link())

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    # --- helpers -------------------------------------------------------------------------------
    def _reference(self, raw: str) -> None:
        if self._skipping():
            return
        offset = self._offset()
        if self.source.startswith(";", offset + len(raw)):
            raw += ";"
        decoded = html.unescape(raw)
        self._block.add(decoded, offset, synthetic=decoded != raw, link=self._link())

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1].skipping

    def _link(self) -> int | None:
        return self._stack[-1].link if self._stack else None

    def _quoted(self) -> bool:
        return bool(self._stack) and self._stack[-1].quoted

    def _flush(self) -> None:
        kind = (self._stack[-1].kind if self._stack else None) or "paragraph"
        lang = self._stack[-1].lang if self._stack else None
        self.segments.extend(self._block.segments(kind, None, self._quoted(), lang))
        self._block = _Prose()

    def _attributes(self, tag: str, values: dict[str, str | None], offset: int) -> None:
        """Copy held in attributes (alt, title...) becomes segments of its own; <meta> is read."""
        spans = self._attribute_spans(offset)
        if tag == "meta":
            self._meta(values, spans, offset)
            return
        for attribute, origin in self.image_attributes.get(tag, ()):
            if values.get(attribute):
                self._image(attribute, origin, spans, offset)
        kinds = dict(ATTRIBUTE_KINDS)
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS:
            kinds["value"] = "button"
        for attribute, kind in kinds.items():
            self._attribute_segment(attribute, kind, attribute, values, spans, offset)

    def _meta(self, values: dict[str, str | None], spans: dict[str, tuple[int, str]], offset: int) -> None:
        """``<meta name=description>`` is copy; any other named ``<meta>`` is metadata."""
        name = (values.get("name") or values.get("property") or "").strip().lower()
        if name in META_SEGMENTS:
            self._attribute_segment("content", "meta", name, values, spans, offset)
        elif name and values.get("content") is not None:
            self.metadata[name] = values["content"] or ""
            self.metadata_offsets[name] = spans.get("name", spans.get("property", (offset, "")))[0]

    def _attribute_segment(self, attribute: str, kind: str, key: str, values: dict[str, str | None],
                           spans: dict[str, tuple[int, str]], offset: int) -> None:
        value = values.get(attribute)
        if not value:
            return
        prose = _Prose()
        start, raw = spans.get(attribute, (offset, ""))
        if html.unescape(raw) == value:
            _add_with_references(prose, raw, start)
        else:  # not located in the raw tag: keep the text, pinned to the tag
            prose.add(value, offset, synthetic=True)
        lang = primary_language(values.get("lang")) or (self._stack[-1].lang if self._stack else None)
        self.segments.extend(prose.segments(kind, key, self._quoted(), lang))

    def _image(self, attribute: str, origin: str, spans: dict[str, tuple[int, str]], offset: int) -> None:
        """Record the image URL(s) of one attribute; a srcset lists several (``a.png 1x, b.png 2x``)."""
        start, raw = spans.get(attribute, (offset, ""))
        if origin != "srcset":
            url = html.unescape(raw).strip()
            if url:
                self.images.append(ImageRef(url, start, start + len(raw), origin))
            return
        for match in _SRCSET_CANDIDATE.finditer(raw):
            url = match.group(1)
            if url:
                self.images.append(ImageRef(html.unescape(url), start + match.start(1), start + match.end(1), origin))

    def _attribute_spans(self, offset: int) -> dict[str, tuple[int, str]]:
        """Attribute name -> (source offset of its raw value, raw value), first occurrence wins.

        Mirrors ``HTMLParser.parse_starttag`` over the raw tag text with the same patterns.
        """
        raw_tag = self.get_starttag_text() or ""
        spans: dict[str, tuple[int, str]] = {}
        match = tagfind_tolerant.match(raw_tag, 1)
        k = match.end() if match else len(raw_tag)
        while k < len(raw_tag):
            found = attrfind_tolerant.match(raw_tag, k)
            if not found:
                break
            name, rest, value = found.group(1, 2, 3)
            start = found.start(3) if rest else found.start(1)
            value = value if rest else ""
            if value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
                value, start = value[1:-1], start + 1
            spans.setdefault(name.lower(), (offset + start, value))
            k = found.end()
        return spans


def _first_values(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Attribute values by name; a browser keeps the first of duplicated attributes."""
    values: dict[str, str | None] = {}
    for name, value in attrs:
        values.setdefault(name, value)
    return values


def _add_with_references(prose: _Prose, raw: str, start: int) -> None:
    at = 0
    for match in _CHARREF.finditer(raw):
        prose.add(raw[at:match.start()], start + at)
        decoded = html.unescape(match.group())
        prose.add(decoded, start + match.start(), synthetic=decoded != match.group())
        at = match.end()
    prose.add(raw[at:], start + at)
