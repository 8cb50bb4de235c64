"""Tests of the green-claims checker: labelled corpus quality, context that clears a claim,
document kinds, options, rule docs and the examples, in English and French."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

import ethicslint_green_claims as plugin
from ethicslint import Severity
from ethicslint.testing import load_cases, score

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "green-claims"
SEEDS_FR = ROOT.parent / "shared" / "corpus" / "seeds-fr"
# Floors as measured with `python scripts/quality_green_claims.py` (docs/quality/green-claims.md);
# the issue's targets are precision 0.90 and recall 0.85.
FLOORS = {"en": (1.0, 1.0), "fr": (1.0, 1.0)}


def _quality_script():  # type: ignore[no-untyped-def]
    """scripts/quality_green_claims.py: it reads a case the way `ethicslint check` reads a file."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))  # as when the script runs: it imports corpus_table
    spec = importlib.util.spec_from_file_location("quality_green_claims", ROOT / "scripts" / "quality_green_claims.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


QUALITY = _quality_script()


def findings(text: str, lang: str, fmt: str = "text", path: str | None = None, config: dict | None = None):
    return QUALITY.findings_for(text, lang, fmt, path, config)


def codes(text: str, lang: str, **kwargs) -> set[str]:
    return {f.code for f in findings(text, lang, **kwargs)}


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {lang: load_cases(CORPUS / f"{lang}.jsonl") for lang in ("en", "fr")}


# --- quality, measured -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_corpus_shape(corpus, lang):
    cases = corpus[lang]
    assert len(cases) >= 150 and all(c["lang"] == lang for c in cases)
    assert sum(1 for c in cases if not c["expected_codes"]) / len(cases) >= 0.40
    assert sum(1 for c in cases if c.get("fmt", "text") != "text") / len(cases) >= 0.15
    for code in plugin.RULES:  # every rule has positive cases in every language
        assert sum(code in c["expected_codes"] for c in cases) >= 10, code


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_corpus_quality(corpus, lang):
    result = score(corpus[lang], QUALITY.predict)
    s = result[lang]
    misses = "\n".join(result["all"].errors)
    precision_floor, recall_floor = FLOORS[lang]
    assert s.precision >= precision_floor, f"precision {s.precision:.3f}\n{misses}"
    assert s.recall >= recall_floor, f"recall {s.recall:.3f}\n{misses}"


# --- claims found, and what clears them ------------------------------------------------------

@pytest.mark.parametrize("lang,text,expected", [
    ("en", "The eco-friendly sneaker for city walks.", {"GRN101"}),
    ("en", "Finally, a sustainable shampoo: its bottle is now 30 % recycled plastic.", {"GRN102"}),
    ("en", "Carbon-neutral delivery on every order.", {"GRN201"}),
    ("en", "Look for our EcoSmart seal, awarded by our product team.", {"GRN301"}),
    ("en", "BPA-free baby bottles.", {"GRN401"}),
    ("en", "We'll be carbon neutral by 2030.", {"GRN501"}),
    ("en", "Carbon neutral today, net zero by 2035.", {"GRN201", "GRN501"}),
    ("en", "Clinically proven to reduce fine lines.", {"GRN601"}),
    ("en", "9 out of 10 customers would buy again.", {"GRN602"}),
    ("en", "Chemical-free cleaning for the whole house.", {"GRN603"}),
    ("en", "The world's greenest sneaker.", {"GRN101"}),  # "world" here is no topic: "world's" owns the claim
    ("en", "Join us on our journey to net zero.", {"GRN501"}),
    ("fr", "Une lessive écologique, 30 lavages.", {"GRN101"}),
    ("fr", "Notre dentifrice écoresponsable : son tube contient 50 % de plastique recyclé.", {"GRN102"}),
    ("fr", "Votre voyage à Lisbonne est désormais compensé.", {"GRN201"}),
    ("fr", "Repérez notre label maison Nature+.", {"GRN301"}),
    ("fr", "Laque fixation forte, sans CFC.", {"GRN401"}),
    ("fr", "Zéro plastique dans nos emballages en 2027.", {"GRN501"}),
    ("fr", "Renforce l'immunité de toute la famille.", {"GRN601"}),
    ("fr", "N° 1 des ventes en France.", {"GRN602"}),
    ("fr", "Déodorant 100 % naturel.", {"GRN603"}),
    ("fr", "Une démarche éco-responsable, un produit vert et local.", {"GRN101"}),
    ("en", "Choose our detergents that are eco-friendly.", {"GRN101"}),  # a choice among ours is a claim
    ("fr", "Choisissez nos lessives qui sont écologiques.", {"GRN101"}),
    # the company's own conduct, or the reader's product, is a claim; only the reader's conduct is not
    ("en", "Our eco-friendly commitments start with this bottle.", {"GRN101"}),
    ("en", "Your eco-friendly bottle ships today.", {"GRN101"}),
    ("fr", "Nos engagements éco-responsables commencent par ce flacon.", {"GRN101"}),
    ("fr", "Votre gourde écologique part aujourd'hui.", {"GRN101"}),
    # treating or preventing a condition is a health claim
    ("en", "Our herbal tea helps fight stress.", {"GRN601"}),
    ("en", "A daily spoonful prevents colds all winter.", {"GRN601"}),
    ("fr", "Elle peut aider à lutter contre les états dépressifs.", {"GRN601"}),
    ("fr", "Un puissant régénérateur de cellules.", {"GRN601"}),
])
def test_claims_are_found(lang, text, expected):
    assert codes(text, lang) == expected


@pytest.mark.parametrize("lang,text", [
    # other senses of the words
    ("en", "Green tea with jasmine, 20 bags."),
    ("en", "Tap the green button to confirm."),
    ("en", "Carbon steel wok, 30 cm."),
    ("en", "A neutral tone that goes with everything."),
    ("en", "The number one reason customers call us is delivery."),
    ("en", "Eco fare: hand luggage only."),
    ("fr", "Escarpins à talon compensé, cuir grainé."),
    ("fr", "Une veste durable, taillée pour les hivers rudes."),
    ("fr", "Des résultats durables pour votre équipe commerciale."),
    ("fr", "Sweat vert sapin en coton brossé."),
    ("fr", "Appelez notre numéro vert, appel gratuit."),
    ("fr", "Jus de fruits 100 % pur jus."),
    # substantiation in the same passage
    ("en", "Eco-friendly washing-up liquid: awarded the EU Ecolabel (licence FR/019/012)."),
    ("en", "Outer fabric: 72 % recycled polyamide, GRS-certified (certificate CB-GRS-558210)."),
    ("en", "Recommended by 87 % of 312 dermatologists surveyed (Ifop, 2025)."),
    ("en", "Our net-zero 2040 target is validated by the SBTi; interim target -46 % by 2030, audited yearly."),
    ("fr", "Nettoyant vitres, 750 ml. Ecolabel européen, licence FR/020/077."),
    ("fr", "9 clients sur 10 satisfaits (enquête auprès de 1 530 clients, mars 2026)."),
    # a subject, not a product
    ("en", "Learn about everyday eco-friendly actions."),
    ("fr", "Tout comprendre : une alimentation plus durable."),
    # what the reader is told to choose, not what is sold
    ("en", "Pick groceries that are better for the planet with our scanner."),
    ("fr", "Trouvez des produits qui sont bons pour la planète grâce au scanner."),
    # the reader's own conduct, whatever the app does for it
    ("en", "A trusted partner for your food choices and eco-conscious commitments."),
    ("en", "The app that makes your eco-friendly habits stick."),
    ("fr", "Un partenaire pour vos choix alimentaires et vos engagements éco-responsables."),
    ("fr", "L'appli qui simplifie vos gestes écologiques au quotidien."),
    # fighting what is no condition of the body, or a condition named with no verb of treating it
    ("en", "We fight the cold with warm wool socks."),
    ("en", "Two-factor sign-in helps prevent fraud."),
    ("fr", "Ces données servent à prévenir et lutter contre la fraude informatique."),
    ("fr", "Une livraison sans stress, où que vous soyez."),
])
def test_hard_negatives(lang, text):
    assert codes(text, lang) == set()


@pytest.mark.parametrize("lang,text", [
    ("en", "We don't call this jacket eco-friendly. It's polyester, and it lasts."),
    ("en", "No, our delivery isn't carbon neutral, and we won't pretend it is."),
    ("en", "We're not the #1 anything. We're a small bakery."),
    ("en", "We'd love to say our candles are 100 % natural, but the wax is 30 % paraffin."),
    ("fr", "Nous ne disons pas que ce manteau est écologique."),
    ("fr", "Notre livraison n'est pas neutre en carbone."),
    ("fr", "Pas de label maison chez nous : uniquement des certifications officielles."),
])
def test_negations_and_disclaimers(lang, text):
    assert codes(text, lang) == set()


@pytest.mark.parametrize("lang,text", [
    ("en", "This isn't a 'green' product. It's a kettle built to last."),
    ("en", "Claims such as \"eco-friendly\" are banned without proof."),
    ("fr", "On aimerait écrire « 100 % naturel », mais notre crème contient un conservateur."),
    ("fr", "Les allégations comme « neutre en carbone » sont encadrées par la loi."),
])
def test_quotations_and_discussion(lang, text):
    assert codes(text, lang) == set()


def test_an_article_about_greenwashing_is_editorial():
    article = ("---\ntitle: \"What the new EU rules mean\"\n---\n\n# What the new EU rules mean\n\n"
               "Since 27 September 2026, generic claims such as eco-friendly, carbon neutral or 100% natural "
               "are banned unless the trader can show the evidence.\n")
    assert codes(article, "en", fmt="markdown", path="blog/green-claims.md") == set()
    assert codes("Eco-friendly and carbon neutral, our new range is here.", "en", path="blog/launch.md") == set()
    assert codes("Eco-friendly and carbon neutral, our new range is here.", "en",
                 path="pages/launch.md") == {"GRN101", "GRN201"}


@pytest.mark.parametrize("path,expected", [
    ("pages/products/bottle.md", {"GRN401"}),      # promotional
    ("locales/en.yml", {"GRN401"}),                # ui-strings
    ("legal/product-compliance.md", set()),        # legal
    ("emails/transactional/receipt.txt", set()),   # transactional
    ("careers/backend.md", set()),                 # recruitment
    ("blog/bpa.md", set()),                        # editorial
])
def test_rules_run_only_on_their_kinds(path, expected):
    fmt = "yaml" if path.endswith(".yml") else "text"
    text = 'bottle: "BPA-free baby bottle"\n' if fmt == "yaml" else "BPA-free baby bottle."
    assert codes(text, "en", fmt=fmt, path=path) == expected
    for rule in plugin.RULES.values():
        assert set(rule.kinds) == {"promotional", "ui-strings"}


def test_front_matter_description_and_alt_text_are_copy():
    page = ("---\ntitle: \"Cork yoga mat\"\ndescription: \"An environmentally friendly yoga mat\"\n---\n\n"
            "# Cork yoga mat\n\nNatural cork top, 4 mm thick.\n")
    [finding] = findings(page, "en", fmt="markdown", path="pages/mat.md")
    assert (finding.code, finding.line, finding.text) == ("GRN101", 3, "environmentally friendly")
    html = '<img src="/b.jpg" alt="Baume à lèvres 100 % naturel">\n<p>Baume, 15 g</p>'
    [finding] = findings(html, "fr", fmt="html", path="pages/baume.html")
    assert (finding.code, finding.text) == ("GRN603", "100 % naturel")


def test_whole_product_claim_takes_its_support_from_nearby_copy():
    catalogue = 'product.title: "The Sustainable Candle"\nproduct.why: "Wick made from organic cotton"\n'
    assert codes(catalogue, "en", fmt="yaml", path="shop/catalogue/candles.en.yml") == {"GRN102"}
    assert codes("The cap is now made from 50 % recycled polypropylene.", "en") == set()  # about the cap


def test_footnote_and_asterisk():
    assert codes("Reduces wrinkles by up to 47 %*", "en") == {"GRN601"}
    text = "8 dermatologues sur 10 le recommandent*\n\n*Enquête auprès de 206 dermatologues, janvier 2026."
    assert codes(text, "fr") == set()


def test_finding_position_severity_and_message():
    text = "Livraison offerte.\nLivraison neutre en carbone sur toute la boutique."
    [finding] = findings(text, "fr")
    assert (finding.code, finding.line, finding.column) == ("GRN201", 2, 11)
    assert finding.text == "neutre en carbone" and finding.severity is Severity.WARNING
    assert "« neutre en carbone »" in finding.message and "compensation" in finding.message
    [english] = findings("Carbon-neutral delivery on every order.", "en")
    assert "'Carbon-neutral'" in english.message


def test_french_seed_articles_have_nothing_above_info():
    files = sorted(SEEDS_FR.glob("*.txt"))
    if not files:
        pytest.skip(f"seed articles not found at {SEEDS_FR}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        for where in (f"blog/{path.name}", path.name):  # as an article, and even as selling copy
            loud = [f for f in findings(text, "fr", path=where) if f.severity.rank > Severity.INFO.rank]
            assert not loud, (path.name, [(f.code, f.text) for f in loud])


# --- options -----------------------------------------------------------------------------------

def test_options_are_declared():
    names = {o.name for o in plugin.ethicslint_options()}
    assert names == {"extra-terms", "allow", "substantiated-claims"}
    for option in plugin.ethicslint_options():
        assert option.validate(option.default) is None


def test_extra_terms_allow_and_substantiated_claims():
    assert codes("Earth-smart detergent.", "en") == set()
    assert codes("Earth-smart detergent.", "en", config={"extra-terms": {"GRN101": {"phrases": ["earth-smart"]}}}) \
        == {"GRN101"}
    per_lang = {"fr": {"GRN101": {"phrases": ["écolo-chic"]}}}
    assert codes("Un sac écolo-chic.", "fr", config={"extra-terms": per_lang}) == {"GRN101"}
    text = "Our Greener Days collection is here. Carbon neutral delivery on every order."
    assert codes(text, "en") == {"GRN101", "GRN201"}
    assert codes(text, "en", config={"allow": ["Greener Days"]}) == {"GRN201"}
    assert codes(text, "en", config={"substantiated-claims": ["carbon neutral delivery"]}) == {"GRN101"}


# --- rule metadata (the `explain` text) ---------------------------------------------------------

def test_rules_are_documented_and_their_examples_behave():
    rules = plugin.ethicslint_rules()
    assert [r.code for r in rules] == ["GRN101", "GRN102", "GRN201", "GRN301", "GRN401", "GRN501", "GRN601",
                                       "GRN602", "GRN603"]
    for rule in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name) and rule.checker == "green-claims"
        assert rule.languages == ("en", "fr") and rule.severity is Severity.WARNING
        for name in ("summary", "why", "example", "use_instead", "fix"):
            assert len(getattr(rule, name)) > 20, (rule.code, name)
        assert re.search(r"Annex I point|art\. \d|L\d{3}-\d", rule.why), rule.code  # cites a provision
        assert rule.references
        assert rule.code in codes(rule.example, "en"), rule.code
        assert codes(rule.use_instead, "en") == set(), rule.code


# --- the examples folder ------------------------------------------------------------------------

EXAMPLES = ROOT / "examples" / "green-claims"
_EXPECTED = re.compile(r"(?:Expected|Attendu)\s*:\s*(?P<what>[^.\n]+)")


def _announced(text: str) -> set[str]:
    match = _EXPECTED.search(text)
    return set(re.findall(r"GRN\d{3}", match.group("what"))) if match else set()


@pytest.mark.parametrize("path", sorted(p for p in EXAMPLES.rglob("*.md") if p.name != "README.md"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_examples_produce_what_they_announce(path):
    text = path.read_text(encoding="utf-8")
    announced = _announced(text)
    assert announced or re.search(r"no finding|aucun signalement", text), path.name
    assert codes(text, path.parent.name, fmt="markdown", path=str(path.relative_to(ROOT))) == announced


def test_examples_cover_every_rule_in_both_languages_and_the_article_stays_clean():
    for lang in ("en", "fr"):
        covered = set().union(*(_announced(p.read_text(encoding="utf-8")) for p in (EXAMPLES / lang).glob("*.md")))
        assert covered == set(plugin.RULES), lang
    article = ROOT / "examples" / "blog" / "greenwashing-2026.md"
    assert codes(article.read_text(encoding="utf-8"), "fr", fmt="markdown",
                 path=str(article.relative_to(ROOT))) == set()
    # even read as selling copy, the article only quotes and discusses the claims
    assert codes(article.read_text(encoding="utf-8"), "fr", fmt="markdown", path="pages/article.md") == set()
