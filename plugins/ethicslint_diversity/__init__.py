"""ethicslint checker ``diversity``: exclusionary wording and representation gaps (EN + FR).

Two levels:

* **wording** in one document (``ethicslint_check_document``): gendered generics and job ads,
  gender-role stereotypes, age, disability and body exclusion, colourism and beauty norms. Terms
  and their context conditions are data (``terms/en.toml``, ``terms/fr.toml``; see ``wording.py``).
* **representation gaps** across the repo (``ethicslint_collect`` + ``ethicslint_check_corpus``):
  the share of stated gendered person references and age markers, and the people described in
  image alt texts. Only what the copy states is counted (pronouns, titles, gendered nouns, stated
  ages): a first name never stands for a gender or an ethnicity (see ``representation.py``).
"""

from __future__ import annotations

import re
from typing import Any

from ethicslint import PROMOTIONAL, RECRUITMENT, Finding, Option, Rule, Severity, hookimpl

PEOPLE_SHOWN = (PROMOTIONAL,)  # copy that shows people as its models: not articles, job ads, UI or account text

from . import representation, wording

ETHICSLINT_API = "1"
__version__ = "0.1.0"
CHECKER = "diversity"

_STYLE_GUIDES = (
    "Google developer documentation style guide: Write inclusive documentation",
    "Microsoft Writing Style Guide: Bias-free communication",
)
_HCE = "Haut Conseil à l'Égalité, Guide pratique pour une communication publique sans stéréotype de sexe (2015, updated 2022)"
_CAP49 = "UK CAP Code rule 4.9 and BCAP Code rule 4.14, harmful gender stereotypes (in force 14 June 2019)"
_ARPP = "ARPP, Recommandation « Image et respect de la personne »"
_JOBS_FR = "France, Code du travail L1132-1, L1142-1 1° and L5321-2; Code pénal 225-1 and 225-2 5°"

RULES: dict[str, Rule] = {r.code: r for r in [
    Rule(
        code="DIV101", name="gendered-generic", checker=CHECKER, severity=Severity.INFO,
        summary="Flags gendered generics and job titles where a neutral or epicene form is standard "
                "('chairman', 'manpower', 'hey guys', 'he' for any user, 'his/her', « homme de ménage », "
                "« Mademoiselle », « bon pour l'homme »).",
        why="A masculine generic ('mankind', 'man-hours', 'the user ... his account') or a gendered job title "
            "('salesman', « femme de ménage ») tells part of the audience that the role or the message is not "
            "about them; a binary pair ('his/her', 'he or she') leaves out whoever is neither. Mainstream "
            "inclusive-language style guides (Google, Microsoft) and the HCE guide for communication without "
            "gender stereotypes recommend the neutral or epicene form wherever one is standard (singular "
            "'they' for any person). French "
            "grammatical agreement (« les clients », « nos conseillers ») is never flagged: only terms with a "
            "recognised neutral alternative are. Severity is info: it is a wording choice, not a breach.",
        example="Need extra manpower for the holiday rush? Hey guys, meet our new chairman.",
        use_instead="Need extra staff for the holiday rush? Hi everyone, meet our new chair.",
        fix="Use the suggested neutral form. A proper name ('Manpower', 'Five Guys'), a quoted or historical "
            "title ('signed by the Chairman of the Board in 1962') and copy that discusses the term are not "
            "flagged; add brand names to the `allow` option.",
        references=_STYLE_GUIDES + (_HCE,),
    ),
    Rule(
        code="DIV102", name="gendered-job-ad", checker=CHECKER, severity=Severity.WARNING,
        kinds=(RECRUITMENT,),
        summary="Flags job ads that state or imply a preferred sex: a gendered job title, a he/she for the "
                "future hire, 'female candidates preferred', « vendeuse H/F », « idéalement une femme ».",
        why="A job offer may not refer to the applicant's sex or family situation (France: Code du travail "
            "L1142-1 1° and L5321-2, Code pénal 225-2 5°). A feminine-only or masculine-only title is read as "
            "a preference even with « H/F » (« vendeuse H/F »), and 'he will report to' tells applicants of "
            "the other sex the job was written for someone else. The rule triggers only in copy that reads as "
            "a job ad (hiring cues such as 'we're hiring', 'apply', « CDI », « H/F »).",
        example="We're hiring! Experienced salesman wanted; he will report to the store manager.",
        use_instead="We're hiring! Experienced salesperson wanted; you will report to the store manager.",
        fix="Use a neutral or double title (« vendeur ou vendeuse (H/F) », « agent·e d'entretien »), 'you' "
            "or 'they' for the future hire, and describe skills instead of the person.",
        references=(_JOBS_FR,) + _STYLE_GUIDES,
    ),
    Rule(
        code="DIV201", name="gender-stereotype", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags gender-role stereotypes: tasks or products assigned to one gender, or ability tied to "
                "gender ('so easy even Mom can do it', 'for real men', a vacuum as the Mother's Day gift).",
        why="UK CAP Code rule 4.9 (BCAP 4.14), in force since 14 June 2019, bars gender stereotypes likely to "
            "cause harm: suggesting a task is beyond someone because of their gender (a woman failing to "
            "park, a mother who can barely use technology), or casting housework as a woman's job. The ARPP "
            "recommendation « Image et respect de la personne » and the HCE guide say the same for France. "
            "A product made for one sex (a maternity legging shown with women, a men's grooming range) is "
            "not a stereotype.",
        example="So easy, even Mom can do it! / « Le cadeau idéal pour Madame : un robot de cuisine. »",
        use_instead="So easy, anyone can do it. / « Le cadeau idéal pour les amateurs de cuisine. »",
        fix="Say who the product is for by need or interest, not by gender; drop jokes that rest on a "
            "gender's supposed incompetence.",
        references=(_CAP49, _ARPP, _HCE),
    ),
    Rule(
        code="DIV301", name="age-coded-wording", checker=CHECKER, severity=Severity.WARNING,
        kinds=(RECRUITMENT,),
        summary="Flags wording that asks for young people: 'young and dynamic team', 'digital natives "
                "only', 'fresh blood', « jeune et dynamique », « plutôt jeune ».",
        why="Age is a protected ground in hiring (Code du travail L1132-1; L5321-2 bars job offers that "
            "refer to it). The Défenseur des droits found « plutôt jeune (-30 ans) » discriminatory "
            "(decision MLD-2016-125), and age-coded words put older applicants off even without a number. "
            "A 'dynamic, fast-paced team' or « une équipe dynamique » describes the workplace and is fine; "
            "so is 'young' about a brand outside a job ad.",
        example="We're a young and dynamic team looking for a marketing executive.",
        use_instead="We're a friendly, fast-paced team looking for a marketing executive.",
        fix="Describe the work, the pace and the culture, not the age of the people you want.",
        references=(_JOBS_FR, "Défenseur des droits, decision MLD-2016-125") + _STYLE_GUIDES,
    ),
    Rule(
        code="DIV302", name="age-limit-in-job-ad", checker=CHECKER, severity=Severity.ERROR,
        kinds=(RECRUITMENT,),
        summary="Flags an age limit or age range in a job ad ('must be under 30', 'aged 21-28', « moins de "
                "30 ans », « âge maximum : 40 ans »).",
        why="A job offer may not set an age limit (Code du travail L5321-2; the Défenseur des droits ruled "
            "on an age limit in decision MLD-2016-065). A legal minimum age ('18 or over to serve alcohol') "
            "and age-based prices outside job ads (a youth railcard, a senior discount) are not flagged.",
        example="Trainee accountant wanted, aged 21-28, full-time.",
        use_instead="Trainee accountant wanted, full-time; we train you for the AAT qualification.",
        fix="Remove the age limit; state the skills, qualifications or licences the job really needs.",
        references=(_JOBS_FR, "Défenseur des droits, decision MLD-2016-065"),
    ),
    Rule(
        code="DIV303", name="experience-cap", checker=CHECKER, severity=Severity.INFO,
        kinds=(RECRUITMENT,),
        summary="Flags a maximum of experience in a job ad ('no more than 5 years', « 2 à 5 ans "
                "d'expérience », « 3 ans maximum »).",
        why="A ceiling on experience screens out experienced, and so mostly older, applicants: an indirect "
            "age criterion (Code du travail L1132-1). A minimum ('2+ years', « 2 ans minimum ») is fine. "
            "Severity is info because a range is sometimes meant as a guide; check what you meant.",
        example="Requirements: B2B sales experience, no more than 5 years.",
        use_instead="Requirements: at least 2 years of B2B sales experience.",
        fix="State a minimum or the skills needed, not a maximum.",
        references=(_JOBS_FR,),
    ),
    Rule(
        code="DIV311", name="ableist-idiom", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags idioms that use disability or mental illness as a metaphor ('crazy deal', 'insane "
                "prices', 'lame', 'tone-deaf', 'blind to', « prix de fou », « c'est de la folie »).",
        why="Mainstream inclusive-language style guides (Google, Microsoft) ask writers to avoid ableist "
            "idioms: they make a condition a synonym for bad, wild or ignorant, and readers who live with it "
            "notice. Medical or legal text where the term is exact ('double-blind trial', « personnes "
            "aveugles », « non-lieu pour démence ») is not flagged.",
        example="Crazy deals all weekend! Most banks are blind to the fees they charge.",
        use_instead="Unbeatable deals all weekend! Most banks ignore the fees they charge.",
        fix="Say what you mean: 'incredible', 'unbeatable', 'unaware of', 'out of touch'.",
        references=_STYLE_GUIDES,
    ),
    Rule(
        code="DIV312", name="ableist-slur", checker=CHECKER, severity=Severity.ERROR,
        summary="Flags slurs against disabled people ('retard', 'spaz', « mongol », « t'es autiste ? » as an "
                "insult).",
        why="These words are insults built on disability. The ARPP recommendation « Image et respect de la "
            "personne » asks advertising to respect dignity and avoid discrimination; style guides rule the "
            "words out. A diagnosis in medical text ('spastic diplegia') and identity statements (« mon fils "
            "est autiste ») are not flagged.",
        example="Don't be a retard: lock in your rate today.",
        use_instead="Don't miss out: lock in your rate today.",
        fix="Remove the word; there is no neutral version of an insult.",
        references=(_ARPP,) + _STYLE_GUIDES,
    ),
    Rule(
        code="DIV313", name="disability-framing", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags wording that frames disability as tragedy or reduces people to it ('wheelchair-"
                "bound', 'suffers from autism', 'the disabled', « les handicapés », « malgré son handicap »).",
        why="Style guides recommend person-first or identity-first wording as the community prefers "
            "('wheelchair user', 'disabled people', 'autistic people'), and no pity or 'triumph over "
            "disability' framing. Exact legal and medical terms (« travailleur handicapé », « RQTH », "
            "'patients suffering from epilepsy' in a medicine leaflet) are not flagged.",
        example="Meet Tom, a wheelchair-bound gamer who suffers from cerebral palsy.",
        use_instead="Meet Tom, a gamer and wheelchair user who has cerebral palsy.",
        fix="Name the person first or as they describe themselves; drop 'suffers', 'victim', 'bound', "
            "'despite'.",
        references=_STYLE_GUIDES + (_ARPP,),
    ),
    Rule(
        code="DIV321", name="body-norm", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags body-norm language: normal skin and bodies as flaws to fix ('hide your flaws', "
                "'bikini body', 'problem areas', « corriger les défauts de la peau », « ventre plat »).",
        why="The ASA's guidance on CAP rule 4.9 names pressure to reach an idealised body shape as a harmful "
            "stereotype, and the ARPP recommendation « Image et respect de la personne » asks ads not to "
            "demean people's bodies. Calling pores or a belly 'flaws' sells a problem. Flaws of objects "
            "(a glaze, a wall, software) are not flagged.",
        example="Hide your flaws with our full-coverage foundation.",
        use_instead="Full-coverage foundation that evens out your skin tone for 24 hours.",
        fix="Say what the product does without calling normal bodies defective.",
        references=(_CAP49, _ARPP),
    ),
    Rule(
        code="DIV401", name="skin-lightening", checker=CHECKER, severity=Severity.ERROR,
        summary="Flags skin whitening or lightening as a beauty promise ('whitening cream', 'fairer skin', "
                "'fairness serum', « crème éclaircissante », « un teint plus clair »).",
        why="Promising lighter skin as beauty is colourism: it ranks skin tones. Major brands withdrew or "
            "renamed 'fairness' and whitening products from 2020; the ARPP recommendation « Image et respect "
            "de la personne » bars discrimination and degrading portrayals. Teeth whitening, hair lightening, "
            "laundry whiteners, sun-care advice for fair skin and medical depigmenting treatment are not "
            "flagged.",
        example="Our whitening cream gives you visibly fairer skin in 14 days.",
        use_instead="Our vitamin C cream evens out dark spots for a radiant complexion.",
        fix="Promise an even, radiant complexion, never a lighter one.",
        references=(_ARPP,) + _STYLE_GUIDES,
    ),
    Rule(
        code="DIV402", name="normative-hair", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags hair and skin words that treat one type as the norm: 'normal hair' next to textured "
                "hair, 'ethnic hair', 'difficult hair', « cheveux ethniques », « cheveux normaux ».",
        why="Calling straight hair 'normal' and afro or coily hair 'ethnic' or 'difficult' makes one group "
            "the default and the other a problem; Unilever dropped 'normal' from its beauty packs in 2021 "
            "for this reason. The standard skin types ('normal to dry skin', « peaux normales à mixtes ») "
            "and 'normal hair' as a care type with no textured-hair contrast are not flagged.",
        example="Shampoo for normal hair, and a rich mask for difficult afro hair.",
        use_instead="Shampoo for straight hair, and a rich mask for coily hair.",
        fix="Name the hair by its texture (straight, wavy, curly, coily) and its need (dry, oily).",
        references=_STYLE_GUIDES,
    ),
    Rule(
        code="DIV403", name="single-skin-tone", checker=CHECKER, severity=Severity.WARNING,
        summary="Flags 'nude', 'flesh-coloured' or « couleur chair » as the name of one light colour of "
                "tights, underwear, plasters or shoes.",
        why="A single 'nude' or 'skin colour' shade treats one light skin tone as everyone's. A range of "
            "nudes in several skin tones ('our Nude collection in 12 shades') is not flagged.",
        example="Seamless bra, available in black, white and nude.",
        use_instead="Seamless bra, available in black, white, sand, caramel and espresso.",
        fix="Name the shade ('beige', 'sand') or offer several skin tones.",
        references=_STYLE_GUIDES,
    ),
    Rule(
        code="DIV501", name="gender-representation-gap", checker=CHECKER, severity=Severity.WARNING,
        kinds=PEOPLE_SHOWN,
        summary="Across the repo (or the subsets configured), reports when one gender makes up more than "
                "the configured share (default 75 %) of at least 8 stated gendered person references.",
        why="Copy repos decide who is shown: testimonials, personas, case studies, alt texts and examples. "
            "The HCE guide names a strong imbalance between the numbers of women and men shown as the first "
            "way stereotypes show up in communication, and recommends balancing them. The count uses only what the copy states (pronouns, Mr/Mrs/M./Mme, "
            "gendered nouns such as 'mother' or « cliente »): never a first name. French il/elle are not "
            "counted because they also agree with the grammatical gender of things. Named people whose "
            "gender the copy does not state are reported, not counted.",
        example="14 of 16 gendered references (88%) are to men: testimonials/*.md, case-studies/*.md.",
        use_instead="Testimonials and case studies from customers of several genders.",
        fix="Review who the testimonials, personas, case studies and examples show; add people from the "
            "under-represented group where the audience is mixed. Tune `gap-share`, `gap-min-references` "
            "and `subsets`; a product made for one group can ignore the rule for its folder.",
        references=(_HCE,),
    ),
    Rule(
        code="DIV502", name="age-representation-gap", checker=CHECKER, severity=Severity.WARNING,
        kinds=PEOPLE_SHOWN,
        summary="Across the repo (or the subsets configured), reports when one age group (under 35, 35-54, "
                "55 and over) makes up more than the configured share of at least 8 stated age markers.",
        why="If every testimonial is from a student and every persona is 28, older customers do not see "
            "themselves; age is a protected ground and the HCE and style guides ask for varied portrayals. "
            "Only stated ages count ('Sarah, 34', 'retired', « retraitée », « 45 ans »), never a guess from a "
            "name or a photo.",
        example="9 of 10 age markers (90%) are under 35: 'student', 'Sarah, 24', 'young professionals'.",
        use_instead="Testimonials and personas from customers of several ages.",
        fix="Add voices and personas from the missing age groups, or check that the audience really is "
            "one age group.",
        references=(_HCE,) + _STYLE_GUIDES,
    ),
    Rule(
        code="DIV503", name="uniform-people-alt-text", checker=CHECKER, severity=Severity.INFO,
        kinds=PEOPLE_SHOWN,
        summary="Reports when every image alt text that describes people and states a gender (or an age) "
                "states the same one, across at least `alt-min-people` alt texts.",
        why="Images are the most visible part of representation. The check reads only the alt texts: what "
            "they state about gender, age and visible disability (a wheelchair, a hearing aid). It cannot "
            "see the images, so it reports what the descriptions say, as info.",
        example="All 7 alt texts that describe people and state a gender describe women; all 6 that state "
                "an age say 'young'.",
        use_instead="Alt texts (and images) showing people of several genders and ages.",
        fix="Check the images: if they really show one group, vary them; if they do not, make the alt "
            "texts describe the people accurately.",
        references=(_HCE,),
    ),
]}

DEFAULT_WHY = {
    "DIV101": "is a gendered term where a neutral form is standard",
    "DIV102": "in a job ad signals a preferred sex",
    "DIV201": "is a gender-role stereotype",
    "DIV301": "describes the people wanted by age",
    "DIV302": "sets an age limit in a job offer",
    "DIV303": "caps experience, which screens out older applicants",
    "DIV311": "uses a disability or mental illness as a metaphor",
    "DIV312": "is an ableist slur",
    "DIV313": "frames disability as tragedy or reduces people to it",
    "DIV321": "presents normal bodies as flaws to fix",
    "DIV401": "promises lighter skin as beauty (colourism)",
    "DIV402": "treats one hair type as the norm",
    "DIV403": "treats one light skin tone as the default",
}


@hookimpl
def ethicslint_rules() -> list[Rule]:
    return list(RULES.values())


@hookimpl
def ethicslint_options() -> list[Option]:
    return [
        Option("extra-terms", "terms", {}, "More terms per entry of terms/<lang>.toml, e.g. "
               "{chairman = {phrases = [\"board chairman\"]}}; nest under \"en\"/\"fr\" for one language. "
               "A new entry needs a `code`."),
        Option("allow", "list[str]", [], "Words or names never flagged (brand and product names)."),
        Option("gap-share", "float", 0.75, "DIV501/DIV502: report when one group's share exceeds this."),
        Option("gap-min-references", "int", 8, "DIV501/DIV502: minimum references before a share means "
               "anything."),
        Option("subsets", "list[str]", [], "Globs (e.g. \"testimonials/**\") checked separately for "
               "representation gaps; empty: the whole set of files."),
        Option("alt-min-people", "int", 6, "DIV503: minimum alt texts describing people (and stating the "
               "descriptor) before uniformity is reported."),
    ]


def _suggestion(entry: wording.Entry, text: str) -> str | None:
    lower = text.lower()
    replacement = dict(entry.replacements).get(lower, entry.suggestion)
    if replacement and text[:1].isupper() and not replacement[:1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    return replacement


# Determiners that agree with a French noun's gender: « une vendeuse » -> « une vendeur ou vendeuse »
# would break the agreement, so a title after one of them is left to a person.
_GENDERED_DETERMINERS_FR = frozenset({"un", "une", "le", "la", "ce", "cet", "cette", "ma", "ta", "sa", "du", "au"})
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _replacement(candidate: wording.Candidate, suggestion: str | None) -> str | None:
    """The text ``--fix`` may put in place of the match: the suggestion of an entry marked
    ``safe_fix``, when the match is plain (one space between words, lower case or capitalised, so
    the suggestion's case fits) and the word before does not agree with the old form (English
    "a"/"an", a gendered French determiner). Anything else is left to a person."""
    text = candidate.text
    if not (candidate.entry.safe_fix and suggestion) or " ".join(text.split()) != text:
        return None
    if text not in (text.lower(), text[:1].upper() + text[1:].lower()):
        return None
    before = _LAST_WORD.search(candidate.segment.text[:candidate.start])
    previous = before.group(1).lower() if before else ""
    if previous in ("a", "an") and _starts_with_vowel(text) != _starts_with_vowel(suggestion):
        return None
    if previous in _GENDERED_DETERMINERS_FR and candidate.segment.lang == "fr":
        return None
    return suggestion


def _starts_with_vowel(text: str) -> bool:
    return text[:1].lower() in "aeiou"


def _message(candidate: wording.Candidate, suggestion: str | None) -> str:
    entry = candidate.entry
    if candidate.code == "DIV102" and entry.job_title:
        why = "in a job ad reads as a preferred sex (a neutral title is standard)"
    else:
        why = entry.why or DEFAULT_WHY[candidate.code]
    text = " ".join(candidate.text.split())
    message = f"'{text}' {why}"
    if suggestion:
        message += f"; use '{suggestion}'"
    elif entry.advice:
        message += f"; {entry.advice}"
    return message


@hookimpl
def ethicslint_check_document(document: Any, config: dict[str, Any]) -> list[Finding]:
    findings = []
    for candidate in wording.candidates(document, config):
        rule = RULES[candidate.code]
        suggestion = _suggestion(candidate.entry, candidate.text)
        findings.append(document.finding(rule, candidate.segment, candidate.start, candidate.end,
                                         _message(candidate, suggestion), suggestion=suggestion,
                                         replacement=_replacement(candidate, suggestion)))
    return findings


@hookimpl
def ethicslint_collect(document: Any, config: dict[str, Any]) -> dict[str, Any] | None:
    if document.copy_kind not in PEOPLE_SHOWN:
        return None  # the people an article, a job ad or a policy is about are not people shown
    return representation.collect(document, config)


@hookimpl
def ethicslint_check_corpus(collected: list[Any], config: dict[str, Any]) -> list[Finding]:
    return representation.check(collected, config, RULES)
