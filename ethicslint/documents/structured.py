"""YAML and JSON string files (locale bundles, CMS exports): one segment per string value.

Each value keeps its exact position: PyYAML's composed nodes give the source span of every
scalar; for JSON, ``json.loads`` validates (and positions its errors) and a small walker over
the valid text finds each string with ``json.decoder.scanstring``, the stdlib's own decoder.
A few top-level scalar keys that describe the copy (its language, whether it is AI-generated)
also go into ``document.metadata``, with the key's offset.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..host_rules import PARSE_ERROR
from ..model import Document, SegmentBuilder
from .frontmatter import append_string, mapping_items, primary_language, yaml_problem, yaml_strings
from .result import Problem
from .sourcemap import add_aligned

METADATA_KEYS = frozenset({"lang", "language", "channel", "ai_generated", "generated_by", "ai_assisted",
                           "synthetic_media", "model", "tool", "generator"})


# --- YAML --------------------------------------------------------------------------------------

def read_yaml(document: Document) -> list[Problem]:
    """Segments for the string scalars of every YAML document in the file (``---`` separated)."""
    source = document.source
    try:
        loader = yaml.SafeLoader(source)  # refuses some control characters right away
    except yaml.YAMLError as exc:
        return [yaml_problem(document, exc, 0, "invalid YAML")]
    problems: list[Problem] = []
    nodes: list[Node] = []
    try:
        while loader.check_node():
            nodes.append(loader.get_node())
    except yaml.YAMLError as exc:  # documents composed before the error are still read
        problems.append(yaml_problem(document, exc, 0, "invalid YAML"))
    try:
        if nodes:
            _yaml_metadata(document, loader, nodes[0])
    except yaml.YAMLError as exc:  # e.g. an unknown tag on a metadata value
        problems.append(yaml_problem(document, exc, 0, "invalid YAML"))
    finally:
        loader.dispose()
    seen: set[int] = set()  # aliases repeat a node (and may make cycles): one segment per node
    for node in nodes:
        yaml_strings(document, node, (), seen)
    return problems


def _yaml_metadata(document: Document, loader: yaml.SafeLoader, root: Node) -> None:
    for key, offset, value in mapping_items(root):
        if key in METADATA_KEYS and isinstance(value, ScalarNode):
            document.metadata[key] = loader.construct_object(value)
            document.metadata_offsets[key] = offset
    document.lang = primary_language(document.metadata.get("lang") or document.metadata.get("language"))


# --- JSON --------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"[^,\]}\s]+")  # a number, true, false or null in text already validated


def read_json(document: Document) -> list[Problem]:
    """Segments for the string values of a JSON file; an invalid file gives one problem."""
    source = document.source
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        message = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        return [Problem(PARSE_ERROR, message, exc.pos)]
    except RecursionError:
        return [Problem(PARSE_ERROR, "invalid JSON: nested too deeply to read")]
    walker = _JsonWalker(document)
    walker.value(_WHITESPACE.match(source, 0).end(), ())
    if isinstance(data, dict):
        for key, offset in walker.top_keys.items():
            if key in METADATA_KEYS and not isinstance(data[key], (dict, list)):
                document.metadata[key] = data[key]
                document.metadata_offsets[key] = offset
        document.lang = primary_language(data.get("lang") or data.get("language"))
    return []


class _JsonWalker:
    """Walks valid JSON text, adding a segment per string value and noting top-level key offsets."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.source = document.source
        self.top_keys: dict[str, int] = {}

    def value(self, pos: int, path: tuple[str, ...]) -> int:
        """Read the value at ``pos``; return the offset after it."""
        source = self.source
        char = source[pos]
        if char == '"':
            text, end = scanstring(source, pos + 1)
            builder = SegmentBuilder(kind="string", key=".".join(path) or None)
            add_aligned(builder, text, source, pos, end, _json_escape)
            append_string(self.document, builder)
            return end
        if char == "{":
            return self._container(pos, "}", path, keyed=True)
        if char == "[":
            return self._container(pos, "]", path, keyed=False)
        match = _SCALAR.match(source, pos)
        return match.end() if match else pos + 1

    def _container(self, pos: int, close: str, path: tuple[str, ...], keyed: bool) -> int:
        source = self.source
        pos = self._skip(pos + 1)
        index = 0
        while source[pos] != close:
            if keyed:
                key, after = scanstring(source, pos + 1)
                if not path:
                    self.top_keys[key] = pos + 1  # the key's first character
                pos = self._skip(self._skip(after) + 1)  # past the ':'
                name = key
            else:
                name = str(index)
            pos = self._skip(self.value(pos, (*path, name)))
            index += 1
            if source[pos] == ",":
                pos = self._skip(pos + 1)
        return pos + 1

    def _skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.source, pos).end()


_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_escape(source: str, index: int) -> tuple[str, int] | None:
    """A JSON escape at ``source[index]``; a surrogate pair (``\\ud83d\\ude00``) is one character."""
    code = source[index + 1:index + 2]
    if code in _JSON_ESCAPES:
        return _JSON_ESCAPES[code], 2
    if code == "u":  # validated JSON: four hex digits follow
        unit = int(source[index + 2:index + 6], 16)
        if 0xD800 <= unit <= 0xDBFF and source.startswith("\\u", index + 6):
            low = int(source[index + 8:index + 12], 16)
            if 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), 12
        return chr(unit), 6
    return None


