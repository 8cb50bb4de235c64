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
make matching unbounded.

Checking happens in two steps, both refusing with a configuration error (exit 2) naming the file,
the table and the key. Reading the config (:func:`parse_rules`, :func:`check_together`) checks
the shape of every rule and pattern and needs no language model. Building the plugin
(:class:`CustomRulesPlugin`, when the host registers it) checks the terms on the cheap tier's
tokens and lemmas: not in base form, only stop words, one text claimed by two terms or rules
(:func:`check_terms`). The matchers themselves are compiled on first use.
"""

from __future__ import annotations

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

from . import schema
from .context import in_quotation, is_negated
from .errors import ConfigError, PluginLoadError
from .hookspecs import hookimpl
from .model import Finding, Rule, Severity
from .schema import Place, describe
from .selection import CODE

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import AnalyzedDocument
    from .host import Host
    from .matching import TermMatcher

PLUGIN_NAME = "custom-rules"  # the plugin's name (for --disable-plugin) and the default checker
LANGUAGES = ("en", "fr")
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


CustomRulesError = ConfigError  # a rule pack's problem is a configuration problem like any other


@dataclass(frozen=True)
class CustomRule:
    """One validated rule of a rule pack: its metadata and its terms per language.

    Plain data (picklable), so a :class:`~ethicslint.config.Config` holding custom rules can
    travel to ``--jobs`` worker processes.
    """

    rule: Rule
    place: Place  # where it was declared, e.g. pyproject.toml [tool.ethicslint.custom-rules.ACME101]
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

    @property
    def origin(self) -> str:
        """Where it was declared, as a message names it: ``pyproject.toml [tool.ethicslint.custom-rules.ACME101]``."""
        return f"{self.place.file} {self.place.table}"

    def message(self, lang: str, text: str) -> str:
        return self.messages[lang].format(text=text)

    def suggestion(self, lang: str, text: str) -> str | None:
        template = self.suggestions.get(lang)
        return template.format(text=text) if template is not None else None


# --- validation: the shape of each rule (no language model) ---------------------------------------

Locate = Callable[[str | None], Place]  # rule code -> its file and table (None: the pack's own table)


def parse_rules(raw: Any, locate: Locate) -> list[CustomRule]:
    """Check the shape of one rule table (``[tool.ethicslint.custom-rules]`` or a rule-pack file).

    ``locate(code)`` gives the file and the rule's table for messages (``locate(None)``: the
    pack's own table). Raises :class:`~ethicslint.errors.ConfigError`.
    """
    top = locate(None)
    if not isinstance(raw, dict):
        raise top.error(f"must be a table of rules, got {describe(raw)}")
    checker = PLUGIN_NAME
    rules: list[CustomRule] = []
    for key, value in raw.items():
        if key == "checker":
            if not (isinstance(value, str) and CHECKER_PATTERN.fullmatch(value)):
                raise top.error(f"'checker' must be a kebab-case name (e.g. 'house-style'), got {describe(value)}")
            checker = value
        elif not isinstance(value, dict):
            hint = " (rules are tables: [ACME101])" if CODE.fullmatch(key) else ""
            raise top.error(f"unknown key {key!r}: expected 'checker' or one table per rule code{hint}")
    for code, table in raw.items():
        if code == "checker":
            continue
        if not CODE.fullmatch(code):
            raise top.error(f"{code!r} is not a rule code: 2-4 capital letters and 3 digits, e.g. ACME101")
        if code.rstrip("0123456789") == "EL":
            raise locate(code).error("the prefix EL is reserved for ethicslint's own rules")
        rules.append(_parse_rule(code, table, checker, locate(code)))
    check_together(rules)
    return rules


def load_rule_pack(path: Path, display: str) -> list[CustomRule]:
    """Read a rule-pack file and check its shape (as the inline table, codes at top level)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{display}: no such rule-pack file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display}: cannot read the rule pack: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display}: invalid TOML: {exc}") from None
    return parse_rules(raw, lambda sub: Place(display, f"[{sub}]" if sub else ""))


def _parse_rule(code: str, table: dict[str, Any], checker: str, where: Place) -> CustomRule:
    for key in table:
        if key not in RULE_KEYS:
            raise schema.unknown_key(key, RULE_KEYS, where, f"; keys of a rule: {', '.join(RULE_KEYS)}")
    name = table.get("name", f"custom-{code.lower()}")
    if not (isinstance(name, str) and NAME_PATTERN.fullmatch(name)):
        raise where.error(f"'name' must be kebab-case (e.g. 'banned-superlative'), got {describe(name)}")
    severity = schema.severity("'severity'", table.get("severity", "warning"), where)
    terms = _per_language(table, "terms", where, _term_list)
    words = _per_language(table, "words", where, _term_list)
    patterns = _per_language(table, "patterns", where, _pattern_list)
    languages = tuple(lang for lang in LANGUAGES if terms.get(lang) or words.get(lang) or patterns.get(lang))
    if not languages:
        raise where.error("declares nothing to match: give 'terms', 'words' or 'patterns' for at least one "
                          "language (en, fr)")
    if "message" not in table:
        raise where.error("'message' is required (what the finding says; '{text}' is the matched text)")
    messages = _texts(table["message"], "message", where, languages, required=True)
    suggestions = _texts(table.get("suggestion"), "suggestion", where, languages, required=False)
    for lang in languages:
        _check_term_shapes(terms.get(lang, ()), words.get(lang, ()), lang, where)
        if lang in patterns:
            patterns[lang] = [_check_pattern(pattern, f"{where.prefix} 'patterns.{lang}'[{index}]")
                              for index, pattern in enumerate(patterns[lang])]
        if len(patterns.get(lang, ())) > MAX_PATTERNS_PER_RULE:
            raise where.error(f"'patterns.{lang}' has {len(patterns[lang])} patterns; at most "
                              f"{MAX_PATTERNS_PER_RULE} per rule and language")
    docs = {key: schema.string(repr(key), table.get(key, ""), where)
            for key in ("summary", "why", "example", "use-instead", "fix")}
    references = schema.string_list("'references'", table.get("references", []), where, non_empty=True)
    flags = {key: schema.boolean(repr(key), table.get(key, False), where) for key in ("skip-negated", "skip-quoted")}
    origin = f"{where.file} {where.table}"
    rule = Rule(
        code=code, name=name, checker=checker, severity=severity,
        summary=docs["summary"].strip() or f"Flags {_term_summary(terms, words, patterns, languages)}.",
        why=docs["why"].strip() or f"A rule of this project, declared in {origin}. Give it a `why` "
                                   f"saying why this wording is a problem, with its policy basis.",
        example=docs["example"], use_instead=docs["use-instead"], fix=docs["fix"],
        languages=languages, references=tuple(references),
    )
    return CustomRule(rule=rule, place=where,
                      terms={k: tuple(v) for k, v in terms.items() if v},
                      words={k: tuple(v) for k, v in words.items() if v},
                      patterns={k: tuple(v) for k, v in patterns.items() if v},
                      messages=messages, suggestions=suggestions,
                      skip_negated=flags["skip-negated"], skip_quoted=flags["skip-quoted"])


def _per_language(table: dict[str, Any], key: str, where: Place,
                  item_check: Callable[[str, Any, Place], list[Any]]) -> dict[str, list[Any]]:
    value = table.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(f"{key!r} must be a table of languages, e.g. {key} = {{ en = [...], fr = [...] }}; "
                          f"got {describe(value)}")
    result = {}
    for lang, items in value.items():
        if lang not in LANGUAGES:
            raise where.error(f"'{key}.{lang}': language {lang!r} is not supported (en, fr)")
        checked = item_check(f"'{key}.{lang}'", items, where)
        if not checked:
            raise where.error(f"'{key}.{lang}' is empty; remove it or list at least one entry")
        result[lang] = checked
    return result


def _term_list(what: str, value: Any, where: Place) -> list[str]:
    """Terms or words, each with its runs of spaces made one."""
    return [" ".join(item.split()) for item in schema.string_list(what, value, where, non_empty=True)]


def _pattern_list(what: str, value: Any, where: Place) -> list[Any]:
    if not isinstance(value, list):
        raise where.error(f"{what} must be an array of token patterns (arrays of tables), got {describe(value)}")
    return list(value)


def _texts(value: Any, key: str, where: Place, languages: tuple[str, ...], *, required: bool) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        per_lang = {lang: value for lang in languages}
    elif isinstance(value, dict):
        per_lang = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                raise where.error(f"'{key}.{lang}': language {lang!r} is not supported (en, fr)")
            per_lang[lang] = schema.string(f"'{key}.{lang}'", text, where)
        missing = [lang for lang in languages if lang not in per_lang]
        if missing:
            raise where.error(f"{key!r} has no text for {', '.join(missing)}, a language the rule matches in")
    else:
        raise where.error(f"{key!r} must be a string or a table of languages ({key} = {{ en = \"...\", "
                          f"fr = \"...\" }}), got {describe(value)}")
    for lang, text in per_lang.items():
        label = key if isinstance(value, str) else f"{key}.{lang}"
        if required and not text.strip():
            raise where.error(f"{label!r} must not be empty")
        fields = set()
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            text.format(text="x")
        except (ValueError, IndexError, KeyError):
            unknown = fields - {"text"}
            if unknown:
                raise where.error(f"{label!r} uses the placeholder {{{sorted(unknown)[0]}}}; only {{text}} (the "
                                  f"matched text) is available") from None
            raise where.error(f"{label!r} is not a valid template: write a literal brace as {{{{ or }}}}; "
                              f"{{text}} is the matched text") from None
    return per_lang


def _check_term_shapes(terms: Sequence[str], words: Sequence[str], lang: str, where: Place) -> None:
    """Refuse terms that would match everywhere whatever the language: too many, one character,
    no letter or digit."""
    if len(terms) + len(words) > MAX_TERMS_PER_RULE:
        raise where.error(f"has {len(terms) + len(words)} terms for {lang}; at most {MAX_TERMS_PER_RULE} per "
                          f"rule and language (split it into several rules)")
    for key, items in (("terms", terms), ("words", words)):
        for term in items:
            if len(term.strip()) < 2:
                raise where.error(f"'{key}.{lang}': {term!r} is a single character; it would match everywhere")
            if not any(ch.isalnum() for ch in term):
                raise where.error(f"'{key}.{lang}': {term!r} has no letter or digit; punctuation alone is not a term")


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
                               f"got {describe(op)}")
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
        hint = schema.did_you_mean(key, [*TEXT_ATTRS, *FLAG_ATTRS, *OTHER_ATTRS])
        raise CustomRulesError(f"{where}: unknown token attribute {key!r}{hint}")
    if key in FLAG_ATTRS:
        if not isinstance(value, bool):
            raise CustomRulesError(f"{where}: {key} must be true or false, got {describe(value)}")
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
            raise CustomRulesError(f"{where}: {key} values must be integers, got {describe(value)}")
        return
    if not isinstance(value, str) or not value:
        raise CustomRulesError(f"{where}: {key} values must be non-empty strings, got {describe(value)}")
    if key in LOWERCASE_ATTRS and value != value.lower():
        raise CustomRulesError(f"{where}: {key} value {value!r} has capitals and can never match "
                               f"(the cheap tier's {key} is lowercase); write {value.lower()!r}")


def check_together(rules: Iterable[CustomRule]) -> None:
    """Refuse what is ambiguous across rules and needs no language model: one code twice, one
    pattern in two rules, too many terms in all (terms claimed twice: :func:`check_terms`)."""
    rules = list(rules)
    codes: dict[str, CustomRule] = {}
    for rule in rules:
        if rule.code in codes:
            raise ConfigError(f"{rule.origin}: rule code {rule.code} is also declared in {codes[rule.code].origin}")
        codes[rule.code] = rule
    total = sum(len(v) for r in rules for v in (*r.terms.values(), *r.words.values()))
    if total > MAX_TERMS_TOTAL:
        raise ConfigError(f"custom rules declare {total} terms in all; at most {MAX_TERMS_TOTAL} "
                          f"(a bigger vocabulary belongs in a checker plugin)")
    for lang in LANGUAGES:
        pattern_owner: dict[str, CustomRule] = {}
        for rule in rules:
            for pattern in rule.patterns.get(lang, ()):
                key = json.dumps(pattern, sort_keys=True)
                if key in pattern_owner and pattern_owner[key].code != rule.code:
                    raise ConfigError(f"{rule.origin}: a {lang} pattern is also a pattern of "
                                      f"{pattern_owner[key].code} ({pattern_owner[key].origin})")
                pattern_owner.setdefault(key, rule)


# --- validation: the terms on the cheap tier (spaCy) ----------------------------------------------

def check_terms(rules: Sequence[CustomRule]) -> None:
    """Refuse terms that are slow or ambiguous on the cheap tier: only stop words, ``terms`` not
    written in base form (their lemma matching would reach other words: "best" has the lemma
    "well"), and one text claimed twice, in one rule or by two."""
    for rule in rules:
        for lang in rule.rule.languages:
            _check_rule_terms(rule.terms.get(lang, ()), rule.words.get(lang, ()), lang, rule.place)
    for lang in LANGUAGES:
        by_lemmas: dict[tuple[str, ...], tuple[CustomRule, str]] = {}
        by_words: dict[tuple[str, ...], tuple[CustomRule, str]] = {}
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


def _check_rule_terms(terms: Sequence[str], words: Sequence[str], lang: str, where: Place) -> None:
    lemma_owner: dict[tuple[str, ...], str] = {}
    word_owner: dict[tuple[str, ...], str] = {}
    for key, items in (("terms", terms), ("words", words)):
        for term in items:
            label = f"'{key}.{lang}': {term!r}"
            analysis = _analyze_term(term, lang)
            if all(analysis.stops):
                raise where.error(f"{label} is only stop words ({lang}); it would match almost every sentence")
            if key == "terms":
                bad = [(word, lemma) for word, lemma, stop in zip(analysis.lowers, analysis.lemmas, analysis.stops)
                       if not stop and word != lemma]
                if bad:
                    raise where.error(
                        f"{label} is not in base form: terms match on lemmas and the lemma of {bad[0][0]!r} is "
                        f"{bad[0][1]!r}, so it would match every form of {' '.join(analysis.lemmas)!r}. Write the "
                        f"base form, or list it under 'words' to match exactly this text")
                if analysis.lemmas in lemma_owner:
                    raise where.error(f"{label} duplicates {lemma_owner[analysis.lemmas]!r}")
                lemma_owner[analysis.lemmas] = term
            else:
                if analysis.lowers in word_owner:
                    raise where.error(f"{label} duplicates {word_owner[analysis.lowers]!r}")
                if analysis.lemmas in lemma_owner:
                    raise where.error(f"{label} is already matched by the term {lemma_owner[analysis.lemmas]!r}; "
                                      f"remove one of them")
                word_owner[analysis.lowers] = term


@dataclass(frozen=True)
class _TermAnalysis:
    lowers: tuple[str, ...]
    lemmas: tuple[str, ...]
    stops: tuple[bool, ...]


@functools.lru_cache(maxsize=4096)
def _analyze_term(term: str, lang: str) -> _TermAnalysis:
    """The lowercase forms, lemmas and stop-word flags of a term's tokens on the cheap tier."""
    from .nlp import cheap_pipeline, normalize_for_nlp  # spaCy: only when the rules' plugin is built

    tokens = [t for t in cheap_pipeline(lang)(normalize_for_nlp(term)) if not t.is_space]
    return _TermAnalysis(tuple(t.lower_ for t in tokens), tuple(t.lemma_ for t in tokens),
                         tuple(t.is_stop for t in tokens))


def _claim(owners: dict[tuple[str, ...], tuple[CustomRule, str]], key: tuple[str, ...], rule: CustomRule,
           term: str, lang: str) -> None:
    other = owners.get(key)
    if other is not None and other[0].code != rule.code:
        _conflict(rule, term, lang, *other)
    owners.setdefault(key, (rule, term))


def _conflict(rule: CustomRule, term: str, lang: str, other: CustomRule, other_term: str) -> None:
    raise ConfigError(f"{rule.origin}: {lang} term {term!r} is also matched by {other.code} "
                      f"({other_term!r}, {other.origin}); one text cannot belong to two rules")


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


# --- the plugin ------------------------------------------------------------------------------

def _matcher(rules: tuple[CustomRule, ...], lang: str) -> TermMatcher | None:
    """The rules' terms for ``lang`` compiled into one matcher (labels are the rule codes); a
    pattern spaCy refuses is a configuration error naming the rule's file and table."""
    from .matching import TermMatcher, TermsError, TermTable  # spaCy

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
    except TermsError as exc:
        message = str(exc)
        for custom in rules:
            prefix = f"custom rules: [{custom.code}] "
            if message.startswith(prefix):
                raise custom.place.error(f"'patterns.{lang}': {message[len(prefix):]}") from None
        raise ConfigError(message) from None


class CustomRulesPlugin:
    """The rules of the config's rule packs, as one plugin object with ordinary hookimpls.

    Building it checks the terms on the cheap tier (:func:`check_terms`) and compiles the
    matchers, so that a bad term or pattern is a :class:`~ethicslint.errors.ConfigError` when
    the host registers the plugin, not a failure on the first document."""

    def __init__(self, rules: Sequence[CustomRule]) -> None:
        self.custom_rules = tuple(rules)
        check_terms(self.custom_rules)
        self._by_code = {custom.code: custom for custom in self.custom_rules}
        self._matchers = {lang: _matcher(self.custom_rules, lang) for lang in LANGUAGES}
        origins = list(dict.fromkeys(c.place.file for c in self.custom_rules))
        self.origin = f"config ({', '.join(origins)})"
        digest = hashlib.sha256(repr([(c.rule, c.terms, c.words, c.patterns, c.messages, c.suggestions,
                                       c.skip_negated, c.skip_quoted) for c in self.custom_rules]).encode())
        self.version = digest.hexdigest()[:10]  # changes with any rule: keys the result cache

    @hookimpl
    def ethicslint_rules(self) -> list[Rule]:
        return [custom.rule for custom in self.custom_rules]

    @hookimpl
    def ethicslint_check_document(self, document: AnalyzedDocument, config: dict[str, Any]) -> list[Finding]:
        findings = []
        for segment in document.segments:
            matcher = self._matchers.get(segment.lang)
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
    """Register the rule packs' plugin on ``host`` like any plugin (:meth:`Host.register`), after
    the other plugins are loaded; nothing when there are no rules or ``custom-rules`` is disabled.

    A code already declared by a loaded plugin is a :class:`~ethicslint.errors.PluginLoadError`
    naming the file and table of the custom rule and the plugin that owns the code; a term or
    pattern refused on the cheap tier is a :class:`~ethicslint.errors.ConfigError`.
    """
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
