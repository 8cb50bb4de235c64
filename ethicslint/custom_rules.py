"""Rule packs as data: house rules declared in config as term lists, with no Python to write.

Many teams only need "flag these words, say this, suggest that". They declare such rules in
``[tool.ethicslint.custom-rules]`` (``[custom-rules]`` in ``.ethicslint.toml``) or in rule-pack
files listed in ``rule-packs``; this module validates them strictly and turns them into one
ordinary plugin object, :class:`CustomRulesPlugin`, that the host registers like any other
plugin (same rule checks, same isolation, ``--disable-plugin custom-rules`` turns it off).

One rule is one table named by its code::

    [tool.ethicslint.custom-rules.ACME101]
    severity   = "warning"
    message    = "'{text}' is a superlative nobody can check"
    suggestion = { en = "a fact", fr = "un fait" }   # optional; a string, or one per language
    terms      = { en = ["unbeatable"], fr = ["imbattable", "le meilleur"] }   # lemmas
    words      = { en = ["the best", "number one"] }                          # exact forms
    patterns   = { en = [[{LOWER = "no"}, {LOWER = "."}, {LOWER = "1"}]] }    # token patterns

``terms`` are matched on lemmas through spaCy's cheap tier ("guarantee" finds "guaranteed",
« imbattable » finds « imbattables »), so they must be written in base form; ``words`` match
their exact (case-insensitive) token sequence; ``patterns`` are spaCy Matcher token patterns
restricted to what the cheap tier annotates, with every repetition bounded (:data:`MAX_REPEAT`,
:data:`MAX_OPTIONAL`): a rule pack comes with the checked repository, and must not be able to
make matching unbounded. Terms that would be slow or ambiguous are refused at load time with a
message naming the file, the table and the key (see :func:`parse_rules`).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .hookspecs import hookimpl
from .model import Finding, Rule, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import AnalyzedDocument
    from .host import Host
    from .matching import TermMatcher

PLUGIN_NAME = "custom-rules"  # the plugin's name (for --disable-plugin) and the default checker
LANGUAGES = ("en", "fr")
CODE_PATTERN = re.compile(r"[A-Z]{2,4}[0-9]{3}")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
CHECKER_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# Limits that keep a rule pack cheap to compile and to run on every commit.
MAX_TERMS_PER_RULE = 500  # terms + words, per language
MAX_TERMS_TOTAL = 5000
MAX_PATTERNS_PER_RULE = 50
MAX_PATTERN_TOKENS = 10
MAX_GAP = 5  # upper bound of a bounded wildcard {OP = "{0,5}"}
# Repetition. spaCy unrolls {n,m} into m copies of the token, and each optional copy doubles the
# ways a match can be tried: {1,100000000} took 24 GB; three {0,5} took 40 s on 2,000 repeated
# words, eight optional copies 0.36 ms a word, one fixed word 0.01 ms (measured on the cheap tier).
# And spaCy's own "+" and "*" report every (start, end) pair of a run of the word: n²/2 matches.
MAX_REPEAT = 5  # upper bound of any {n,m} on a token; "+" is read as {1,5}, "*" as {0,5}, {n,} as {n,5}
MAX_OPTIONAL = 8  # per pattern: the tokens that may or may not be there (the sum of m - n)

# Token attributes the cheap tier (tokenizer, lookup lemmas, sentencizer) sets.
TEXT_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA")
LOWERCASE_ATTRS = ("LOWER", "LEMMA")  # their values are lowercase in the cheap tier
FLAG_ATTRS = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
              "IS_SPACE", "IS_STOP", "IS_SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")
OTHER_ATTRS = ("SHAPE", "LENGTH")
MODEL_ATTRS = ("POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "SENT_START")
STRING_PREDICATES = ("IN", "NOT_IN")
NUMBER_PREDICATES = ("IN", "NOT_IN", "==", "!=", ">=", "<=", ">", "<")
_OP = re.compile(r"[!?+*]|\{(\d*)(?:(,)(\d*))?\}")

RULE_KEYS = ("name", "severity", "message", "suggestion", "terms", "words", "patterns", "summary",
             "why", "example", "use-instead", "fix", "references", "skip-negated", "skip-quoted")


class CustomRulesError(ValueError):
    """A rule pack is invalid; the message names the file, the table and the key."""


@dataclass(frozen=True)
class CustomRule:
    """One validated rule of a rule pack: its metadata and its terms per language.

    Plain data (picklable), so a :class:`~ethicslint.config.Config` holding custom rules can
    travel to ``--jobs`` worker processes.
    """

    rule: Rule
    origin: str  # where it was declared, e.g. "pyproject.toml [tool.ethicslint.custom-rules.ACME101]"
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> base-form terms
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> exact forms
    patterns: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # lang -> token patterns
    messages: dict[str, str] = field(default_factory=dict)  # lang -> message ({text} = the match)
    suggestions: dict[str, str] = field(default_factory=dict)  # lang -> replacement text
    skip_negated: bool = False
    skip_quoted: bool = False

    @property
    def code(self) -> str:
        return self.rule.code

    def message(self, lang: str, text: str) -> str:
        return self.messages[lang].format(text=text)

    def suggestion(self, lang: str, text: str) -> str | None:
        template = self.suggestions.get(lang)
        return template.format(text=text) if template is not None else None


# --- validation ------------------------------------------------------------------------------

Locate = Callable[[str | None], str]  # sub-table name -> "file: [table]" prefix for messages


def parse_rules(raw: Any, locate: Locate) -> list[CustomRule]:
    """Validate one rule table (``[tool.ethicslint.custom-rules]`` or a rule-pack file).

    ``locate(code)`` gives the message prefix naming the file and the rule's table
    (``locate(None)``: the pack's own table). Raises :class:`CustomRulesError`.
    """
    if not isinstance(raw, dict):
        raise CustomRulesError(f"{locate(None)} must be a table of rules, got {_type_name(raw)}")
    checker = PLUGIN_NAME
    rules: list[CustomRule] = []
    for key, value in raw.items():
        if key == "checker":
            if not (isinstance(value, str) and CHECKER_PATTERN.fullmatch(value)):
                raise CustomRulesError(f"{locate(None)} 'checker' must be a kebab-case name "
                                       f"(e.g. 'house-style'), got {_describe(value)}")
            checker = value
        elif not isinstance(value, dict):
            hint = " (rules are tables: [ACME101])" if CODE_PATTERN.fullmatch(key) else ""
            raise CustomRulesError(f"{locate(None)} unknown key {key!r}: expected 'checker' or one "
                                   f"table per rule code{hint}")
    for code, table in raw.items():
        if code == "checker":
            continue
        if not CODE_PATTERN.fullmatch(code):
            raise CustomRulesError(f"{locate(None)} {code!r} is not a rule code: 2-4 capital letters "
                                   f"and 3 digits, e.g. ACME101")
        if code.rstrip("0123456789") == "EL":
            raise CustomRulesError(f"{locate(code)} the prefix EL is reserved for ethicslint's own rules")
        rules.append(_parse_rule(code, table, checker, locate))
    check_together(rules)
    return rules


def load_rule_pack(path: Path, display: str) -> list[CustomRule]:
    """Read and validate a rule-pack file (same shape as the inline table, codes at top level)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CustomRulesError(f"{display}: no such rule-pack file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CustomRulesError(f"{display}: cannot read the rule pack: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CustomRulesError(f"{display}: invalid TOML: {exc}") from None
    return parse_rules(raw, lambda sub: f"{display}: [{sub}]" if sub else f"{display}:")


def _parse_rule(code: str, table: dict[str, Any], checker: str, locate: Locate) -> CustomRule:
    where = locate(code)
    for key in table:
        if key not in RULE_KEYS:
            close = difflib.get_close_matches(key, RULE_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CustomRulesError(f"{where} unknown key {key!r}{hint}; keys of a rule: {', '.join(RULE_KEYS)}")
    name = table.get("name", f"custom-{code.lower()}")
    if not (isinstance(name, str) and NAME_PATTERN.fullmatch(name)):
        raise CustomRulesError(f"{where} 'name' must be kebab-case (e.g. 'banned-superlative'), got "
                               f"{_describe(name)}")
    severity = table.get("severity", "warning")
    if not isinstance(severity, str):
        raise CustomRulesError(f"{where} 'severity' must be a string, got {_describe(severity)}")
    try:
        parsed_severity = Severity.parse(severity)
    except ValueError as exc:
        raise CustomRulesError(f"{where} 'severity': {exc}") from None

    terms = _per_language(table, "terms", where, _string_list)
    words = _per_language(table, "words", where, _string_list)
    patterns = _per_language(table, "patterns", where, _pattern_list)
    languages = tuple(lang for lang in LANGUAGES if terms.get(lang) or words.get(lang) or patterns.get(lang))
    if not languages:
        raise CustomRulesError(f"{where} declares nothing to match: give 'terms', 'words' or 'patterns' "
                               f"for at least one language (en, fr)")
    if "message" not in table:
        raise CustomRulesError(f"{where} 'message' is required (what the finding says; "
                               f"'{{text}}' is the matched text)")
    messages = _texts(table["message"], "message", where, languages, required=True)
    suggestions = _texts(table.get("suggestion"), "suggestion", where, languages, required=False)
    for lang in languages:
        _check_terms(terms.get(lang, ()), words.get(lang, ()), lang, where)
        if lang in patterns:
            patterns[lang] = [_check_pattern(pattern, f"{where} 'patterns.{lang}'[{index}]")
                              for index, pattern in enumerate(patterns[lang])]
        if len(patterns.get(lang, ())) > MAX_PATTERNS_PER_RULE:
            raise CustomRulesError(f"{where} 'patterns.{lang}' has {len(patterns[lang])} patterns; at most "
                                   f"{MAX_PATTERNS_PER_RULE} per rule and language")
    docs = {key: table.get(key, "") for key in ("summary", "why", "example", "use-instead", "fix")}
    for key, value in docs.items():
        if not isinstance(value, str):
            raise CustomRulesError(f"{where} {key!r} must be a string, got {_describe(value)}")
    references = table.get("references", [])
    if not (isinstance(references, list) and all(isinstance(r, str) and r.strip() for r in references)):
        raise CustomRulesError(f"{where} 'references' must be an array of non-empty strings")
    flags = {}
    for key in ("skip-negated", "skip-quoted"):
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise CustomRulesError(f"{where} {key!r} must be true or false, got {_describe(value)}")
        flags[key] = value
    origin = where.replace(": [", " [", 1) if ": [" in where else where
    rule = Rule(
        code=code, name=name, checker=checker, severity=parsed_severity,
        summary=docs["summary"].strip() or f"Flags {_term_summary(terms, words, patterns, languages)}.",
        why=docs["why"].strip() or f"A rule of this project, declared in {origin}. Give it a `why` "
                                   f"saying why this wording is a problem, with its policy basis.",
        example=docs["example"], use_instead=docs["use-instead"], fix=docs["fix"],
        languages=languages, references=tuple(references),
    )
    return CustomRule(rule=rule, origin=origin,
                      terms={k: tuple(v) for k, v in terms.items() if v},
                      words={k: tuple(v) for k, v in words.items() if v},
                      patterns={k: tuple(v) for k, v in patterns.items() if v},
                      messages=messages, suggestions=suggestions,
                      skip_negated=flags["skip-negated"], skip_quoted=flags["skip-quoted"])


def _per_language(table: dict[str, Any], key: str, where: str,
                  item_check: Callable[[Any, str], list[Any]]) -> dict[str, list[Any]]:
    value = table.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CustomRulesError(f"{where} {key!r} must be a table of languages, e.g. "
                               f"{key} = {{ en = [...], fr = [...] }}; got {_describe(value)}")
    result = {}
    for lang, items in value.items():
        if lang not in LANGUAGES:
            raise CustomRulesError(f"{where} '{key}.{lang}': language {lang!r} is not supported "
                                   f"(en, fr)")
        checked = item_check(items, f"{where} '{key}.{lang}'")
        if not checked:
            raise CustomRulesError(f"{where} '{key}.{lang}' is empty; remove it or list at least one entry")
        result[lang] = checked
    return result


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise CustomRulesError(f"{where} must be an array of strings, got {_describe(value)}")
    for item in value:
        if not isinstance(item, str):
            raise CustomRulesError(f"{where} must be an array of strings, got an array containing "
                                   f"{_describe(item)}")
        if not item.strip():
            raise CustomRulesError(f"{where} contains an empty term")
    return [" ".join(item.split()) for item in value]


def _pattern_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise CustomRulesError(f"{where} must be an array of token patterns (arrays of tables), "
                               f"got {_describe(value)}")
    return list(value)


def _texts(value: Any, key: str, where: str, languages: tuple[str, ...], *, required: bool) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        per_lang = {lang: value for lang in languages}
    elif isinstance(value, dict):
        per_lang = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                raise CustomRulesError(f"{where} '{key}.{lang}': language {lang!r} is not supported (en, fr)")
            if not isinstance(text, str):
                raise CustomRulesError(f"{where} '{key}.{lang}' must be a string, got {_describe(text)}")
            per_lang[lang] = text
        missing = [lang for lang in languages if lang not in per_lang]
        if missing:
            raise CustomRulesError(f"{where} {key!r} has no text for {', '.join(missing)}, a language "
                                   f"the rule matches in")
    else:
        raise CustomRulesError(f"{where} {key!r} must be a string or a table of languages "
                               f"({key} = {{ en = \"...\", fr = \"...\" }}), got {_describe(value)}")
    for lang, text in per_lang.items():
        label = key if isinstance(value, str) else f"{key}.{lang}"
        if required and not text.strip():
            raise CustomRulesError(f"{where} {label!r} must not be empty")
        fields = set()
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            text.format(text="x")
        except (ValueError, IndexError, KeyError):
            unknown = fields - {"text"}
            if unknown:
                raise CustomRulesError(f"{where} {label!r} uses the placeholder {{{sorted(unknown)[0]}}}; "
                                       f"only {{text}} (the matched text) is available") from None
            raise CustomRulesError(f"{where} {label!r} is not a valid template: write a literal brace as "
                                   f"{{{{ or }}}}; {{text}} is the matched text") from None
    return per_lang


def _check_terms(terms: Sequence[str], words: Sequence[str], lang: str, where: str) -> None:
    """Refuse terms that are slow or ambiguous on the cheap tier: duplicates, one-character
    terms, stop words alone, and ``terms`` not written in base form (their lemma matching
    would reach other words: "best" has the lemma "well")."""
    if len(terms) + len(words) > MAX_TERMS_PER_RULE:
        raise CustomRulesError(f"{where} has {len(terms) + len(words)} terms for {lang}; at most "
                               f"{MAX_TERMS_PER_RULE} per rule and language (split it into several rules)")
    lemma_owner: dict[tuple[str, ...], str] = {}
    word_owner: dict[tuple[str, ...], str] = {}
    for key, items in (("terms", terms), ("words", words)):
        for term in items:
            label = f"{where} '{key}.{lang}': {term!r}"
            if len(term.strip()) < 2:
                raise CustomRulesError(f"{label} is a single character; it would match everywhere")
            if not any(ch.isalnum() for ch in term):
                raise CustomRulesError(f"{label} has no letter or digit; punctuation alone is not a term")
            analysis = _analyze_term(term, lang)
            if all(analysis.stops):
                raise CustomRulesError(f"{label} is only stop words ({lang}); it would match almost "
                                       f"every sentence")
            if key == "terms":
                bad = [(word, lemma) for word, lemma, stop in zip(analysis.lowers, analysis.lemmas, analysis.stops)
                       if not stop and word != lemma]
                if bad:
                    raise CustomRulesError(
                        f"{label} is not in base form: terms match on lemmas and the lemma of "
                        f"{bad[0][0]!r} is {bad[0][1]!r}, so it would match every form of "
                        f"{' '.join(analysis.lemmas)!r}. Write the base form, or list it under 'words' "
                        f"to match exactly this text")
                if analysis.lemmas in lemma_owner:
                    raise CustomRulesError(f"{label} duplicates {lemma_owner[analysis.lemmas]!r}")
                lemma_owner[analysis.lemmas] = term
            else:
                if analysis.lowers in word_owner:
                    raise CustomRulesError(f"{label} duplicates {word_owner[analysis.lowers]!r}")
                if analysis.lemmas in lemma_owner:
                    raise CustomRulesError(f"{label} is already matched by the term "
                                           f"{lemma_owner[analysis.lemmas]!r}; remove one of them")
                word_owner[analysis.lowers] = term


@dataclass(frozen=True)
class _TermAnalysis:
    lowers: tuple[str, ...]
    lemmas: tuple[str, ...]
    stops: tuple[bool, ...]


@functools.lru_cache(maxsize=4096)
def _analyze_term(term: str, lang: str) -> _TermAnalysis:
    """The lowercase forms, lemmas and stop-word flags of a term's tokens on the cheap tier."""
    from .nlp import cheap_pipeline, normalize_for_nlp

    tokens = [t for t in cheap_pipeline(lang)(normalize_for_nlp(term)) if not t.is_space]
    return _TermAnalysis(tuple(t.lower_ for t in tokens), tuple(t.lemma_ for t in tokens),
                         tuple(t.is_stop for t in tokens))


def _check_pattern(pattern: Any, where: str) -> list[dict[str, Any]]:
    """Refuse token patterns the cheap tier cannot serve or that would be slow or ambiguous; the
    pattern with every repetition bounded (``+`` -> ``{1,5}``, ``*`` -> ``{0,5}``, ``{n,}`` ->
    ``{n,5}``), so that matching costs a bounded amount per token of a segment."""
    if not (isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern)):
        raise CustomRulesError(f"{where} must be a non-empty array of token tables, e.g. "
                               f"[{{LOWER = \"number\"}}, {{LOWER = \"one\"}}]")
    if len(pattern) > MAX_PATTERN_TOKENS:
        raise CustomRulesError(f"{where} has {len(pattern)} tokens; at most {MAX_PATTERN_TOKENS}")
    anchored = False
    optional = 0
    bounded = []
    for index, token in enumerate(pattern):
        at = f"{where} token {index + 1}"
        op = token.get("OP")
        low = high = 1
        if op is not None:
            low, high = _op_bounds(op, at)
        attrs = [key for key in token if key != "OP"]
        for key in attrs:
            _check_attribute(key, token[key], at)
        has_text = any(key in TEXT_ATTRS for key in attrs)
        if high is None and not has_text:
            raise CustomRulesError(
                f"{at}: OP {op!r} on a token without ORTH/TEXT/LOWER/NORM/LEMMA is an unbounded "
                f"wildcard: it makes matching slow and the matched span ambiguous; use a bounded gap "
                f"such as {{OP = \"{{0,3}}\"}} (at most {MAX_GAP})")
        if not attrs and high is not None and high > MAX_GAP:
            raise CustomRulesError(f"{at}: a wildcard gap of up to {high} tokens is too wide; at most {MAX_GAP}")
        if max(low, high or 0) > MAX_REPEAT:
            raise CustomRulesError(f"{at}: OP {op!r} repeats a token up to {max(low, high or 0)} times; at most "
                                   f"{MAX_REPEAT} (matching work grows with every repetition)")
        if high is None:  # "+", "*", "{n,}" on a word: at most MAX_REPEAT of it
            high = MAX_REPEAT
            token = {**token, "OP": f"{{{low},{high}}}"}
        if op != "!":
            optional += high - low
        if has_text and low >= 1 and op != "!":
            anchored = True
        bounded.append(token)
    if not anchored:
        raise CustomRulesError(f"{where} has no required token with ORTH/TEXT/LOWER/NORM/LEMMA; it would "
                               f"match almost anything")
    if optional > MAX_OPTIONAL:
        raise CustomRulesError(f"{where} lets {optional} tokens be optional or repeated; at most {MAX_OPTIONAL} "
                               f"per pattern (each one doubles the ways a match is tried; '+' and '*' count "
                               f"as {{1,{MAX_REPEAT}}} and {{0,{MAX_REPEAT}}})")
    return bounded


def _op_bounds(op: Any, where: str) -> tuple[int, int | None]:
    match = _OP.fullmatch(op) if isinstance(op, str) else None
    if match is None:
        raise CustomRulesError(f"{where}: OP must be one of !, ?, +, *, {{n}}, {{n,m}}, {{n,}}, {{,m}}; "
                               f"got {_describe(op)}")
    if op in ("!", "?", "+", "*"):
        return {"!": (0, 0), "?": (0, 1), "+": (1, None), "*": (0, None)}[op]
    low_text, comma, high_text = match.groups()
    low = _count(low_text) if low_text else 0
    if not comma:
        return low, low
    high = _count(high_text) if high_text else None
    if high is not None and high < low:
        raise CustomRulesError(f"{where}: OP {op!r} has its maximum below its minimum")
    return low, high


def _count(digits: str) -> int:
    """A repetition bound; a huge one only needs to be known as too large (``int()`` refuses
    strings of more than 4,300 digits)."""
    return int(digits) if len(digits) <= 12 else 10 ** 12


def _check_attribute(key: str, value: Any, where: str) -> None:
    if key in MODEL_ATTRS:
        raise CustomRulesError(f"{where}: {key} needs the statistical model, but custom rules run on "
                               f"the cheap tier (tokens and lemmas): use {', '.join(TEXT_ATTRS)}, IS_* "
                               f"or LIKE_* attributes")
    if key not in (*TEXT_ATTRS, *FLAG_ATTRS, *OTHER_ATTRS):
        close = difflib.get_close_matches(key, [*TEXT_ATTRS, *FLAG_ATTRS, *OTHER_ATTRS], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CustomRulesError(f"{where}: unknown token attribute {key!r}{hint}")
    if key in FLAG_ATTRS:
        if not isinstance(value, bool):
            raise CustomRulesError(f"{where}: {key} must be true or false, got {_describe(value)}")
        return
    number = key == "LENGTH"
    if isinstance(value, dict):
        allowed = NUMBER_PREDICATES if number else STRING_PREDICATES
        for predicate, argument in value.items():
            if predicate in ("REGEX", "FUZZY") or predicate.startswith("FUZZY"):
                raise CustomRulesError(f"{where}: {key} {predicate} is refused: custom rules match "
                                       f"tokens and lemmas, not raw regexes; list the words with IN")
            if predicate not in allowed:
                raise CustomRulesError(f"{where}: {key} predicate {predicate!r} is not supported "
                                       f"(use {', '.join(allowed)})")
            values = argument if predicate in ("IN", "NOT_IN") else [argument]
            if predicate in ("IN", "NOT_IN") and not (isinstance(argument, list) and argument):
                raise CustomRulesError(f"{where}: {key} {predicate} must be a non-empty array")
            for item in values:
                _check_value(key, item, number, where)
        return
    _check_value(key, value, number, where)


def _check_value(key: str, value: Any, number: bool, where: str) -> None:
    if number:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CustomRulesError(f"{where}: {key} values must be integers, got {_describe(value)}")
        return
    if not isinstance(value, str) or not value:
        raise CustomRulesError(f"{where}: {key} values must be non-empty strings, got {_describe(value)}")
    if key in LOWERCASE_ATTRS and value != value.lower():
        raise CustomRulesError(f"{where}: {key} value {value!r} has capitals and can never match "
                               f"(the cheap tier's {key} is lowercase); write {value.lower()!r}")


def check_together(rules: Iterable[CustomRule]) -> None:
    """Refuse what is ambiguous across rules: one code twice, one term in two rules, too many terms."""
    rules = list(rules)
    codes: dict[str, CustomRule] = {}
    for rule in rules:
        if rule.code in codes:
            raise CustomRulesError(f"{rule.origin}: rule code {rule.code} is also declared in "
                                   f"{codes[rule.code].origin}")
        codes[rule.code] = rule
    total = sum(len(v) for r in rules for v in (*r.terms.values(), *r.words.values()))
    if total > MAX_TERMS_TOTAL:
        raise CustomRulesError(f"custom rules declare {total} terms in all; at most {MAX_TERMS_TOTAL} "
                               f"(a bigger vocabulary belongs in a checker plugin)")
    for lang in LANGUAGES:
        by_lemmas: dict[tuple[str, ...], tuple[CustomRule, str]] = {}
        by_words: dict[tuple[str, ...], tuple[CustomRule, str]] = {}
        pattern_owner: dict[str, CustomRule] = {}
        for rule in rules:
            for term in rule.terms.get(lang, ()):
                _claim(by_lemmas, _analyze_term(term, lang).lemmas, rule, term, lang)
        for rule in rules:
            for word in rule.words.get(lang, ()):
                analysis = _analyze_term(word, lang)
                _claim(by_words, analysis.lowers, rule, word, lang)
                other = by_lemmas.get(analysis.lemmas)
                if other is not None and other[0].code != rule.code:
                    _conflict(rule, word, lang, *other)
            for pattern in rule.patterns.get(lang, ()):
                key = json.dumps(pattern, sort_keys=True)
                if key in pattern_owner and pattern_owner[key].code != rule.code:
                    raise CustomRulesError(f"{rule.origin}: a {lang} pattern is also a pattern of "
                                           f"{pattern_owner[key].code} ({pattern_owner[key].origin})")
                pattern_owner.setdefault(key, rule)


def _claim(owners: dict[tuple[str, ...], tuple[CustomRule, str]], key: tuple[str, ...], rule: CustomRule,
           term: str, lang: str) -> None:
    other = owners.get(key)
    if other is not None and other[0].code != rule.code:
        _conflict(rule, term, lang, *other)
    owners.setdefault(key, (rule, term))


def _conflict(rule: CustomRule, term: str, lang: str, other: CustomRule, other_term: str) -> None:
    raise CustomRulesError(f"{rule.origin}: {lang} term {term!r} is also matched by {other.code} "
                           f"({other_term!r}, {other.origin}); one text cannot belong to two rules")


def compile_check(rules: Iterable[CustomRule]) -> None:
    """Compile every rule's matcher once, so spaCy's own pattern validation fails at load time."""
    from .matching import TermsError

    for lang in LANGUAGES:
        try:
            _matcher(tuple(rules), lang)
        except TermsError as exc:
            raise CustomRulesError(str(exc)) from None


def _term_summary(terms: dict[str, list[str]], words: dict[str, list[str]],
                  patterns: dict[str, list[Any]], languages: tuple[str, ...]) -> str:
    parts = []
    for lang in languages:
        listed = [*terms.get(lang, []), *words.get(lang, [])]
        shown = [", ".join(f"\"{t}\"" for t in listed[:8]) + (", …" if len(listed) > 8 else "")] if listed else []
        if patterns.get(lang):
            count = len(patterns[lang])
            shown.append(f"{count} token pattern{'s' if count > 1 else ''}")
        parts.append(f"{' and '.join(shown)} ({lang})")
    return "; ".join(parts)


def _type_name(value: Any) -> str:
    return {dict: "table", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "float"}.get(type(value), type(value).__name__)


def _describe(value: Any) -> str:
    return f"{_type_name(value)} {value!r}"


# --- the plugin ------------------------------------------------------------------------------

def _matcher(rules: tuple[CustomRule, ...], lang: str) -> TermMatcher | None:
    """The rules' terms for ``lang`` compiled into one matcher (labels are the rule codes)."""
    from .matching import TermMatcher, TermsError, TermTable

    table = TermTable(source="custom rules")
    for custom in rules:
        if lang in custom.rule.languages:
            table.entries[custom.code] = {
                "phrases": list(custom.words.get(lang, ())),
                "lemmas": list(custom.terms.get(lang, ())),
                "patterns": [list(p) for p in custom.patterns.get(lang, ())],
            }
    if not table.entries:
        return None
    try:
        return TermMatcher(table, lang)
    except TermsError as exc:  # spaCy refused a pattern: name the rule's file and table
        message = str(exc)
        for custom in rules:
            prefix = f"custom rules: [{custom.code}] "
            if message.startswith(prefix):
                raise TermsError(f"{custom.origin} 'patterns.{lang}': {message[len(prefix):]}") from None
        raise


class CustomRulesPlugin:
    """The rules of the config's rule packs, as one plugin object with ordinary hookimpls."""

    def __init__(self, rules: Sequence[CustomRule]) -> None:
        self.custom_rules = tuple(rules)
        self._by_code = {custom.code: custom for custom in self.custom_rules}
        self._matchers: dict[str, TermMatcher | None] = {}
        origins = list(dict.fromkeys(c.origin.split(" [")[0] for c in self.custom_rules))
        self.origin = f"config ({', '.join(origins)})"
        digest = hashlib.sha256(repr([(c.rule, c.terms, c.words, c.patterns, c.messages, c.suggestions,
                                       c.skip_negated, c.skip_quoted) for c in self.custom_rules]).encode())
        self.version = digest.hexdigest()[:10]  # changes with any rule: keys the result cache

    @hookimpl
    def ethicslint_rules(self) -> list[Rule]:
        return [custom.rule for custom in self.custom_rules]

    @hookimpl
    def ethicslint_check_document(self, document: AnalyzedDocument, config: dict[str, Any]) -> list[Finding]:
        from .context import in_quotation, is_negated

        findings = []
        for segment in document.segments:
            if segment.lang not in self._matchers:
                self._matchers[segment.lang] = _matcher(self.custom_rules, segment.lang)
            matcher = self._matchers[segment.lang]
            if matcher is None:
                continue
            # per rule, the end of its last finding: matches come sorted by start, longest first, so
            # the findings kept are disjoint and in order, and a match overlaps one iff it starts
            # before the last one ends (one comparison, not one per finding so far)
            taken: dict[str, int] = {}
            for match in matcher(segment.doc):
                custom = self._by_code[match.label]
                span = match.span
                if span.start_char < taken.get(custom.code, -1):
                    continue  # one occurrence, one finding: the longest match at the first start
                if custom.skip_quoted and in_quotation(segment, span.start_char, span.end_char):
                    continue
                if custom.skip_negated and is_negated(span, segment.lang):
                    continue
                taken[custom.code] = span.end_char
                text = segment.text[span.start_char:span.end_char]
                findings.append(document.finding_for_span(
                    custom.rule, segment, span, custom.message(segment.lang, text),
                    suggestion=custom.suggestion(segment.lang, text)))
        return findings


def register_custom_rules(host: Host, rules: Sequence[CustomRule], disabled: Iterable[str] = ()) -> None:
    """Register the rule packs' plugin on ``host``, after the other plugins are loaded.

    A code already declared by a loaded plugin is a :class:`~ethicslint.host.PluginLoadError`
    naming the file and table of the custom rule and the plugin that owns the code.
    """
    from .host import PluginLoadError

    if not rules or _canonical(PLUGIN_NAME) in {_canonical(name) for name in disabled}:
        return
    for custom in rules:
        owner = host.rule_owner.get(custom.code)
        if owner is not None:
            raise PluginLoadError(f"{custom.origin}: rule code {custom.code} is already declared by "
                                  f"plugin {owner!r}; choose another code")
    plugin = CustomRulesPlugin(rules)
    host.register(PLUGIN_NAME, plugin, plugin.version, plugin.origin)


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").removeprefix("ethicslint-")
