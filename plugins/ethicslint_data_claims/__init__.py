"""data-claims: privacy and data-use claims nobody can back, and creepy personalisation (EN + FR).

Rules (``DAT``): 1xx absolute privacy and security promises, 2xx certification and compliance
claims, 3xx personalisation that reveals tracking, 4xx collection without a stated purpose,
5xx consent traded for access or guilt. Terms are data in ``terms/en.toml`` and ``terms/fr.toml``;
the combination logic is in :mod:`ethicslint_data_claims.detect`.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ethicslint import PROMOTIONAL, TRANSACTIONAL, UI_STRINGS, Finding, Option, Rule, Severity, hookimpl

from . import detect

ETHICSLINT_API = "1"
CHECKER = "data-claims"

_GDPR = "GDPR (Regulation (EU) 2016/679)"

RULES: dict[str, Rule] = {r.code: r for r in [
    Rule(
        code="DAT101", name="absolute-data-promise", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags absolute promises about what happens to the reader's data: \"we never share your "
                "data\", \"no data is collected\", \"100% private\", « nous ne partageons jamais vos données ».",
        why="An unconditional promise is almost never true as written: payment processors, hosting, analytics "
            "and support tools all receive personal data, and the law itself can oblige disclosure. GDPR "
            "art. 5(1)(a) asks for fair and transparent processing and art. 12-13 for precise information on "
            "recipients, purposes and retention; the US FTC treats a broken privacy promise as deception "
            "under FTC Act section 5 (BetterHelp, 2023: \"we never sell or rent any information\" while "
            "health data went to ad platforms). The claim needs qualifiers, not an absolute.",
        example="We never share your data. Ever.",
        use_instead="We don't sell your personal data; we share it with the service providers listed in our "
                    "privacy notice, only to run the service.",
        fix="State what you do, with whom and why (name the processors or link the list), and link the "
            "privacy notice. A bounded statement in the same sentence (\"only with\", \"except\", \"listed in "
            "our privacy notice\") is not flagged.",
        references=("GDPR art. 5(1)(a), 12, 13", "FTC Act section 5", "FTC v. BetterHelp (2023)"),
    ),
    Rule(
        code="DAT102", name="absolute-security-claim", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags security promises no one can keep or check: \"100% secure\", \"unhackable\", "
                "\"military-grade encryption\", « inviolable », « paiement 100 % sécurisé ».",
        why="No system is 100% secure, and \"military-grade\" or \"bank-level\" name no standard, so the "
            "reader cannot verify them. GDPR art. 32 asks for security appropriate to the risk, described "
            "honestly; the FTC has pursued unsupported security claims under section 5 (Zoom, 2020: "
            "\"end-to-end, 256-bit encryption\" that was not). A security claim needs the actual measures.",
        example="Military-grade encryption keeps your files 100% secure.",
        use_instead="Files are encrypted in transit (TLS 1.3) and at rest (AES-256); we run an annual "
                    "third-party penetration test.",
        fix="Replace the absolute with the measures you actually take (protocols, key handling, audits) "
            "and, if useful, link your security page.",
        references=("GDPR art. 5(1)(f), 32", "FTC Act section 5", "FTC v. Zoom (2020)"),
    ),
    Rule(
        code="DAT103", name="absolute-anonymity-claim", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags promises of total anonymity: \"completely anonymous\", \"fully anonymised\", "
                "« totalement anonyme », « anonymat garanti ».",
        why="True anonymisation is hard: GDPR recital 26 (with the definition of pseudonymisation in art. 4(5)) "
            "reminds that pseudonymised data is still personal data, and small groups, free-text answers or metadata often re-identify people. The FTC "
            "acted against \"anonymous and aggregate\" browsing data that could be re-identified (Avast, "
            "2024). A reader who trusts \"100% anonymous\" may disclose more than they would otherwise.",
        example="Our staff survey is completely anonymous.",
        use_instead="We remove names and e-mail addresses before results reach your manager, and we only "
                    "show results for teams of five or more.",
        fix="Say what you remove or aggregate, and the limits (minimum group size, who can see raw answers).",
        references=("GDPR recital 26, art. 4(5), 5(1)(a)", "FTC v. Avast (2024)"),
    ),
    Rule(
        code="DAT201", name="unbacked-certification-claim", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags certifications and approvals that do not exist as stated: \"GDPR certified\", "
                "\"CNIL approved\", « certifié RGPD », « validé par la CNIL ».",
        why="There is no general \"GDPR certification\": only certification schemes approved under GDPR "
            "art. 42-43 exist (Europrivacy was approved as a European Data Protection Seal in 2022), and the "
            "CNIL does not approve products or cookie banners. Claiming such a label misleads the reader; "
            "the FTC acted against a \"HIPAA Secure\" seal shown by a company HIPAA did not certify (GoodRx, "
            "2023). Not flagged when the same document names the scheme and gives the certificate "
            "(number, issuer, registry link).",
        example="The GDPR certified CRM for small businesses.",
        use_instead="Our processing is certified under Europrivacy (certificate no. EP-2024-0173, public registry).",
        fix="Name the approved scheme and the certificate (number, body, link), or describe what you do "
            "(DPA, EU hosting, processor list) instead of a label. Add substantiated claims to the "
            "`substantiated-claims` option.",
        references=("GDPR art. 42, 43", "FTC v. GoodRx (2023)", "EDPB Opinion on Europrivacy (2022)"),
    ),
    Rule(
        code="DAT202", name="unbacked-compliance-claim", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags compliance and standard claims given without evidence: \"HIPAA compliant\", "
                "\"ISO 27001 certified\", \"SOC 2 compliant\", « conforme au RGPD », « certifié HDS ».",
        why="\"Compliant\" is a conclusion the reader cannot check, and a certification is only meaningful "
            "with its scope, body and certificate. GDPR art. 5(2) puts the burden of demonstrating compliance "
            "on the controller; under FTC Act section 5 a compliance claim needs a reasonable basis "
            "(GoodRx, 2023). Not flagged when the same paragraph, or another one naming the same standard, "
            "gives the certificate number, the issuing body, or a link to the certificate or trust center.",
        example="HIPAA compliant telehealth, from anywhere.",
        use_instead="Hosted on ISO 27001-certified infrastructure (certificate no. IS 712345, issued by BSI; "
                    "see our trust center).",
        fix="Give the evidence next to the claim (certificate number, issuer, audit report or trust center "
            "link), or list the substantiated claim in `substantiated-claims`.",
        references=("GDPR art. 5(2), 24", "FTC Act section 5", "FTC v. GoodRx (2023)"),
    ),
    Rule(
        code="DAT301", name="creepy-personalisation", checker=CHECKER, severity=Severity.ERROR,
        kinds=(PROMOTIONAL, TRANSACTIONAL, UI_STRINGS),
        summary="Flags copy that shows the reader they were tracked: a specific behaviour, time or place "
                "(\"we noticed you looked at red lipstick yesterday at 14:23\", « on a vu que tu cherchais… », "
                "\"based on your recent location\").",
        why="People do not want to feel watched: a beauty brand's message naming the product, the hour and "
            "the phone a reader used lost 40% of conversions against its generic campaign (the French seed "
            "articles). It also exposes processing the reader may not know about, against the fairness and "
            "transparency of GDPR art. 5(1)(a) and the right to object to marketing profiling (art. 21); "
            "location data needs consent under the ePrivacy Directive (art. 9), and health or pregnancy "
            "inferences touch GDPR art. 9. Error when a time, place or sensitive detail is named; warning "
            "when the copy only says we watched what the reader did.",
        example="Hi Emma, we noticed you looked at red lipstick yesterday at 14:23. Still thinking about it?",
        use_instead="New season lipsticks, including three shades of red. Recommendations come from your "
                    "favourites; change that in your preferences.",
        fix="Personalise without narrating the tracking: drop the time, place and \"we saw\"; explain "
            "recommendations in a preferences page the reader controls. Cart, order and security notices "
            "are not flagged.",
        references=("GDPR art. 5(1)(a), 9, 21", "Directive 2002/58/EC art. 9", "seeds-fr 000 (-40 % conversion)"),
    ),
    Rule(
        code="DAT401", name="collection-without-purpose", checker=CHECKER, severity=Severity.INFO,
        kinds=(PROMOTIONAL,),
        summary="Reports, once per document, a sign-up or lead form (\"Enter your email to get 10% off\", "
                "« Laissez votre numéro ») when the document says nothing of what the data is used for and "
                "links no privacy notice.",
        why="GDPR art. 13 requires telling people, when their data is collected, who collects it, for what "
            "purposes and on what basis, how long it is kept and what their rights are; art. 5(1)(b) limits "
            "use to the stated purposes. In France, e-mail and SMS marketing to individuals needs prior "
            "consent (art. L34-5 CPCE, CNIL guidance on commercial prospecting). A form with no purpose and "
            "no notice leaves the reader unable to consent knowingly.",
        example="Enter your email to get 10% off your first order.",
        use_instead="Enter your email to get 10% off. We'll use it to send the code and our weekly newsletter; "
                    "unsubscribe in one click. See our privacy policy.",
        fix="Next to the form, say what the data is used for (one line is enough) and link the privacy "
            "notice; ask marketing consent separately when the purpose is prospecting.",
        references=("GDPR art. 5(1)(b), 12, 13", "CPCE art. L34-5", "CNIL, prospection commerciale"),
    ),
    Rule(
        code="DAT501", name="consent-for-access", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags consent traded for access or rewards: \"Accept all cookies to continue\", \"accept "
                "marketing cookies to unlock your discount\", \"by continuing to browse you agree\", "
                "« en poursuivant votre navigation, vous acceptez ».",
        why="Consent must be freely given and given by a clear affirmative act (GDPR art. 4(11), 7(4)): "
            "making access or a reward conditional on tracking puts that in doubt, and continuing to browse "
            "or scrolling is not consent (EDPB Guidelines 05/2020 on consent; CNIL recommendation on cookies, "
            "2020, which also asks that refusing be as easy as accepting). EDPB Guidelines 03/2022 list such "
            "designs among deceptive patterns.",
        example="Accept all cookies to continue reading.",
        use_instead="We'd like to measure audience and show relevant ads. Accept all | Refuse all | Customise "
                    "- refusing does not change what you can read.",
        fix="Offer accept and refuse with equal weight, keep the content and the reward available either "
            "way (or say plainly what the paid alternative is), and ask for an explicit click.",
        references=("GDPR art. 4(11), 7(4)", "EDPB Guidelines 05/2020 and 03/2022", "CNIL cookies recommendation (2020)"),
    ),
    Rule(
        code="DAT502", name="consent-guilt", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags guilt attached to refusing data use: \"No thanks, I prefer irrelevant ads\", "
                "« Refuser, c'est nous empêcher de vous aider ».",
        why="Shaming the refusal (confirmshaming) pressures the reader into consent that is not freely "
            "given (GDPR art. 4(11), 7); EDPB Guidelines 03/2022 on deceptive design patterns and the CNIL's "
            "LINC report « La forme des choix » (2019) describe it, and the FTC staff report \"Bringing Dark "
            "Patterns to Light\" (2022) counts it among dark patterns.",
        example="Refuse and miss out on offers made just for you.",
        use_instead="Refuse | Accept. You can change your choice at any time in Privacy settings.",
        fix="Word the refusal neutrally (\"Refuse\", « Non merci », « Tout refuser ») and state the "
            "consequences factually, without blame.",
        references=("GDPR art. 4(11), 7", "EDPB Guidelines 03/2022", "CNIL LINC « La forme des choix » (2019)"),
    ),
]}


_MESSAGES = {
    "DAT101": "Absolute promise about the reader's data ({detail!r}): it needs qualifiers. State what you do, "
              "with whom and why, and link the privacy notice.",
    "DAT102": "Absolute security claim ({detail!r}) that no one can verify: name the actual measures "
              "(encryption, audits) instead.",
    "DAT103": "Absolute anonymity claim ({detail!r}): say what you remove or aggregate and its limits; "
              "pseudonymised data is still personal data.",
    "DAT201": "Certification or approval that does not exist as stated ({detail!r}): name the approved "
              "scheme and certificate (number, body, link) or drop the label.",
    "DAT202": "Compliance claim without evidence ({detail!r}): give the certificate number, issuer or a "
              "link to the audit or trust center next to it.",
    "DAT301": "Personalisation that {detail}: people feel watched (-40 % conversion in one campaign). "
              "Personalise without naming the tracking.",
    "DAT401": "Form asks for personal data ({detail!r}) but the document says nothing of what it is used "
              "for and links no privacy notice: add one line on the purpose and a privacy link.",
    "DAT501": "Consent traded for access or a reward ({detail!r}): consent must be free; offer refuse "
              "with equal weight and keep access either way.",
    "DAT502": "Guilt attached to refusing ({detail!r}): word the refusal neutrally and state "
              "consequences factually.",
}


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES.values())


@hookimpl
def ethicslint_options() -> list[Option]:
    return [
        Option("extra-terms", "terms", {},
               "More terms per label, e.g. {DAT102 = {phrases = [\"quantum-proof\"]}}; per language with "
               "{en = {...}, fr = {...}}. Labels are the entries of terms/en.toml and terms/fr.toml."),
        Option("brand", "list[str]", [],
               "Brand names that speak as \"we\" (\"Acme never shares your data\" is a claim about us)."),
        Option("substantiated-claims", "list[str]", [],
               "Certification/compliance claims you can back, e.g. [\"ISO 27001\", \"HDS\"]: a DAT2xx claim "
               "containing one of these strings (case-insensitive) is not reported."),
        Option("privacy-pages", "list[str]",
               ["**/privacy*", "**/confidentialite*", "**/politique-de-confidentialite*",
                "**/privacy/**", "**/confidentialite/**"],
               "Globs of privacy policies and notices: they state data practices by design and are not checked."),
    ]


def is_privacy_page(path: str, globs: list[str]) -> bool:
    normalized = "/" + path.replace("\\", "/").lstrip("./")
    return any(fnmatch.fnmatch(normalized, g if g.startswith("/") or g.startswith("*") else "*/" + g)
               for g in globs)


@hookimpl
def ethicslint_check_document(document, config: dict[str, Any]) -> list[Finding]:  # type: ignore[no-untyped-def]
    if is_privacy_page(document.path, list(config.get("privacy-pages") or [])):
        return []
    allowed = [a.lower() for a in config.get("substantiated-claims") or [] if isinstance(a, str) and a.strip()]
    findings: list[Finding] = []
    matchers: dict[str, Any] = {}  # per language: the configured matcher (one lookup per document)

    def matcher_of(segment: Any) -> Any:
        matcher = matchers.get(segment.lang)
        if matcher is None:
            matcher = matchers[segment.lang] = detect.matcher_for_config(segment.lang, config)
        return matcher

    # Document-level facts, computed lazily per segment and only when a candidate asks for them:
    # "has an evidence term" / "says a purpose or names the notice" is whether the segment's matches
    # hold that label, whatever its other terms (see detect.segment_has).
    evidence: dict[int, bool] = {}

    def has_evidence_terms(segment: Any) -> bool:
        if id(segment) not in evidence:
            evidence[id(segment)] = detect.segment_has(segment, matcher_of(segment), detect.EVIDENCE_LABELS)
        return evidence[id(segment)]

    def says_purpose(segment: Any) -> bool:
        return detect.segment_has(segment, matcher_of(segment), detect.PURPOSE_LABELS)

    prompts: list[tuple[Any, detect.Hit]] = []
    form: bool | None = None  # whether the document is a lead form: decided once, when a prompt may matter
    for segment in document.segments:
        matcher = matcher_of(segment)
        # Safe skip: every detector below needs its trigger terms in the segment (detect.may_report);
        # a skipped segment still counts for the document-level checks, which look at it lazily.
        if not detect.may_report(segment, matcher):
            continue
        sents = detect.sentences_with_hits(segment, matcher)
        if not sents:
            continue
        lang = segment.lang
        hits = detect.absolute_promises(document, segment, sents, lang)
        hits += detect.absolute_security(segment, sents, lang)
        for hit, standard in detect.compliance_claims(segment, sents, lang):
            text = hit.detail.lower()
            if any(a in text for a in allowed):
                continue
            if detect.has_evidence(document, segment, has_evidence_terms, standard):
                continue
            hits.append(hit)
        hits += detect.creepy_personalisation(segment, sents, lang)
        hits += detect.consent_patterns(segment, sents, lang)
        for hit in hits:
            findings.append(_finding(document, segment, hit))
        if form is None:  # a lead form: a sign-up or an incentive ("subscribe", "download the guide",
            # « inscrivez-vous ») with form markup, or a sign-up with a field label next to it (drawn as text)
            signups = [detect.segment_has(s, matcher_of(s), detect.SIGNUP_LABELS) for s in document.segments]
            form = any(signups) and detect.label_next_to_signup(
                document, signups, lambda s: detect.segment_has(s, matcher_of(s), detect.FIELD_LABELS))
            form = form or detect.has_form(document) and (any(signups) or any(
                detect.segment_has(s, matcher_of(s), detect.REWARD_LABELS) for s in document.segments))
        prompts += [(segment, p) for p in detect.collection_prompts(segment, sents, lang, form)]

    if prompts and not detect.says_purpose_or_links_notice(document, says_purpose):
        segment, hit = prompts[0]
        findings.append(_finding(document, segment, hit))
    return findings


def _finding(document, segment, hit: detect.Hit) -> Finding:  # type: ignore[no-untyped-def]
    rule = RULES[hit.code]
    detail = hit.detail if hit.code == "DAT301" else _short(hit.detail)  # DAT301: an explanation, not a quote
    message = _MESSAGES[hit.code].format(detail=detail)
    severity = Severity.parse(hit.severity) if hit.severity else None
    return document.finding(rule, segment, hit.start, hit.end, message, severity=severity,
                            suggestion=hit.suggestion)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
