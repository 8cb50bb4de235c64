"""What a document's metadata declares about AI: generated copy or media, synthetic personas, bot scripts.

Pure Python over ``document.metadata`` (front matter, ``<meta name>``, the top-level keys of YAML/JSON
string files), so it is cheap and testable on its own. Which keys are read is configuration (see the
plugin options); tool names are data (``terms/tools.toml``).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ethicslint import TermTable

# Values that say "no": ``ai_generated: false``, ``synthetic_media: none``, ``ai_assisted: non``.
_FALSY = {"false", "no", "non", "none", "0", "", "n/a", "na", "off", "aucun", "aucune", "faux", "null", "human",
          "humain", "manual", "manuel"}
_MEDIA_WORDS = re.compile(r"\b(images?|photos?|pictures?|visuals?|visuels?|vid[eé]os?|voices?|voix|audio|"
                          r"illustrations?|m[eé]dias?|avatars?|artwork|renders?|faces?|visages?|portraits?)\b")
_TEXT_WORDS = re.compile(r"\b(text|texts|texte|textes|copy|descriptions?|articles?|posts?|captions?|l[eé]gendes?|"
                         r"scripts?|answers?|r[eé]ponses?|r[eé]daction|wording)\b")
_PARTIAL_WORDS = re.compile(r"\b(partial|partiel|partielle|partly|partiellement|assisted|assist[eé]e?|edited|relu)\b")
_AI_WORDS = re.compile(r"(?<![\w.])(ai|a\.i\.|ia|i\.a\.|llm|genai|artificial intelligence|intelligence artificielle)(?![\w])")

# Keys (of a persona entry or a testimonial item) whose true value marks it synthetic.
SYNTHETIC_FLAGS = ("synthetic", "virtual", "ai", "ia", "ai_generated", "generated", "fake", "is_ai", "virtuel",
                   "virtuelle", "synthetique", "synthétique", "fictional", "fictif", "fictive", "ai_generated_review")
_SYNTHETIC_WORDS = {"synthetic", "virtual", "ai", "ia", "virtuel", "virtuelle", "synthétique", "synthetique",
                    "generated", "ai-generated", "fictional", "fictif", "fictive", "cgi"}
_NAME_FIELDS = ("name", "nom", "display_name", "prenom", "prénom", "first_name")
FLAG_KEYS = frozenset({"ai_generated", "ai_assisted", "synthetic_media"})  # truthy/falsy flags, not tool names
_VOICE_KEY = re.compile(r"voice|voix")
_SENDER_KEYS = ("from", "sender", "expediteur", "expéditeur", "de", "author", "auteur", "signature")


@dataclass(frozen=True)
class Provenance:
    """One metadata key that declares AI involvement."""

    key: str
    kind: str  # "text" (the copy) or "media" (images, video, voice)
    assisted: bool  # AI-assisted only (a person wrote or edited it): AI Act 50(4)'s human-review case
    value: str  # as written, for messages


@dataclass(frozen=True)
class Persona:
    """A synthetic person the metadata declares: a name, or an unnamed synthetic voice."""

    name: str | None
    key: str
    voice: bool = False


@dataclass
class Declarations:
    provenance: list[Provenance] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    bot: str | None = None  # why the file is a bot script, or None
    sender_persona: str | None = None  # the synthetic persona the file is sent as (e-mail "from")
    raw: Any = None  # the parsed YAML/JSON data of a string file, else None
    skip_keys: frozenset[str] = frozenset()  # top-level keys whose strings are metadata, not copy

    @property
    def text(self) -> list[Provenance]:
        return [p for p in self.provenance if p.kind == "text"]

    @property
    def media(self) -> list[Provenance]:
        return [p for p in self.provenance if p.kind == "media"]

    @property
    def generated_text(self) -> bool:
        """Copy declared generated (not merely assisted): what makes a testimonial fake."""
        return any(not p.assisted for p in self.text)


def read(document: Any, config: dict[str, Any], tools: TermTable) -> Declarations:
    """The declarations of ``document`` (an AnalyzedDocument) under ``config``."""
    raw = _raw_data(document)
    metadata: dict[str, Any] = {}
    if isinstance(raw, dict):  # string files: the reader keeps only a few top-level keys as metadata
        metadata.update({k: v for k, v in raw.items() if isinstance(k, str)})
    metadata.update(document.metadata or {})
    provenance_keys = [k for k in config.get("provenance-keys", []) if isinstance(k, str)]
    persona_keys = [k for k in config.get("persona-keys", []) if isinstance(k, str)]
    decl = Declarations(raw=raw)
    lower = {normal_key(k): k for k in metadata}
    for key in provenance_keys:
        original = lower.get(normal_key(key))
        if original is not None:
            decl.provenance.extend(_provenance(original, metadata[original], tools))
    for key in persona_keys:
        original = lower.get(normal_key(key))
        if original is not None:
            decl.personas.extend(_personas(original, metadata[original]))
    decl.bot = _bot_reason(document.path, metadata, config)
    names = [p.name for p in decl.personas if p.name]
    for key in _SENDER_KEYS:  # an e-mail sent "from" a synthetic persona speaks as that persona
        value = metadata.get(key)
        if isinstance(value, str) and decl.sender_persona is None:
            decl.sender_persona = next((name for name in names if _contains_name(value, name)), None)
    decl.skip_keys = _skip_keys(tuple(provenance_keys), tuple(persona_keys))
    return decl


@functools.lru_cache(maxsize=32)
def _skip_keys(provenance_keys: tuple[str, ...], persona_keys: tuple[str, ...]) -> frozenset[str]:
    """The normalized keys whose strings are metadata, not copy (the same for every document of a config)."""
    return frozenset(normal_key(k) for k in (*provenance_keys, *persona_keys, "lang", "language", "locale",
                                             "channel", "bot", *_SENDER_KEYS))


def normal_key(name: Any) -> str:
    """Metadata keys compare case-insensitively, with ``-`` and spaces as ``_`` (``AI-Generated`` = ``ai_generated``)."""
    return _normal_str(str(name))


@functools.lru_cache(maxsize=4096)
def _normal_str(name: str) -> str:  # the same few dozen option keys are normalized for every document
    return re.sub(r"[\s-]+", "_", name.strip().lower())


# --- provenance ----------------------------------------------------------------------------------

def _provenance(key: str, value: Any, tools: TermTable) -> list[Provenance]:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if normal_key(key) in FLAG_KEYS:
        default = "media" if normal_key(key) == "synthetic_media" else "text"
        assisted = normal_key(key) == "ai_assisted"
        kinds, partial = _flag_kinds(value, default)
        return [Provenance(key, kind, assisted or partial, shown) for kind in sorted(kinds)]
    kinds = set()
    for item in (value if isinstance(value, list) else [value]):
        if isinstance(item, str):
            kinds |= tool_kinds(item, tools)
    return [Provenance(key, kind, False, shown) for kind in sorted(kinds)]


def _flag_kinds(value: Any, default: str) -> tuple[set[str], bool]:
    """Kinds a flag value declares (``true`` -> the default; ``images`` -> media) and whether it says partial."""
    if value is None or value is False:
        return set(), False
    if value is True or isinstance(value, (int, float)):
        return ({default} if value else set()), False
    if isinstance(value, list):
        kinds: set[str] = set()
        partial = False
        for item in value:
            k, p = _flag_kinds(item, default)
            kinds |= k
            partial = partial or p
        return kinds, partial
    if isinstance(value, dict):
        kinds = set()
        for sub, subvalue in value.items():
            if _truthy(subvalue):
                k, _ = _flag_kinds(str(sub), default)
                kinds |= k
        return kinds, False
    text = str(value).strip().lower()
    if text in _FALSY:
        return set(), False
    kinds = set()
    if _MEDIA_WORDS.search(text):
        kinds.add("media")
    if _TEXT_WORDS.search(text):
        kinds.add("text")
    return (kinds or {default}), bool(_PARTIAL_WORDS.search(text))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in _FALSY
    return bool(value)


def tool_kinds(value: str, tools: TermTable) -> set[str]:
    """``{"text"}``/``{"media"}`` when ``value`` names a generative-AI tool or says AI; empty otherwise."""
    folded = value.casefold()
    kinds = set()
    for label, kind in (("text-tools", "text"), ("media-tools", "media")):
        if any(_contains_name(folded, phrase) for phrase in tools.strings(label)):
            kinds.add(kind)
            continue
        words = re.findall(r"[\w.·+-]+", folded)
        for pattern in tools.entries.get(label, {}).get("patterns", []):
            regex = _single_token_regex(pattern)
            if regex and any(regex.fullmatch(w) for w in words):
                kinds.add(kind)
                break
    if not kinds and _AI_WORDS.search(folded):
        kinds.add("text")
    return kinds


def _single_token_regex(pattern: list[dict[str, Any]]) -> re.Pattern[str] | None:
    if len(pattern) != 1:
        return None
    lower = pattern[0].get("LOWER")
    if isinstance(lower, dict) and isinstance(lower.get("REGEX"), str):
        return re.compile(lower["REGEX"].lstrip("^").rstrip("$"))
    return None


def _contains_name(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", text.casefold()) is not None


# --- personas ------------------------------------------------------------------------------------

def _personas(key: str, value: Any) -> list[Persona]:
    """Personas under ``key``. A generic key (``personas``) needs a synthetic flag on each entry;
    a key that says it (``virtual_influencer``, ``synthetic_voice``) does not."""
    voice = bool(_VOICE_KEY.search(normal_key(key)))
    generic = normal_key(key) in ("personas", "persona")
    if voice:
        if value is True:
            return [Persona(None, key, voice=True)]
        if isinstance(value, str) and value.strip().lower() not in _FALSY:
            if value.strip().lower() in ("true", "yes", "oui"):
                return [Persona(None, key, voice=True)]
            return [Persona(value.strip(), key, voice=True)]
        return [Persona(n, key, voice=True) for n in _names(value, need_flag=False)]
    if value is True or value is False or value is None:
        return []
    return [Persona(name, key) for name in _names(value, need_flag=generic)]


def _names(value: Any, need_flag: bool) -> list[str]:
    if isinstance(value, str):
        return [] if need_flag or value.strip().lower() in _FALSY else [value.strip()]
    if isinstance(value, list):
        return [n for item in value for n in _names(item, need_flag)]
    if isinstance(value, dict):
        name = next((value[f] for f in _NAME_FIELDS if isinstance(value.get(f), str)), None)
        if name is not None:  # one persona as a mapping
            return [name.strip()] if (not need_flag or is_synthetic(value)) else []
        found = []
        for sub, entry in value.items():  # {Léa: {virtual: true}} or {Léa: virtual}
            if not isinstance(sub, str):
                continue
            if isinstance(entry, dict):
                ok = is_synthetic(entry) or not need_flag
            elif isinstance(entry, str):
                ok = entry.strip().lower() in _SYNTHETIC_WORDS or not need_flag
            else:
                ok = entry is True or (not need_flag and entry is not False)
            if ok:
                found.append(sub.strip())
        return found
    return []


def is_synthetic(entry: Any) -> bool:
    """Whether a mapping (persona entry, testimonial item) carries a true synthetic/AI flag."""
    if not isinstance(entry, dict):
        return False
    for key, value in entry.items():
        if isinstance(key, str) and key.lower() in SYNTHETIC_FLAGS and _truthy(value) and value is not None:
            return True
        if isinstance(key, str) and key.lower() in ("type", "kind", "nature") and isinstance(value, str) \
                and value.strip().lower() in _SYNTHETIC_WORDS:
            return True
    return False


# --- bot scripts ---------------------------------------------------------------------------------

def _bot_reason(path: str, metadata: dict[str, Any], config: dict[str, Any]) -> str | None:
    channel = metadata.get("channel")
    if isinstance(channel, str) and \
            _norm(channel) in {_norm(c) for c in config.get("bot-channels", []) if isinstance(c, str)}:
        return f"channel: {channel}"
    posix = str(path).replace("\\", "/")
    for pattern in config.get("bot-scripts", []):
        if isinstance(pattern, str) and glob_match(posix, pattern):
            return f"its path matches {pattern!r} (bot-scripts)"
    return None


def _norm(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def glob_match(path: str, pattern: str) -> bool:
    """Gitignore-style glob: ``**`` spans folders, ``*`` and ``?`` stay within one; a relative
    pattern may match at any folder depth of ``path``."""
    return _glob_regex(pattern).fullmatch(path.lstrip("./") if path.startswith("./") else path) is not None


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:  # translated once per pattern, not once per document
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            regex += ".*"
            i += 2
        elif pattern[i] == "*":
            regex += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            regex += "[^/]"
            i += 1
        else:
            regex += re.escape(pattern[i])
            i += 1
    if not pattern.startswith(("/", "**")):
        regex = "(?:.*/)?" + regex
    return re.compile(regex)


# --- string files --------------------------------------------------------------------------------

def _raw_data(document: Any) -> Any:
    """The parsed data of a YAML/JSON string file (first YAML document), or None."""
    if document.format not in ("yaml", "json"):
        return None
    try:
        if document.format == "json":
            return json.loads(document.source)
        for data in yaml.safe_load_all(document.source):
            return data
    except (ValueError, yaml.YAMLError, RecursionError):
        return None
    return None


def item_at(raw: Any, path: list[str]) -> Any:
    """The value at a dotted key path (list indexes as strings) in parsed data, or None."""
    node = raw
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
