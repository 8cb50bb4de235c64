"""Representation gaps across a copy repo: who the copy shows, counted from what it states.

``collect`` turns one document into a small picklable summary: counts of stated gendered person
references (pronouns, honorifics, gendered nouns), of stated age markers, of named people whose
gender the copy does not state, and what each image alt text says about the people it describes,
with the position of the first reference of each group. ``check`` adds the summaries up per scope
(the whole repo, or each configured subset glob) and reports a group whose share is too high.

What is counted, and why (documented in docs/quality/diversity.md):

* only what the copy **states**: "she", "Mr", "Mme", "mother", « cliente », "Sarah, 34",
  "retired". A first name is never read as a gender or an ethnicity;
* French *il* / *elle* are not counted: they agree with the grammatical gender of things
  (« la crème, elle hydrate ») as much as of people;
* gendered generics flagged by DIV101 ("man-hours", "mankind") are not person references;
* with the statistical tier (French model), an attribution such as « — Marie, Lyon » is confirmed
  as a person by the entity recogniser before it is counted among the named people; without it,
  the cheap pattern alone counts. Named people are reported, never assigned a gender.

A segment is matched only when the host's pre-filter (``TermMatcher.prefilter``) lets a counted label through
(a person noun too, in an alt text); the matches are those ``wording.candidates`` already made for
the segment when it did, else only the labels read here.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ethicslint import Finding, Rule

from .wording import Lexicon, lexicon, segment_matches

if TYPE_CHECKING:  # pragma: no cover
    from ethicslint import AnalyzedDocument, AnalyzedSegment

ALL_FILES = "all files"
GENDER_LABELS = {"ref-women": "women", "ref-men": "men", "ref-nonbinary": "non-binary"}
AGE_LABELS = {"age-young": "young", "age-middle": "middle", "age-older": "older"}
GROUP_NAMES = {
    "women": "women", "men": "men", "non-binary": "non-binary people",
    "young": "people under 35", "middle": "people aged 35-54", "older": "people aged 55 and over",
}
ALT_KEYS = re.compile(r"(^|[._-])(alt|alt_text|alttext|image_alt|img_alt|alt-text)$", re.IGNORECASE)
_AGE_NUMBER = re.compile(r"^(1[6-9]|[2-9]\d)$")
_GENERIC_CODES = frozenset({"DIV101"})
# The labels whose matches a segment's summary is made of: without one of them a segment adds
# nothing (a gendered generic or a visible disability only qualifies a reference or a person noun,
# and a person noun counts only in an alt text).
COUNTED = frozenset({*GENDER_LABELS, *AGE_LABELS, "age-number", "named-person"})
COUNTED_IN_ALT = COUNTED | {"people-noun"}
_READ: dict[str, frozenset[str]] = {}  # Lexicon.key -> every label collect() looks at


def _read_labels(lex: Lexicon) -> frozenset[str]:
    labels = _READ.get(lex.key)
    if labels is None:
        generic = {label for label, entry in lex.entries.items() if entry.code in _GENERIC_CODES}
        labels = _READ[lex.key] = COUNTED_IN_ALT | {"visible-disability"} | generic
    return labels


# --- scopes ------------------------------------------------------------------------------------

@lru_cache(maxsize=128)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    pattern = pattern.strip().lstrip("./")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def scopes_of(path: str, subsets: list[str]) -> list[str]:
    """The scopes a file belongs to. A glob matches the path or any trailing part of it, so
    ``testimonials/**`` matches ``site/testimonials/ana.md`` wherever the run starts."""
    if not subsets:
        return [ALL_FILES]
    parts = path.replace("\\", "/").lstrip("./").split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return [glob for glob in subsets if any(_glob_regex(glob).match(tail) for tail in tails)]


# --- collecting one document -------------------------------------------------------------------

def _position(document: AnalyzedDocument, segment: AnalyzedSegment, start: int, end: int) -> list[Any]:
    seg = segment.segment
    source_start = seg.source_offset(start)
    source_end = seg.source_offset(end - 1) + 1 if end > start else source_start
    line, column = document.document.position(source_start)
    end_line, end_column = document.document.position(source_end)
    return [line, column, end_line, end_column, segment.text[start:end]]


def _age_group(text: str) -> str | None:
    number = next((int(t) for t in re.findall(r"\d+", text) if _AGE_NUMBER.match(t)), None)
    if number is None:
        return None
    return "young" if number < 35 else "middle" if number < 55 else "older"


def _is_alt(segment: AnalyzedSegment) -> bool:
    key = segment.segment.key or ""
    return segment.kind == "alt" or (segment.kind == "string" and bool(ALT_KEYS.search(key)))


def _named_person(document: AnalyzedDocument, segment: AnalyzedSegment, span: Any) -> bool:
    """A cheap attribution match ("— Marie, Lyon"), confirmed by the entity tier when it exists."""
    if not document.has_model(segment.lang):
        return True
    name = next((t for t in span if t.is_title), None)
    if name is None:
        return False
    parsed = document.parse(span[name.i - span.start:name.i - span.start + 1], segment.lang)
    return parsed is not None and any(t.ent_type_ in ("PER", "PERSON") for t in parsed)


def _dedupe(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping matches in one dimension count once ("mother-of-two" and "mother")."""
    kept: list[tuple[int, int, str]] = []
    for start, end, group in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, group))
    return kept


def collect(document: AnalyzedDocument, config: dict[str, Any]) -> dict[str, Any] | None:
    """The document's representation summary (plain dicts, lists and numbers), or None."""
    scopes = scopes_of(document.path, list(config.get("subsets") or []))
    if not scopes:
        return None
    groups: dict[str, dict[str, dict[str, Any]]] = {"gender": {}, "age": {}}
    named = 0
    alts: list[dict[str, Any]] = []
    lexicons: dict[str, Lexicon] = {}
    for segment in document.segments:
        lex = lexicons.get(segment.lang)
        if lex is None:
            lex = lexicons[segment.lang] = lexicon(segment.lang, config)
        is_alt = _is_alt(segment)
        if not lex.matcher.prefilter(segment.doc, COUNTED_IN_ALT if is_alt else COUNTED):
            continue  # no match of a counted label: nothing below would add to the summary
        # the labels read below; the full list when wording.candidates matched this segment
        matches = segment_matches(segment, lex, _read_labels(lex))
        # a reference inside a generic term ("best man for the job") shows no one; a generic that
        # holds only under a condition ("he" after "the user") is the same word as the reference,
        # and the word stays counted
        generic = [(m.start_char, m.end_char) for m in matches
                   if m.label in lex.entries and lex.entries[m.label].code in _GENERIC_CODES
                   and not lex.entries[m.label].needs]
        found: dict[str, list[tuple[int, int, str]]] = {"gender": [], "age": []}
        people = disability = False
        for match in matches:
            label = match.label
            start, end = match.start_char, match.end_char
            if label in GENDER_LABELS:
                if not any(gs <= start and end <= ge for gs, ge in generic):
                    found["gender"].append((start, end, GENDER_LABELS[label]))
            elif label in AGE_LABELS:
                found["age"].append((start, end, AGE_LABELS[label]))
            elif label == "age-number":
                group = _age_group(match.span.text)
                if group:
                    found["age"].append((start, end, group))
            elif label == "named-person":
                named += _named_person(document, segment, match.span)
            elif label == "people-noun":
                people = True
            elif label == "visible-disability":
                disability = True
        for dimension, spans in found.items():
            for start, end, group in _dedupe(spans):
                slot = groups[dimension].setdefault(group, {"n": 0, "at": None})
                slot["n"] += 1
                if slot["at"] is None:
                    slot["at"] = _position(document, segment, start, end)
        if is_alt and people:
            alts.append({
                "gender": sorted({g for _, _, g in found["gender"]}),
                "age": sorted({g for _, _, g in found["age"]}),
                "disability": disability,
                "at": _position(document, segment, 0, len(segment.text)),
            })
    if not any(groups.values()) and not named and not alts:
        return None
    return {"path": document.path, "scopes": scopes, "gender": groups["gender"], "age": groups["age"],
            "named": named, "alts": alts}


# --- the corpus --------------------------------------------------------------------------------

def _finding(rule: Rule, path: str, at: list[Any], message: str) -> Finding:
    line, column, end_line, end_column, text = at
    return Finding(path=path, line=line, column=column, end_line=end_line, end_column=end_column,
                   code=rule.code, checker=rule.checker, severity=rule.severity, message=message, text=text)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _where(scope: str) -> str:
    return "across the repo" if scope == ALL_FILES else f"in {scope}"


def _gap(dimension: str, scope: str, docs: list[dict[str, Any]], config: dict[str, Any],
         rule: Rule) -> Finding | None:
    totals: Counter[str] = Counter()
    for doc in docs:
        for group, slot in doc[dimension].items():
            totals[group] += slot["n"]
    total = sum(totals.values())
    minimum = int(config.get("gap-min-references", 8))
    threshold = float(config.get("gap-share", 0.75))
    if total < max(1, minimum):
        return None
    group, count = max(sorted(totals.items()), key=lambda item: item[1])
    share = count / total
    if share <= threshold:
        return None
    contributors = [d for d in docs if d[dimension].get(group, {}).get("n")]
    top = sorted(contributors, key=lambda d: (-d[dimension][group]["n"], d["path"]))[:3]
    files = ", ".join(f"{d['path']} ({d[dimension][group]['n']})" for d in top)
    breakdown = ", ".join(f"{GROUP_NAMES[g]} {n}" for g, n in sorted(totals.items(), key=lambda i: -i[1]))
    first = min(contributors, key=lambda d: d["path"])
    if dimension == "gender":
        named = sum(d["named"] for d in docs)
        counted = "pronouns, titles and gendered nouns the copy states; names are never read as a gender"
        if named:
            counted += f"; {named} named people whose gender the copy does not state were not counted"
        what = "gendered person references"
        todo = ("check who your testimonials, personas, case studies, examples and alt texts show, and add "
                "people of other genders where the audience is mixed")
    else:
        counted = "stated ages and age words only"
        what = "age markers"
        todo = ("add testimonials, personas and examples from other age groups, or confirm the audience "
                "really is one age group")
    message = (f"Representation gap {_where(scope)}: {count} of {total} {what} ({_percent(share)}) refer to "
               f"{GROUP_NAMES[group]} ({breakdown}), above {_percent(threshold)} of at least {minimum}. "
               f"Most come from {files}. To do: {todo}. Counted: {counted}.")
    return _finding(rule, first["path"], first[dimension][group]["at"], message)


def _uniform_alts(scope: str, docs: list[dict[str, Any]], config: dict[str, Any], rule: Rule) -> Finding | None:
    alts = [(d["path"], alt) for d in docs for alt in d["alts"]]
    minimum = max(1, int(config.get("alt-min-people", 6)))
    if len(alts) < minimum:
        return None
    uniform = []
    for dimension, word in (("gender", "a gender"), ("age", "an age")):
        stating = [alt for _, alt in alts if alt[dimension]]
        values = {v for alt in stating for v in alt[dimension]}
        if len(stating) >= minimum and len(values) == 1:
            uniform.append(f"all {len(stating)} that state {word} describe {GROUP_NAMES[values.pop()]}")
    if not uniform:
        return None
    disabled = sum(1 for _, alt in alts if alt["disability"])
    path, alt = alts[0]
    message = (f"Image alt texts {_where(scope)}: of {len(alts)} alt texts describing people, "
               f"{'; '.join(uniform)}; {disabled} mention a visible disability. Check the images: vary who they "
               f"show, or make the alt texts describe the people accurately (only the alt texts are read, "
               f"not the images).")
    return _finding(rule, path, alt["at"], message)


def check(collected: list[Any], config: dict[str, Any], rules: dict[str, Rule]) -> list[Finding]:
    """Corpus-level findings: one per gap and scope, positioned at its first contributing file."""
    summaries = [c for c in collected if isinstance(c, dict) and "scopes" in c]
    subsets = list(config.get("subsets") or []) or [ALL_FILES]
    findings = []
    for scope in subsets:
        docs = sorted((s for s in summaries if scope in s["scopes"]), key=lambda s: s["path"])
        if not docs:
            continue
        for dimension, code in (("gender", "DIV501"), ("age", "DIV502")):
            finding = _gap(dimension, scope, docs, config, rules[code])
            if finding:
                findings.append(finding)
        finding = _uniform_alts(scope, docs, config, rules["DIV503"])
        if finding:
            findings.append(finding)
    return findings
