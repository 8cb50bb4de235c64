"""YAML metadata: front matter blocks, plus the YAML helpers the string-file reader shares.

PyYAML's composed nodes carry ``start_mark.index``, a code-point offset into the text it was
given, so a key's source offset is the block's own offset plus that index.

Front matter often holds copy, not only settings: a product's ``description``, a page's
``title`` and ``summary``, a case study's text under ``description: {fr: …, en: …}``. Those
strings are read as prose segments (:func:`front_matter_prose`), with the language of a
``fr``/``en`` key they sit under.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..host_rules import PARSE_ERROR
from ..model import Document, ImageRef, SegmentBuilder
from .markup import mask_inline_tags
from .result import Problem
from .sourcemap import add_aligned

_STR_TAG = "tag:yaml.org,2002:str"
_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t\r\n]+)*")  # an anchor or tag before a scalar's text

# Front-matter keys whose strings are copy whatever their length; any other string is copy from
# PROSE_MIN_WORDS words on (a slug, a date, a tag or a file name is shorter).
# French keys too (a French site's front matter names its fields in French); a ``name``/``nom`` is
# the title of a catalogue entry (a product's name is what the shopper reads first).
PROSE_KEYS = {"title": "title", "subtitle": "title", "headline": "title", "name": "title", "description": "meta",
              "summary": "meta", "excerpt": "meta", "intro": "meta", "lead": "meta", "tagline": "meta",
              "teaser": "meta", "abstract": "meta", "caption": "meta", "alt": "alt",
              "titre": "title", "sous_titre": "title", "sous-titre": "title", "nom": "title", "resume": "meta",
              "résumé": "meta", "accroche": "meta", "chapo": "meta", "chapeau": "meta", "legende": "meta",
              "légende": "meta"}
PROSE_MIN_WORDS = 6
# Keys that say what the copy is rather than being copy (language, AI provenance, the copy kind).
NOT_PROSE_KEYS = frozenset({"lang", "language", "locale", "kind", "channel", "ai_generated", "generated_by",
                            "ai_assisted", "synthetic_media", "model", "tool", "generator", "layout", "permalink",
                            "slug", "url", "image", "images", "cover", "og_image", "hero", "template", "redirect_from"})
# A front-matter string naming a file with one of these suffixes is an image the page shows
# (``image: /img/hero.jpg``, ``images: [a.png]``, ``og_image``...): which keys count is the checkers' choice.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".gif", ".avif", ".heic", ".heif", ".jxl")
# A key naming the language of the strings under it: description: {fr: …, en: …}
LANGUAGE_KEYS = frozenset({"en", "fr"})

# (path of keys, string) -> (segment kind, language) to read it as prose, or None to skip it
Select = Callable[[tuple[str, ...], str], tuple[str, str | None] | None]


def primary_language(tag: object) -> str | None:
    """``"fr-FR"``/``"fr_CA"``/``"FR"`` -> ``"fr"``: the primary subtag, lowercase; None if absent."""
    if not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary or None


def yaml_problem(document: Document, exc: yaml.YAMLError, base: int, what: str) -> Problem:
    """A PARSE_ERROR naming line and column, e.g. ``invalid YAML front matter at line 3, column 6: ...``."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow: no mark
        offset = base + exc.position
        detail = f"character U+{exc.character:04X} is not allowed in YAML"  # its code point
    else:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        offset = base + (mark.index if mark is not None else 0)
        problem, context = getattr(exc, "problem", None), getattr(exc, "context", None)
        detail = f"{problem} ({context})" if problem and context else problem or context or str(exc)
    line, column = document.position(offset)
    return Problem(PARSE_ERROR, f"{what} at line {line}, column {column}: {detail}", offset)


def mapping_items(node: Node) -> list[tuple[str, int, Node]]:
    """``(key, key offset in the YAML text, value node)`` for each scalar key of a mapping node."""
    if not isinstance(node, MappingNode):
        return []
    return [(key.value, key.start_mark.index, value) for key, value in node.value
            if isinstance(key, ScalarNode)]


def _compose(text: str, loader_class: type) -> tuple[Node | None, Any]:
    loader = loader_class(text)  # the pure-Python loader refuses some control characters right away
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _fast_loader() -> type | None:
    """PyYAML's libyaml-backed safe loader, when PyYAML was built with it.

    Same nodes (marks count code points, as the pure-Python loader's do) and the same Python
    constructor, at a fifth of the cost: front matter was a quarter of the time spent reading
    Markdown. Errors and texts with characters the pure-Python reader refuses still go through
    the pure-Python loader, so every message stays the same.
    """
    return getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


def read_front_matter(document: Document, text: str, base: int) -> list[Problem]:
    """Fill ``document.metadata``/``metadata_offsets``/``lang`` from the YAML ``text`` at ``base``."""
    fast = _fast_loader()
    try:
        if fast is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
            raise yaml.YAMLError  # the pure-Python loader decides, with its own message
        node, data = _compose(text, fast)
    except Exception:  # noqa: BLE001 - whatever libyaml objects to, the reference loader judges
        try:
            node, data = _compose(text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            return [yaml_problem(document, exc, base, "invalid YAML front matter")]
    if data is None:
        return []
    if not isinstance(data, dict):
        line, _ = document.position(base)
        return [Problem(PARSE_ERROR, f"front matter at line {line} is not a mapping of keys to values",
                        base)]
    document.metadata.update(data)
    for key, offset, _ in mapping_items(node):
        document.metadata_offsets[key] = base + offset  # the last one wins, as in the values
    document.lang = primary_language(data.get("lang") or data.get("language"))
    yaml_strings(document, node, (), set(), base, front_matter_prose)
    _front_matter_images(document, node, (), set(), base)
    return []


def _front_matter_images(document: Document, node: Node, path: tuple[str, ...], seen: set[int], base: int) -> None:
    """An :class:`ImageRef` (origin ``front-matter:KEY``, KEY the top-level key) for each string
    naming an image file."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key, _, value in mapping_items(node):
            if key != "<<":
                _front_matter_images(document, value, (*path, key), seen, base)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _front_matter_images(document, item, (*path, str(index)), seen, base)
    elif isinstance(node, ScalarNode) and node.tag == _STR_TAG and path:
        value = node.value.strip()
        if value.lower().split("?")[0].split("#")[0].endswith(IMAGE_SUFFIXES) and "\n" not in value:
            start, end = base + node.start_mark.index, base + node.end_mark.index
            start = _PROPERTIES.match(document.source, start, end).end()
            at = document.source.find(value, start, end)
            start, end = (at, at + len(value)) if at >= 0 else (start, end)
            document.images.append(ImageRef(value, start, end, f"front-matter:{path[0]}"))


# --- strings of a YAML node, with their positions --------------------------------------------

def append_string(document: Document, builder: SegmentBuilder) -> None:
    """Add the built segment (inline tags blanked, see :mod:`.markup`), unless it is empty."""
    segment = builder.build()
    if segment is not None:
        document.segments.append(mask_inline_tags(segment))


def yaml_strings(document: Document, node: Node, path: tuple[str, ...], seen: set[int], base: int = 0,
                 select: Select | None = None) -> None:
    """A segment for each string scalar under ``node`` (every one, or those ``select`` keeps);
    the node's marks are offsets in a text that starts at ``base`` in the document's source."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key, _, value in mapping_items(node):
            if key != "<<":  # merge keys only repeat other nodes
                yaml_strings(document, value, (*path, key), seen, base, select)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yaml_strings(document, item, (*path, str(index)), seen, base, select)
    elif isinstance(node, ScalarNode) and node.tag == _STR_TAG:
        kind, lang = ("string", None) if select is None else select(path, node.value) or (None, None)
        if kind is None:
            return
        start, end = base + node.start_mark.index, base + node.end_mark.index
        start = _PROPERTIES.match(document.source, start, end).end()
        if node.style in ("|", ">"):  # the text starts on the line after the indicator
            newline = document.source.find("\n", start, end)
            start = newline + 1 if newline >= 0 else end
        builder = SegmentBuilder(kind=kind, key=".".join(path) or None, lang=lang)
        add_aligned(builder, node.value, document.source, start, end,
                    yaml_escape if node.style == '"' else None)
        append_string(document, builder)


def yaml_escape(source: str, index: int) -> tuple[str, int] | None:
    """A double-quoted YAML escape at ``source[index]``, decoded with PyYAML's own tables."""
    scanner = yaml.scanner.Scanner
    code = source[index + 1:index + 2]
    if code in scanner.ESCAPE_REPLACEMENTS:
        return scanner.ESCAPE_REPLACEMENTS[code], 2
    if code in scanner.ESCAPE_CODES:
        length = scanner.ESCAPE_CODES[code]
        digits = source[index + 2:index + 2 + length]
        try:
            return chr(int(digits, 16)), 2 + length
        except ValueError:
            return None
    if code in ("\r", "\n"):  # an escaped line break joins the lines
        return "", 3 if source.startswith("\r\n", index + 1) else 2
    return None


def front_matter_prose(path: tuple[str, ...], value: str) -> tuple[str, str | None] | None:
    """How a front-matter string is read: ``(kind, language)`` if it is copy, else None."""
    keys = [part.lower() for part in path if not part.isdigit()]
    if not keys or keys[0] in NOT_PROSE_KEYS:
        return None
    named = next((PROSE_KEYS[k] for k in keys if k in PROSE_KEYS), None)
    if named is None and len(value.split()) < PROSE_MIN_WORDS:
        return None
    lang = next((k for k in reversed(keys) if k in LANGUAGE_KEYS), None)
    return named or "meta", lang
