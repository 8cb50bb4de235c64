"""YAML metadata: front matter blocks, plus the YAML helpers the string-file reader shares.

PyYAML's composed nodes carry ``start_mark.index``, a code-point offset into the text it was
given, so a key's source offset is the block's own offset plus that index.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ..host_rules import PARSE_ERROR
from ..model import Document
from .result import Problem


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
    return []
