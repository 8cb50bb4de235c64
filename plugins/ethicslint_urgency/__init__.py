"""ethicslint checker ``urgency``: false urgency, false scarcity and pressure, in English and French.

Rules: URG1xx time pressure (vague deadlines, countdowns, rush commands), URG2xx scarcity (low
stock, high demand), URG3xx activity notifications, URG4xx confirmshaming, URG5xx stacked
pressure. The terms are data in ``terms/en.toml`` and ``terms/fr.toml``; the detection stages
are in :mod:`ethicslint_urgency.detect`.
"""

from __future__ import annotations

from typing import Any

from ethicslint import PROMOTIONAL, TRANSACTIONAL, UI_STRINGS, Finding, Option, Rule, Severity, hookimpl

SALES = (PROMOTIONAL, UI_STRINGS)  # a deadline or timer sells: account messages and articles state facts
PRESSURE = (PROMOTIONAL, UI_STRINGS, TRANSACTIONAL)  # pressure may ride on an account e-mail too

from . import detect, lexicon

ETHICSLINT_API = "1"
__version__ = "0.1.0"

CHECKER = "urgency"

_UCPD_7 = "Directive 2005/29/EC (Unfair Commercial Practices Directive), Annex I point 7"
_UCPD_18 = "Directive 2005/29/EC (Unfair Commercial Practices Directive), Annex I point 18"
_UCPD_AGGR = "Directive 2005/29/EC (Unfair Commercial Practices Directive), articles 8-9 (aggressive practices)"
_GUIDANCE = "European Commission Notice 2021/C 526/01, guidance on the UCPD: data-driven practices and dark patterns"
_FTC = "FTC staff report 'Bringing Dark Patterns to Light' (September 2022)"
_CMA = "CMA open letter 'Urgency and price reduction claims' (29 March 2023); UK DMCC Act 2024, Schedule 20"
_MATHUR = "Mathur et al., 'Dark Patterns at Scale', Proc. ACM HCI 3 (CSCW), 2019"
_FR_MISLEADING = "Code de la consommation, L121-2 2° a (availability) and L121-4 7° (false 'very limited period')"
_FR_AGGR = "Code de la consommation, L121-6 and L121-7 (aggressive practices)"
_DSA = "Regulation (EU) 2022/2065 (Digital Services Act), article 25"

VAGUE_DEADLINE = Rule(
    code="URG101", name="vague-deadline", checker=CHECKER, severity=Severity.WARNING,
    kinds=SALES,
    summary="Flags time limits with no date a reader could check: 'offer ends tonight', 'today only', "
            "'last chance', evergreen 'limited-time' offers, « dernière chance », « jusqu'à minuit seulement ».",
    why="A deadline without a date cannot be checked, and copy that says 'ends tonight' every night is "
        "simply false. Falsely stating that a product, or its terms, will only be available for a very "
        "limited time so as to obtain an immediate decision is on the list of practices the EU bans in all "
        "circumstances (UCPD Annex I point 7). French law lists it among misleading practices "
        "(Code de la consommation L121-4 7°), the UK among its banned practices (DMCC Act 2024, Schedule 20), "
        "and both the Commission's UCPD guidance and the FTC's 2022 dark-patterns report name fake time "
        "limits. A real deadline is fine: it only needs its date, so the claim can be verified.",
    example="Hurry, this offer ends tonight!\nDernière chance : plus que quelques heures pour en profiter !",
    use_instead="Spring sale from 1 to 15 April 2027; prices return to €49 on 16 April.\n"
                "Offre valable jusqu'au 31 décembre 2026 à 23 h 59.",
    fix="Give the real end date (with the time and time zone when it matters), or drop the time limit. "
        "An offer that does not end should not say anything about time.",
    references=(_UCPD_7, _FR_MISLEADING, _CMA, _GUIDANCE, _FTC),
)

COUNTDOWN = Rule(
    code="URG102", name="countdown-timer", checker=CHECKER, severity=Severity.WARNING,
    kinds=SALES,
    summary="Flags countdowns to an end that is not stated: 'Offer ends in 02:14:37', '45 minutes left to "
            "get free shipping', « Plus que 14 minutes », « Fin de l'offre dans 3 h 12 min ».",
    why="A timer makes the reader decide before it reaches zero, yet nothing tells them the offer really "
        "ends then; Mathur et al. (2019) found many shopping-site timers that simply reset. A timer that "
        "does not mark a real end is a false 'very limited time' claim (UCPD Annex I point 7; Code de la "
        "consommation L121-4 7°), and the Commission's UCPD guidance and the FTC's 2022 report both single "
        "out countdown timers that do not reflect a real deadline.",
    example="Flash deal — ends in 1 day 04:22:10\nL'offre se termine dans 02:14:37",
    use_instead="Flash deal: ends Sunday 14 June 2026 at 23:59 (Paris time).\n"
                "Vente flash jusqu'au dimanche 14 juin 2026 à 23 h 59.",
    fix="Put the end date and time next to the timer, make the offer really end when the timer reaches "
        "zero, and never restart the timer for the same offer.",
    references=(_UCPD_7, _FR_MISLEADING, _GUIDANCE, _FTC, _MATHUR),
)

RUSH = Rule(
    code="URG103", name="rush-command", checker=CHECKER, severity=Severity.WARNING,
    kinds=SALES,
    summary="Flags orders to act at once that carry no fact: 'Hurry!', 'Act now before it's gone', "
            "'Don't miss out', « Vite ! », « Dépêchez-vous », « Ne tardez pas ».",
    why="A rush command adds pressure without adding anything the reader could weigh. Alone it is a "
        "nudge; next to an unverifiable deadline or stock claim it is part of the undue pressure the UCPD "
        "treats as an aggressive practice (articles 8-9) and French law as well (Code de la consommation "
        "L121-6 and L121-7, insistent solicitation). Copy that respects the reader says what happens and "
        "when, and leaves the timing to them.",
    example="Hurry! Act now before it's gone.\nVite ! Commandez avant qu'il ne soit trop tard.",
    use_instead="Our bestsellers are back in stock.\nNos best-sellers sont de retour en stock.",
    fix="Remove the command, or replace it with the fact behind it: a dated end of offer, a real "
        "restock date. A plain call to action ('Shop now', « Commander ») is fine.",
    references=(_UCPD_AGGR, _FR_AGGR, _FTC),
)

LOW_STOCK = Rule(
    code="URG201", name="low-stock", checker=CHECKER, severity=Severity.WARNING,
    kinds=PRESSURE,
    summary="Flags stock claims nobody can check: 'Only 2 left in stock', 'Almost sold out', 'Limited stock', "
            "« Plus que 3 en stock », « Stock limité », « Il ne reste que 2 exemplaires ».",
    why="An 'only 2 left' written into copy is not a live stock count, and Mathur et al. (2019) found "
        "low-stock messages shown at random. Passing on materially inaccurate information about market "
        "conditions or availability to make the reader buy at once is banned in all circumstances "
        "(UCPD Annex I point 18) and misleading under French law (Code de la consommation L121-2 2° a); the "
        "Commission's UCPD guidance and the FTC's 2022 report name false low-stock messages. A specific, "
        "verifiable statement (a numbered edition, a dated stock figure) needs nothing more.",
    example="Only 2 left in stock!\nVite, il ne reste plus que 3 articles en stock.",
    use_instead="Limited edition of 500 numbered prints.\nÉdition limitée à 500 exemplaires numérotés.",
    fix="Show a stock count only when it comes from live inventory at the moment it is displayed, or "
        "state a fixed limit a reader can verify (edition size, stock on a given date); otherwise remove it.",
    references=(_UCPD_18, _FR_MISLEADING, _GUIDANCE, _FTC, _MATHUR),
)

HIGH_DEMAND = Rule(
    code="URG202", name="high-demand", checker=CHECKER, severity=Severity.WARNING,
    kinds=PRESSURE,
    summary="Flags demand claims with no figure behind them: 'Selling fast', 'In high demand', 'Flying off "
            "the shelves', « Victime de son succès », « Ça part vite », « Forte demande ».",
    why="A demand claim tells the reader that others are about to take what they want, with nothing to "
        "check. Inaccurate information on market conditions to push a purchase is banned (UCPD Annex I "
        "point 18) and misleading in France (Code de la consommation L121-2 2° a); Mathur et al. class "
        "high-demand messages as a scarcity dark pattern and the FTC's 2022 report names false "
        "high-demand claims.",
    example="Selling fast!\nVictime de son succès !",
    use_instead="1,240 sold since launch in March 2026.\n1 240 exemplaires vendus depuis le lancement en mars 2026.",
    fix="Replace the claim with a verifiable figure and its period, or remove it.",
    references=(_UCPD_18, _FR_MISLEADING, _FTC, _MATHUR),
)

ACTIVITY = Rule(
    code="URG301", name="activity-notification", checker=CHECKER, severity=Severity.WARNING,
    kinds=PRESSURE,
    summary="Flags live 'others are buying/looking' notices: '23 people are looking at this right now', "
            "'Sarah from Lyon just bought this', « 12 personnes consultent cet article », « Sarah de Lyon "
            "vient d'acheter ».",
    why="Activity notices press the reader to decide before someone else does, and they are often "
        "invented or recycled: Mathur et al. (2019) found notifications generated at random. Written into "
        "copy, the number cannot be live. False information about other buyers is a misleading practice "
        "(UCPD article 6 and Annex I point 18; Code de la consommation L121-2), the FTC's 2022 report "
        "lists fake 'others are viewing/bought' notices, and the Commission's UCPD guidance names such "
        "social-proof pressure among dark patterns.",
    example="23 people are looking at this right now.\n12 personnes consultent cet article en ce moment.",
    use_instead="Rated 4.6/5 from 312 verified reviews (March 2026).\nNoté 4,6/5 sur 312 avis vérifiés (mars 2026).",
    fix="Show activity only when it is real, current and about this product, generated from live data; "
        "never hard-code it in copy. Otherwise remove it.",
    references=(_UCPD_18, _FR_MISLEADING, _GUIDANCE, _FTC, _MATHUR),
)

CONFIRMSHAMING = Rule(
    code="URG401", name="confirmshaming", checker=CHECKER, severity=Severity.WARNING,
    kinds=PRESSURE,
    summary="Flags decline options that shame the reader for saying no: 'No thanks, I don't like saving "
            "money', 'No, I'd rather pay full price', « Non merci, je préfère payer plein tarif ».",
    why="A decline label that mocks the reader uses guilt to steer the choice: moral pressure that the "
        "UCPD treats as an aggressive practice when it significantly impairs freedom of choice "
        "(articles 8-9), as does French law (Code de la consommation L121-6 and L121-7). The Commission's "
        "UCPD guidance and the FTC's 2022 report (appendix A) name confirmshaming. The Digital Services "
        "Act (article 25) also bars online platforms from interfaces that manipulate their users, though "
        "it leaves practices the UCPD covers to the UCPD. A neutral 'No thanks' costs nothing.",
    example="No thanks, I don't like saving money.\nNon merci, je préfère payer plein tarif.",
    use_instead="No thanks\nNon merci",
    fix="Label the decline with a neutral phrase ('No thanks', 'Maybe later', « Non merci », « Plus tard »), "
        "as easy to read and to click as the accept button.",
    references=(_UCPD_AGGR, _FR_AGGR, _GUIDANCE, _FTC, _DSA),
)

STACKED = Rule(
    code="URG501", name="stacked-pressure", checker=CHECKER, severity=Severity.ERROR,
    kinds=PRESSURE,
    summary="Flags a passage that stacks several pressure devices (a vague deadline, a countdown, a stock "
            "claim, an activity notice, a rush command...); the message gives the count, and the severity "
            "rises with it.",
    why="Each device alone is a nudge whose claim may be unverifiable; stacked, they combine a time limit, "
        "scarcity and social proof into one push to decide now. That cumulative pressure is what the "
        "UCPD's rules on aggressive practices (articles 8-9) and French law (Code de la consommation "
        "L121-6 and L121-7) weigh: whether the reader's freedom of choice is significantly impaired. The "
        "individual claims also need their own evidence (UCPD Annex I points 7 and 18).",
    example="Hurry, this offer ends tonight! Only 2 left in stock and 23 people are looking at this right now.",
    use_instead="Spring sale until 15 April 2027, 23:59 (Paris time).",
    fix="Keep at most one device, and only one that is true and verifiable (a dated end, a live stock "
        "count). Fix the individual findings: this one goes away with them.",
    references=(_UCPD_AGGR, _UCPD_7, _UCPD_18, _FR_AGGR, _GUIDANCE),
)

RULES = {rule.code: rule for rule in (VAGUE_DEADLINE, COUNTDOWN, RUSH, LOW_STOCK, HIGH_DEMAND, ACTIVITY,
                                      CONFIRMSHAMING, STACKED)}

_MESSAGES = {
    "URG101": "'{text}' sets a deadline with no date: state the real end date and time, or drop the time limit",
    "URG102": "countdown '{text}' runs to an end that is not stated: show the real end date and time, and "
              "never reset the timer",
    "URG103": "'{text}' pushes the reader to act at once: say what actually happens and when, and let them decide",
    "URG201": "'{text}' claims low stock nobody can check: show stock only from live inventory, or a fixed, "
              "verifiable limit",
    "URG202": "'{text}' claims high demand with nothing behind it: give a verifiable figure and period, or remove it",
    "URG301": "'{text}' reports other shoppers' activity: show it only when it is real and live, never as fixed copy",
    "URG401": "decline option '{text}' shames the reader for saying no: use a neutral label",
}
_KINDS = {
    "URG101": "vague deadline", "URG102": "countdown", "URG103": "rush command", "URG201": "low-stock claim",
    "URG202": "high-demand claim", "URG301": "activity notification", "URG401": "confirmshaming",
}
_INFO_NOTES = {
    "quoted": " (inside quotation marks: info only; ignore it if it is a quoted example)",
    "dated": " (a date stands nearby: info only)",
    "discussion": " (the document discusses these practices: info only)",
}
_DECLINE = {"en": "No thanks", "fr": "Non merci"}


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES.values())


@hookimpl
def ethicslint_options() -> list[Option]:
    return [
        Option("extra-terms", "terms", {},
               "more trigger terms per rule, e.g. { URG201 = { phrases = [\"nearly all gone\"] } }, "
               "or per language: { fr = { URG202 = { phrases = [\"...\"] } } }"),
        Option("allow", "list[str]", [], "phrases never reported (matched case-insensitively)"),
        Option("stack-min", "int", 2, "distinct pressure devices in one passage before URG501 is reported"),
    ]


@hookimpl
def ethicslint_check_document(document, config: dict[str, Any]) -> list[Finding]:  # type: ignore[no-untyped-def]
    compiled = {}
    contexts: dict[int, detect.SegmentContext] = {}
    devices: list[detect.Device] = []
    for index, segment in enumerate(document.segments):
        if segment.lang not in ("en", "fr"):
            continue
        if segment.lang not in compiled:
            compiled[segment.lang] = lexicon.compiled_for(segment.lang, config)
        devices.extend(detect.find_devices(document, index, segment, compiled[segment.lang], contexts))
    if not devices:
        return []
    if any(d.info_reason is None for d in devices) and detect.discussion_document(document, compiled, contexts):
        for device in devices:
            device.info_reason = device.info_reason or "discussion"
    findings = [_finding(document, device) for device in devices]
    findings.extend(_stacked(document, devices, int(config.get("stack-min", 2))))
    return findings


def _finding(document, device: detect.Device) -> Finding:  # type: ignore[no-untyped-def]
    rule = RULES[device.code]
    segment = document.segments[device.segment_index]
    message = _MESSAGES[device.code].format(text=_short(device.text))
    severity = None
    if device.info_reason:
        severity = Severity.INFO
        message += _INFO_NOTES[device.info_reason]
    suggestion = _DECLINE.get(segment.lang) if device.code == "URG401" else None
    return document.finding(rule, segment, device.start, device.end, message, severity=severity,
                            suggestion=suggestion)


def _stacked(document, devices: list[detect.Device], minimum: int) -> list[Finding]:  # type: ignore[no-untyped-def]
    """One URG501 per passage holding at least ``minimum`` distinct devices of warning level.

    A passage is a segment; in structured files (YAML/JSON strings), the strings under one parent
    key (``product_page.badge`` and ``product_page.timer``) make one passage, as they appear together.
    """
    groups: dict[Any, list[detect.Device]] = {}
    for device in devices:
        if device.info_reason:
            continue
        key = document.segments[device.segment_index].segment.key
        passage = ("key", key.rsplit(".", 1)[0]) if key and "." in key else ("segment", device.segment_index)
        groups.setdefault(passage, []).append(device)
    findings = []
    for group in groups.values():
        codes = sorted({d.code for d in group})
        if len(codes) < max(2, minimum):
            continue
        first = min(group, key=lambda d: (d.segment_index, d.start))
        same = [d for d in group if d.segment_index == first.segment_index]
        start, end = min(d.start for d in same), max(d.end for d in same)
        base = max((RULES[c].severity for c in codes), key=lambda s: s.rank)
        severity = base.raised(len(codes) - 1)
        kinds = ", ".join(dict.fromkeys(_KINDS[d.code] for d in sorted(group, key=lambda d: (d.segment_index, d.start))))
        message = (f"{len(codes)} pressure devices in one passage ({kinds}): stacked pressure leaves the reader "
                   f"no room to decide; keep at most one, and only if it is true and verifiable")
        findings.append(document.finding(STACKED, document.segments[first.segment_index], start, end, message,
                                         severity=severity))
    return findings


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
