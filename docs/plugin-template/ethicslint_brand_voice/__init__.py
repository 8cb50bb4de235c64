"""brand-voice: an ethicslint checker for a brand's house voice, in English and French.

Rules (``BRV``): 1xx claims the brand does not make (unbacked superlatives), 2xx words the style
guide replaces (jargon, anglicisms). The words are data in ``terms/en.toml`` and ``terms/fr.toml``;
this module only decides what a match means.

This is ethicslint's plugin template: it imports only ethicslint's public API (the names of
``ethicslint.__all__``), so it keeps working across ethicslint releases of the same plugin API
major version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ethicslint import Finding, Option, Rule, Severity, hookimpl, in_quotation, is_negated, matcher_for

__version__ = "0.1.0"
ETHICSLINT_API = "1"  # the plugin API major version this plugin was written for
CHECKER = "brand-voice"
TERMS = Path(__file__).parent / "terms"

SUPERLATIVE = Rule(
    code="BRV101", name="unbacked-superlative", checker=CHECKER, severity=Severity.WARNING,
    summary="Flags superlatives that claim a comparison nobody can check: \"the best\", \"number one\", "
            "\"unbeatable\", « le meilleur », « imbattable ».",
    why="A superlative is a factual claim about every competitor. In the EU a commercial practice is "
        "misleading when it deceives about the main characteristics of a product (Directive 2005/29/EC, "
        "art. 6(1)(b)), and the trader must be able to prove the accuracy of factual claims (art. 12); in "
        "France, Code de la consommation art. L121-2. In the US the FTC expects a reasonable basis for "
        "objective claims before they run. Our brand voice goes further than the law: we state facts, "
        "not rankings.",
    example="The best coffee in town, at unbeatable prices.",
    use_instead="Coffee roasted every morning in our shop, €2.50 a cup.",
    fix="Replace the ranking with the fact behind it: a measure, a test, an award with its source. "
        "Negated (\"we are not the cheapest\") and quoted uses are not flagged.",
    references=("Directive 2005/29/EC (unfair commercial practices), art. 6(1)(b) and 12",
                "Code de la consommation, art. L121-2",
                "FTC Policy Statement Regarding Advertising Substantiation (1984)"),
)
HOUSE_TERM = Rule(
    code="BRV201", name="house-term", checker=CHECKER, severity=Severity.INFO,
    summary="Flags jargon and anglicisms the style guide replaces with a plain word, and suggests it: "
            "\"utilize\" → \"use\", « deadline » → « date limite ».",
    why="Plain words are understood by more readers, faster, and jargon makes an offer harder to compare. "
        "In French copy the choice is not only style: the loi Toubon (loi n° 94-665 du 4 août 1994, art. 2) "
        "makes French mandatory in written and spoken advertising, so an English term needs a French "
        "equivalent.",
    example="Utilize our app to plan your week.",
    use_instead="Use our app to plan your week.",
    fix="Write the suggested word. Terms your brand accepts go in the `allow` option of "
        "`[tool.ethicslint.brand-voice]`.",
    references=("Loi n° 94-665 du 4 août 1994 relative à l'emploi de la langue française, art. 2",),
)
RULES = {rule.code: rule for rule in (SUPERLATIVE, HOUSE_TERM)}

MESSAGES = {
    "BRV101": {"en": "'{text}' is a superlative nobody can check: state the fact behind it",
               "fr": "« {text} » est un superlatif invérifiable : donnez le fait qui le justifie"},
    "BRV201": {"en": "house style: write '{replace}' instead of '{text}'",
               "fr": "charte éditoriale : écrivez « {replace} » plutôt que « {text} »"},
}


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES.values())


@hookimpl
def ethicslint_options() -> list[Option]:
    return [Option("allow", "list[str]", [],
                   "Terms of the lists your brand accepts, e.g. [\"newsletter\"] (base form, lowercase).")]


@hookimpl
def ethicslint_check_document(document, config: dict[str, Any]) -> list[Finding]:  # type: ignore[no-untyped-def]
    allowed = {term.lower() for term in config.get("allow", [])}
    findings = []
    for segment in document.segments:
        matcher = matcher_for(TERMS, segment.lang)
        taken: list[tuple[int, int]] = []
        for match in matcher(segment.doc):
            span = match.span
            if any(start < span.end_char and span.start_char < end for start, end in taken):
                continue  # the longest match at the first position wins
            code, _, variant = match.label.partition("/")
            text = span.text
            lemma = " ".join(token.lemma_ for token in span)
            if {text.lower(), lemma, variant} & allowed:
                continue
            if code == "BRV101" and (is_negated(span, segment.lang)
                                     or in_quotation(segment, span.start_char, span.end_char)):
                continue
            taken.append((span.start_char, span.end_char))
            replace = matcher.table.data.get(match.label, {}).get("replace", "")
            message = MESSAGES[code][segment.lang].format(text=text, replace=replace)
            # Suggest a replacement only for the base form: "utilized" -> "use" would be wrong.
            suggestion = replace if replace and text.lower() == variant else None
            findings.append(document.finding_for_span(RULES[code], segment, span, message,
                                                      suggestion=suggestion))
    return findings
