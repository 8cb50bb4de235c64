"""Markdown (CommonMark + tables, YAML front matter): prose blocks with exact positions.

markdown-it gives each block's line range but no columns for inline text, and its inline
parser works on a *derived* string: the block's lines with container prefixes (``> ``, list
indentation) removed. So each block's content is first aligned with the source, giving a
source offset per content character; the inline tokens are then located in the content by
scanning forward, mirroring markdown-it's own rules for what they skip (code spans, link
destinations, autolinks); the segments built in content space are finally moved onto the
source (:func:`~ethicslint.documents.sourcemap.remap`).

``text_join`` is disabled so escapes and entities stay separate ``text_special`` tokens that
carry their source form (``markup``) and become synthetic text.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import UNESCAPE_ALL_RE, unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..host_rules import PARSE_ERROR
from ..model import Document, ImageRef, Segment, SegmentBuilder
from .frontmatter import read_front_matter
from .html import fragment_read
from .result import Problem
from .sourcemap import add_decoded, remap

_PARSER = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).disable("text_join")
_NEWLINE = re.compile(r"\r\n?|\n")  # markdown-it's own line ends
# '---' then a 'key:' line, never closed (a lone '---' first is just a thematic break)
_UNCLOSED_FRONT_MATTER = re.compile(r"-{3,}[ \t]*(?:\r\n?|\n)[ \t]*[\w\"'-]+[ \t]*:")


def read(document: Document) -> list[Problem]:
    source = document.source
    lines = _Lines(source)
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(source, env)
    problems = _front_matter(document, tokens, lines)
    open_blocks: list[str] = []
    cell_cursor: dict[int, int] = {}  # table row line -> where the next cell is looked for
    for token in tokens:
        if token.nesting == 1:
            open_blocks.append(token.type)
        elif token.nesting == -1:
            open_blocks.pop()
        elif token.type == "inline" and token.map:
            kind = _kind(open_blocks)
            if kind == "table_cell":
                line = token.map[0]
                offsets, cell_cursor[line] = lines.cell(token.content, line, cell_cursor.get(line, 0))
            else:
                offsets = lines.align(token.content, token.map[0])
            inline = _Inline(token.content, kind, "blockquote_open" in open_blocks, env)
            for segment, base in inline.segments(token.children or []):
                document.segments.append(remap(segment, offsets, source, base))
            document.images.extend(_moved(image, offsets) for image in inline.images)
        elif token.type == "html_block" and token.map:
            offsets = lines.align(token.content, token.map[0])
            segments, images = fragment_read(token.content)
            for segment in segments:
                segment = remap(segment, offsets, source)
                segment.quoted = segment.quoted or "blockquote_open" in open_blocks
                document.segments.append(segment)
            document.images.extend(_moved(image, offsets) for image in images)
    return problems


def _moved(image: ImageRef, offsets: list[int]) -> ImageRef:
    """An image reference found in a block's content, placed in the source."""
    last = len(offsets) - 1
    start = offsets[min(image.offset, last)]
    end = offsets[min(max(image.end - 1, image.offset), last)] + (1 if image.end > image.offset else 0)
    return ImageRef(image.src, start, max(start, end), image.origin)


def _kind(open_blocks: list[str]) -> str:
    innermost = open_blocks[-1] if open_blocks else ""
    if innermost == "heading_open":
        return "heading"
    if innermost in ("th_open", "td_open"):
        return "table_cell"
    if len(open_blocks) > 1 and open_blocks[-2] == "list_item_open":
        return "list_item"
    return "paragraph"


def _front_matter(document: Document, tokens: list[Token], lines: _Lines) -> list[Problem]:
    if tokens and tokens[0].type == "front_matter" and tokens[0].map:
        start = lines.start(1)
        end = lines.start(tokens[0].map[1] - 1)  # the closing '---' (or '...') line
        return read_front_matter(document, document.source[start:end], start)
    if _UNCLOSED_FRONT_MATTER.match(document.source):
        return [Problem(PARSE_ERROR, "front matter opened at line 1 has no closing '---' line; "
                                     "the whole file was read as Markdown")]
    return []


class _Lines:
    """The source's lines as markdown-it numbers them, and alignment of block content with them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0]
        self.ends: list[int] = []
        for match in _NEWLINE.finditer(source):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(source))

    def start(self, number: int) -> int:
        return self.starts[min(number, len(self.starts) - 1)]

    def text(self, number: int) -> str:
        """Line ``number`` as markdown-it sees it (it turns NUL into U+FFFD, same length)."""
        return self.source[self.starts[number]:self.ends[number]].replace("\0", "\ufffd")

    def align(self, content: str, first: int) -> list[int]:
        """Source offset of each character of block ``content`` (and one past its end).

        Content line ``k`` is what remains of source line ``first + k`` once markdown-it has
        removed container prefixes (and, for the block's last line or an ATX heading, trailing
        space and closing ``#``s): found as a suffix of the line, else inside it. Spaces
        markdown-it made from a partly consumed tab map to the text after them.
        """
        offsets: list[int] = []
        for number, piece in enumerate(content.split("\n"), first):
            if number >= len(self.starts):
                offsets.extend([len(self.source)] * (len(piece) + 1))
                continue
            line = self.text(number)
            body = piece.lstrip()
            trimmed = line.rstrip()
            if line.endswith(body):
                at = len(line) - len(body)
            elif trimmed.endswith(body):
                at = len(trimmed) - len(body)
            else:
                at = line.find(body)
            if at < 0:  # not found: keep the text, pinned to the line start
                offsets.extend([self.starts[number]] * (len(piece) + 1))
                continue
            start = self.starts[number] + at
            offsets.extend([start] * (len(piece) - len(body)))
            offsets.extend(range(start, start + len(body)))
            offsets.append(self.ends[number])
        return offsets

    def cell(self, content: str, number: int, cursor: int) -> tuple[list[int], int]:
        """Offsets for one table cell of row ``number``, searched from column ``cursor``.

        markdown-it splits rows on unescaped ``|`` and turns ``\\|`` into ``|``, so every
        ``|`` in a cell's content stands for ``\\|`` in the source.
        """
        line = self.text(number)
        at = line.find(content.replace("|", "\\|"), cursor)
        if at < 0:
            return [self.starts[number]] * (len(content) + 1), cursor
        offsets = []
        for char in content:
            if char == "|":
                at += 1  # the backslash before it
            offsets.append(self.starts[number] + at)
            at += 1
        offsets.append(self.starts[number] + at)
        return offsets, at


class _Inline:
    """Segments of one inline token, in the coordinates of its content string."""

    def __init__(self, content: str, kind: str, quoted: bool, env: dict[str, Any]) -> None:
        self.content = content
        self.quoted = quoted
        self.env = env
        self.main = SegmentBuilder(kind=kind, quoted=quoted)
        self.extra: list[SegmentBuilder] = []  # image alt text and link/image titles
        self.tags: list[tuple[Segment, int]] = []  # attribute copy of inline HTML, tag offset
        self.images: list[ImageRef] = []  # images shown, offsets in the content string

    def segments(self, children: list[Token]) -> list[tuple[Segment, int]]:
        """``(segment, base)`` pairs: offsets in ``segment`` are relative to ``content[base:]``."""
        self._walk(children, self.main, 0)
        built = [builder.build() for builder in (self.main, *self.extra)]
        return [(segment, 0) for segment in built if segment is not None] + self.tags

    def _walk(self, tokens: list[Token], builder: SegmentBuilder, pos: int) -> int:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "text":
                pos = self._text(token.content, builder, pos)
            elif kind == "text_special":  # an escape or entity: its source form is the markup
                at = self._find(token.markup, pos)
                if token.content == token.markup:
                    builder.add(token.content, at)
                else:
                    builder.add_synthetic(token.content, at)
                pos = at + len(token.markup)
            elif kind in ("softbreak", "hardbreak"):
                at = self._find("\n", pos)
                builder.add_synthetic(" " if kind == "softbreak" else "\n", at)
                pos = at + 1
            elif kind == "code_inline":
                pos = self._code_span(len(token.markup), pos)
            elif kind == "html_inline":
                at = self._find(token.content, pos)
                if "=" in token.content:  # <img alt="..."> and the like
                    segments, images = fragment_read(token.content)
                    self.tags.extend((segment, at) for segment in segments)
                    self.images.extend(ImageRef(i.src, at + i.offset, at + i.end, i.origin) for i in images)
                pos = at + len(token.content)
            elif kind == "link_open" and token.info == "auto":  # <https://...>: a URL, not prose
                while tokens[index].type != "link_close":
                    index += 1
                pos = self._find(">", self._find("<", pos)) + 1
            elif kind == "link_open":
                pos = self._find("[", pos) + 1
            elif kind == "link_close":
                pos = self._link_tail(pos)
            elif kind == "image":
                label = self._find("![", pos) + 2
                alt = SegmentBuilder(kind="alt", quoted=self.quoted)
                self.extra.append(alt)
                self._walk(token.children or [], alt, label)
                self.images.append(self._image(token, label))
                pos = self._link_tail(label + len(token.content))
            elif token.markup:  # emphasis delimiters: * _ ** __
                pos = self._find(token.markup, pos) + len(token.markup)
            index += 1
        return pos

    def _image(self, token: Token, label: int) -> ImageRef:
        """The image of ``![alt](destination)``, placed on its destination (on its label when the
        destination is a reference, ``![alt][ref]``)."""
        src = str(token.attrs.get("src") or "")
        label_end = self._find("]", label + len(token.content))
        content = self.content
        if label_end + 1 < len(content) and content[label_end + 1] == "(":
            start = self._skip_space(label_end + 2)
            destination = parseLinkDestination(content, start, len(content))
            if destination.ok and destination.pos > start:
                if content[start] == "<":  # <path with spaces.png>
                    return ImageRef(src, start + 1, destination.pos - 1, "markdown")
                return ImageRef(src, start, destination.pos, "markdown")
        return ImageRef(src, label, label_end, "markdown")

    def _find(self, text: str, pos: int) -> int:
        at = self.content.find(text, pos)
        return at if at >= 0 else pos

    def _text(self, text: str, builder: SegmentBuilder, pos: int) -> int:
        at = self.content.find(text, pos)
        if at < 0:  # cannot happen with markdown-it's tokens; keep the text rather than fail
            builder.add_synthetic(text, pos)
            return pos
        builder.add(text, at)
        return at + len(text)

    def _code_span(self, ticks: int, pos: int) -> int:
        """Offset after the code span whose opening run of ``ticks`` backticks is at/after ``pos``."""
        opening = self._backtick_run(pos, ticks)
        return self._backtick_run(opening + ticks, ticks) + ticks

    def _backtick_run(self, pos: int, ticks: int) -> int:
        content = self.content
        while True:
            at = content.find("`", pos)
            if at < 0:
                return len(content)
            end = at
            while end < len(content) and content[end] == "`":
                end += 1
            if end - at == ticks:
                return at
            pos = end

    def _skip_space(self, pos: int) -> int:
        while pos < len(self.content) and self.content[pos] in " \t\n":
            pos += 1
        return pos

    def _link_tail(self, pos: int) -> int:
        """Skip ``](destination "title")`` or ``][label]`` after a link label; keep the title.

        Mirrors markdown-it's ``link`` rule (rules_inline/link.py) step by step, so the end
        found is the one the parser used.
        """
        content, maximum = self.content, len(self.content)
        label_end = self._find("]", pos)
        pos = label_end + 1
        title: tuple[int, int] | None = None
        parse_reference = True
        if pos < maximum and content[pos] == "(":
            parse_reference = False
            pos = self._skip_space(pos + 1)
            destination = parseLinkDestination(content, pos, maximum)
            if pos < maximum and destination.ok:
                if _PARSER.validateLink(_PARSER.normalizeLink(destination.str)):
                    pos = destination.pos
                start = pos
                pos = self._skip_space(pos)
                parsed = parseLinkTitle(content, pos, maximum)
                if pos < maximum and start != pos and parsed.ok:
                    title = (pos + 1, parsed.pos - 1)
                    pos = self._skip_space(parsed.pos)
            if pos >= maximum or content[pos] != ")":
                parse_reference = True
            pos += 1
        if not parse_reference:
            if title is not None:
                builder = SegmentBuilder(kind="title", quoted=self.quoted)
                add_decoded(builder, content[title[0]:title[1]], title[0], UNESCAPE_ALL_RE, unescapeAll)
                self.extra.append(builder)
            return pos
        if pos < maximum and content[pos] == "[":
            state = StateInline(content, _PARSER, self.env, [])
            end = parseLinkLabel(state, pos)
            return end + 1 if end >= 0 else label_end + 1
        return label_end + 1
