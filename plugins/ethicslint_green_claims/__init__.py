"""green-claims: greenwashing and unsubstantiated health, efficacy and superiority claims (EN + FR).

Rules (``GRN``): 1xx generic environmental claims, 2xx neutrality resting on offsets, 3xx labels the
brand made itself, 4xx legal requirements sold as a feature, 5xx future environmental promises,
6xx health, efficacy, superiority and naturalness claims with no source. Terms are data in
``terms/en.toml`` and ``terms/fr.toml``; the logic (a claim, then the context that clears it) is
in :mod:`ethicslint_green_claims.detect`.
"""

from __future__ import annotations

from typing import Any

from ethicslint import PROMOTIONAL, UI_STRINGS, Finding, Option, Rule, Severity, hookimpl

from . import detect

ETHICSLINT_API = "1"
CHECKER = "green-claims"

# Consumer-facing selling copy: not an article about greenwashing, a legal page or an order e-mail.
KINDS = (PROMOTIONAL, UI_STRINGS)
_DIRECTIVE = "Directive (EU) 2024/825 amending the UCPD (2005/29/EC), applicable from 27 September 2026"

RULES: dict[str, Rule] = {r.code: r for r in [
    Rule(
        code="GRN101", name="generic-environmental-claim", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags generic environmental claims about a product, service or brand: \"eco-friendly\", "
                "\"green\", \"kind to the planet\", \"sustainable\", « écologique », « respectueux de "
                "l'environnement », « éco-responsable », « biodégradable ».",
        why="Since 27 September 2026, UCPD Annex I point 4a (added by Directive (EU) 2024/825) bans in all "
            "circumstances a generic environmental claim for which the trader cannot show recognised "
            "excellent environmental performance: the words promise a benefit the reader cannot check. In "
            "France, Code de l'environnement L541-9-1 (AGEC law) already forbids « biodégradable » and "
            "« respectueux de l'environnement » on products and packaging, whatever label backs them. A "
            "specific claim, or a named official ecolabel with its licence, is not generic.",
        example="Meet Hazel, the eco-friendly sneaker for long city walks.",
        use_instead="Meet Hazel: upper in 60 % recycled polyester (GRS certificate 21-0456), resoled in our "
                    "workshop for free for five years.",
        fix="Say what is better, by how much and how you know it (a figure, a certificate, a named official "
            "ecolabel with its licence number), or drop the word. Phrases you may keep go in `allow`; "
            "claims you can back, in `substantiated-claims`.",
        references=("UCPD Annex I point 4a (Directive (EU) 2024/825)", "Code de l'environnement L541-9-1",
                    "UCPD art. 6(1)", "Code de la consommation L121-2"),
    ),
    Rule(
        code="GRN102", name="whole-product-from-one-aspect", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags a claim that a whole product or brand is green when the only support the copy gives "
                "concerns one part or aspect of it (the bottle, the cap, the box, one ingredient, delivery).",
        why="UCPD Annex I point 4b (Directive (EU) 2024/825) bans an environmental claim about the entire "
            "product or the trader's whole business when it concerns only one aspect of it: a recycled "
            "bottle says nothing of the shampoo. It is also a misleading action under UCPD art. 6(1) and "
            "Code de la consommation L121-2.",
        example="Finally, a sustainable shampoo: its bottle is now 30 % recycled plastic.",
        use_instead="Our shampoo bottle is now made of 30 % recycled plastic; the formula and the cap are "
                    "unchanged.",
        fix="Make the claim about the part it concerns (\"the bottle is 30 % recycled plastic\") and drop the "
            "word that stretches it to the whole product or brand.",
        references=("UCPD Annex I point 4b (Directive (EU) 2024/825)", "UCPD art. 6(1)",
                    "Code de la consommation L121-2"),
    ),
    Rule(
        code="GRN201", name="offset-neutrality-claim", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags claims that a product, service or delivery has a neutral, reduced, compensated or "
                "positive climate impact: \"carbon neutral\", \"climate positive\", \"100 % offset\", « neutre en "
                "carbone », « compensé à 100 % ».",
        why="UCPD Annex I point 4c (Directive (EU) 2024/825) bans claiming, on the basis of greenhouse-gas "
            "offsetting, that a product has a neutral, reduced or positive impact on the environment: "
            "offsets do not remove the product's own emissions. In France, Code de l'environnement L229-68 "
            "(with décret 2022-539) already allowed « neutre en carbone » only with a published emissions "
            "report, a reduction path and disclosed offsetting. A claim that names no basis at all is just "
            "as unverifiable.",
        example="Carbon-neutral delivery on every order.",
        use_instead="Deliveries in Paris are made by cargo bike; outside Paris, 212 g CO2e per parcel in 2025 "
                    "(our method and figures: example.com/delivery-footprint).",
        fix="State the emissions you cut and how they are measured; describe any offsetting you fund as a "
            "contribution, separately, never as making the product neutral.",
        references=("UCPD Annex I point 4c (Directive (EU) 2024/825)", "Code de l'environnement L229-68",
                    "Décret n° 2022-539", "UCPD art. 6(1)"),
    ),
    Rule(
        code="GRN301", name="self-made-sustainability-label", checker=CHECKER, severity=Severity.WARNING,
        kinds=KINDS,
        summary="Flags sustainability labels, badges, seals or certifications the brand made itself: \"our "
                "Green Choice badge\", \"certified sustainable by our in-house team\", « notre label maison ».",
        why="UCPD Annex I point 2a (Directive (EU) 2024/825) bans displaying a sustainability label that is "
            "not based on a certification scheme or established by public authorities. A badge the brand "
            "awards itself looks like independent verification and is not; UCPD Annex I points 2 and 4 "
            "already banned trust marks and approvals without authorisation.",
        example="Look for our Green Choice badge: it marks products that meet our own sustainability criteria.",
        use_instead="Products marked with the EU Ecolabel (licence FR/020/045) meet the EU's published "
                    "criteria; we list the licence number on each product page.",
        fix="Use only labels of a certification scheme with third-party verification or of a public "
            "authority, named precisely with the licence or certificate number; describe your own selection "
            "criteria as criteria, not as a label.",
        references=("UCPD Annex I point 2a (Directive (EU) 2024/825)", "UCPD Annex I points 2 and 4",
                    "Code de la consommation L121-4"),
    ),
    Rule(
        code="GRN401", name="legal-requirement-as-feature", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags legal requirements presented as a distinctive feature: \"BPA-free baby bottle\", "
                "\"CFC-free\", \"phosphate-free detergent\", \"CE marked\", « sans bisphénol A », « sans phosphates ».",
        why="UCPD Annex I point 10a (Directive (EU) 2024/825) bans presenting requirements imposed by law on "
            "all products of the category as a distinctive feature of the trader's offer (point 10 already "
            "banned it for consumer rights). Bisphenol A in baby bottles and food-contact materials, CFCs, "
            "phosphates in consumer detergents, microbeads in rinse-off cosmetics, mercury in batteries and "
            "asbestos are banned or restricted in the EU; CE marking is mandatory.",
        example="BPA-free baby bottles for total peace of mind.",
        use_instead="Glass baby bottle, 240 ml, anti-colic valve. (Like every baby bottle sold in the EU, it "
                    "contains no bisphenol A.)",
        fix="Drop the claim, or state it as what it is: a requirement every product of the category meets.",
        references=("UCPD Annex I point 10a (Directive (EU) 2024/825)", "UCPD Annex I point 10",
                    "Regulation (EU) 2024/3190 (bisphenols)", "Regulation (EU) No 259/2012 (phosphates)"),
    ),
    Rule(
        code="GRN501", name="future-environmental-promise", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags future environmental performance claims with no verifiable plan in the passage: "
                "\"net zero by 2040\", \"carbon neutral by 2030\", « zéro plastique en 2026 ».",
        why="UCPD art. 6(2)(d), added by Directive (EU) 2024/825, makes a future environmental performance "
            "claim misleading unless it comes with clear, objective, publicly available and verifiable "
            "commitments in a detailed, realistic implementation plan with measurable, time-bound targets, "
            "regularly verified by an independent expert. An announcement or a pledge is not such a plan.",
        example="Net zero by 2040. That's our promise to the planet.",
        use_instead="Our net-zero 2040 target is validated by the SBTi; interim target -46 % by 2030 against "
                    "2019, progress audited yearly in our published report.",
        fix="Put the plan next to the claim: interim targets, the baseline, who verifies progress, and a "
            "link to the published plan; or drop the promise.",
        references=("UCPD art. 6(2)(d) (Directive (EU) 2024/825)", "UCPD art. 6(1)",
                    "Code de la consommation L121-2"),
    ),
    Rule(
        code="GRN601", name="unsubstantiated-health-or-efficacy-claim", checker=CHECKER, severity=Severity.WARNING,
        kinds=KINDS,
        summary="Flags health and efficacy claims with no source, study, sample or footnote near them: "
                "\"clinically proven\", \"dermatologically tested\", \"boosts your immune system\", "
                "\"detoxifies\", « cliniquement prouvé », « recommandé par les dermatologues ».",
        why="A factual claim must be backed before it is published: UCPD art. 6(1)(b) and art. 12 (the trader "
            "may have to prove it), Code de la consommation L121-2, UK CAP Code rule 3.7, and the US FTC's "
            "\"reasonable basis\" doctrine (Health Products Compliance Guidance, 2022). \"Dermatologically "
            "tested\" sold as a special merit suggests others are not. Health claims on food are further "
            "limited by Regulation (EC) No 1924/2006.",
        example="Clinically proven to reduce fine lines in 4 weeks.",
        use_instead="Fine lines looked less deep after 4 weeks for 21 of 34 volunteers (independent clinical "
                    "study, 2025).",
        fix="Give the study next to the claim (who ran it, sample size, date), or a footnote the reader sees; "
            "otherwise describe the product without the claim.",
        references=("UCPD art. 6(1)(b), art. 12", "Code de la consommation L121-2", "CAP Code rule 3.7",
                    "FTC Health Products Compliance Guidance (2022)", "Regulation (EC) No 1924/2006"),
    ),
    Rule(
        code="GRN602", name="unsubstantiated-superiority-claim", checker=CHECKER, severity=Severity.WARNING,
        kinds=KINDS,
        summary="Flags superiority or ranking claims with no source: \"the #1 …\", \"best-selling\", \"9 out "
                "of 10 customers\", \"the best on the market\", « n° 1 en France », « le meilleur du marché ».",
        why="A ranking or a share of satisfied customers is a factual claim the trader must be able to prove "
            "(UCPD art. 6(1)(b) and art. 12; Code de la consommation L121-2; UK CAP Code rule 3.7; FTC "
            "\"reasonable basis\"). Without the source, period and sample next to it the reader cannot "
            "check it.",
        example="The #1 mattress in Britain.",
        use_instead="UK's best-selling mattress brand by value (Kantar panel, 52 weeks to 28/12/2025).",
        fix="Name the source, the period and the sample next to the claim, or replace the ranking with the "
            "fact behind it.",
        references=("UCPD art. 6(1)(b), art. 12", "Code de la consommation L121-2", "CAP Code rule 3.7",
                    "FTC Act section 5 (reasonable basis)"),
    ),
    Rule(
        code="GRN603", name="absolute-natural-claim", checker=CHECKER, severity=Severity.WARNING, kinds=KINDS,
        summary="Flags absolute purity and naturalness claims: \"100 % natural\", \"all natural\", "
                "\"chemical-free\", \"non-toxic\", « 100 % naturel », « sans produits chimiques ».",
        why="Everything is made of chemicals, and almost no product is 100 % natural once processed and "
            "preserved: an absolute claim is misleading unless it is literally true and provable (UCPD "
            "art. 6(1) and art. 12, Code de la consommation L121-2, CAP Code rule 3.7). \"Non-toxic\" as a "
            "blanket claim promises safety at any dose.",
        example="100% natural deodorant that actually works.",
        use_instead="Deodorant with 98 % ingredients of natural origin (calculated under ISO 16128), "
                    "aluminium salts free.",
        fix="Give the share of natural-origin ingredients and the standard used to compute it, or name the "
            "substance you left out instead of \"chemicals\".",
        references=("UCPD art. 6(1), art. 12", "Code de la consommation L121-2", "CAP Code rule 3.7",
                    "ISO 16128"),
    ),
]}

_MESSAGES = {
    "en": {
        "GRN101": "Generic environmental claim ({text}): say what is better, by how much and how you know it, "
                  "or name the official ecolabel and its licence.",
        "GRN102": "Claim about the whole product ({text}) that the copy backs with one part or aspect only: "
                  "make the claim about that part.",
        "GRN201": "Neutral or positive climate impact claim ({text}): banned when it rests on offsetting; state "
                  "the emissions you cut and how they are measured.",
        "GRN301": "Sustainability label made by the brand itself ({text}): use a certification scheme or an "
                  "official label, named with its licence.",
        "GRN401": "Legal requirement presented as a feature ({text}): every product of the category must meet "
                  "it.",
        "GRN501": "Future environmental promise ({text}) with no verifiable plan next to it: give interim "
                  "targets, independent monitoring and a link to the plan.",
        "GRN601": "Health or efficacy claim ({text}) with no source near it: give the study (who, sample, date).",
        "GRN602": "Superiority or ranking claim ({text}) with no source: name the source, period and sample.",
        "GRN603": "Absolute natural or purity claim ({text}): give the share of natural-origin ingredients and "
                  "how it is computed.",
    },
    "fr": {
        "GRN101": "Allégation environnementale générique ({text}) : dites ce qui est mieux, de combien et comment "
                  "vous le savez, ou nommez l'écolabel officiel et sa licence.",
        "GRN102": "Allégation sur tout le produit ({text}) appuyée sur un seul élément : portez-la sur cet élément.",
        "GRN201": "Allégation de neutralité ou d'impact positif ({text}) : interdite si elle repose sur la "
                  "compensation ; donnez les émissions réduites et leur mesure.",
        "GRN301": "Label de développement durable créé par la marque ({text}) : utilisez un système de "
                  "certification ou un label officiel, avec sa licence.",
        "GRN401": "Obligation légale présentée comme un atout ({text}) : tous les produits de la catégorie la "
                  "respectent.",
        "GRN501": "Engagement environnemental futur ({text}) sans plan vérifiable à côté : jalons, suivi "
                  "indépendant, lien vers le plan.",
        "GRN601": "Allégation de santé ou d'efficacité ({text}) sans source : citez l'étude (qui, échantillon, "
                  "date).",
        "GRN602": "Allégation de supériorité ou de classement ({text}) sans source : citez la source, la période "
                  "et l'échantillon.",
        "GRN603": "Allégation absolue de naturalité ({text}) : donnez la part d'ingrédients d'origine naturelle et "
                  "son mode de calcul.",
    },
}


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES.values())


@hookimpl
def ethicslint_options() -> list[Option]:
    return [
        Option("extra-terms", "terms", {},
               "More terms per label, e.g. {GRN101 = {phrases = [\"earth-smart\"]}}; per language with "
               "{en = {...}, fr = {...}}. Labels are the entries of terms/en.toml and terms/fr.toml."),
        Option("allow", "list[str]", [],
               "Phrases never reported, e.g. [\"Green Choice\"] for a product line named so: a claim whose "
               "matched words overlap one of them (case-insensitive) is not reported."),
        Option("substantiated-claims", "list[str]", [],
               "Claims you can back, e.g. [\"carbon neutral delivery\"]: a claim in a sentence containing one "
               "of these strings (case-insensitive) is not reported."),
    ]


@hookimpl
def ethicslint_check_document(document, config: dict[str, Any]) -> list[Finding]:  # type: ignore[no-untyped-def]
    allowed = _strings(config.get("allow"))
    backed = _strings(config.get("substantiated-claims"))
    matchers: dict[str, Any] = {}

    def matcher_of(segment: Any) -> Any:
        if segment.lang not in matchers:
            matchers[segment.lang] = detect.matcher_for_config(segment.lang, config)
        return matchers[segment.lang]

    facts = detect.DocumentFacts(document, matcher_of)
    findings: list[Finding] = []
    for segment in document.segments:
        if segment.copy_kind not in KINDS:
            continue  # the host drops these findings anyway: do not look for them
        matcher = matcher_of(segment)
        if not detect.may_report(segment, matcher):
            continue
        sents = detect.sentences_with_hits(segment, matcher)
        for hit in detect.claims(document, segment, sents, segment.lang, facts):
            if _waived(segment.text, hit, allowed, backed):
                continue
            message = _MESSAGES.get(segment.lang, _MESSAGES["en"])[hit.code].format(text=_quote(hit.text,
                                                                                                  segment.lang))
            findings.append(document.finding(RULES[hit.code], segment, hit.start, hit.end, message))
    return findings


def _strings(value: object) -> list[str]:
    return [v.lower() for v in value or [] if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _waived(text: str, hit: detect.Hit, allowed: list[str], backed: list[str]) -> bool:
    """The user's `allow` phrases overlapping the claim, or `substantiated-claims` in its sentence."""
    lower = text.lower()
    for phrase in allowed:
        start = lower.find(phrase)
        while start >= 0:
            if start < hit.end and hit.start < start + len(phrase):
                return True
            start = lower.find(phrase, start + 1)
    if backed:
        lo = max(lower.rfind(stop, 0, hit.start) for stop in (".", "!", "?", "\n")) + 1
        ends = [i for i in (lower.find(stop, hit.end) for stop in (".", "!", "?", "\n")) if i >= 0]
        sentence = lower[lo:min(ends) if ends else len(lower)]
        return any(claim in sentence for claim in backed)
    return False


def _quote(text: str, lang: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"« {text} »" if lang == "fr" else repr(text)
