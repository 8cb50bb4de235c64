"""A generated bilingual copy repo for the benchmark: deterministic, realistic in shape.

``generate(root, scale)`` writes ``400 * scale`` Markdown pages (about 350 words each, so about
140 k words at scale 1), alternating English and French, the way a marketing team's repo looks:
front matter, headings, paragraphs, bullet lists, links, an occasional code fence or quotation,
and now and then a sentence that a checker should look at (a vague deadline, an undisclosed AI
persona, a gendered generic, a data-use promise). Same seed, same bytes: two runs of the
benchmark lint exactly the same text.
"""

from __future__ import annotations

import random
from pathlib import Path

PAGES_PER_SCALE = 400
SEED = 20260601

# --- English -------------------------------------------------------------------------------

EN = {
    "product": ["linen shirt", "travel mug", "reading lamp", "wool blanket", "espresso grinder",
                "standing desk", "trail runner", "rain jacket", "cast-iron pan", "backpack",
                "notebook", "desk chair", "water bottle", "bike light", "yoga mat", "tea kettle",
                "phone case", "duvet cover", "kitchen scale", "garden hose", "analytics plan",
                "team workspace", "photo course", "language app", "budget planner"],
    "adj": ["durable", "lightweight", "practical", "quiet", "simple", "sturdy", "warm", "compact",
            "washable", "repairable", "modular", "affordable", "comfortable", "reliable", "clear",
            "well-made", "hand-finished", "recycled", "organic", "breathable"],
    "material": ["European flax", "recycled aluminium", "organic cotton", "beech wood", "merino wool",
                 "stainless steel", "cork", "ceramic", "bamboo fibre", "waxed canvas"],
    "feature": ["a lifetime repair service", "free returns within 30 days", "a two-year warranty",
                "carbon-neutral delivery", "spare parts sold separately", "a printed care guide",
                "plastic-free packaging", "a size guide with real measurements", "keyboard shortcuts",
                "offline mode", "exports to CSV", "a shared calendar", "single sign-on"],
    "verb": ["keeps", "makes", "helps", "lets", "brings", "gives"],
    "who": ["your team", "new customers", "busy parents", "students", "small studios", "hikers",
            "home cooks", "remote workers", "our members", "everyone on the list"],
    "place": ["Lisbon", "Lyon", "Leeds", "Porto", "Ghent", "our Bristol workshop", "a family mill in Flanders",
              "Portland", "Montreal", "the Jura"],
    "time": ["in March", "every spring", "since 2014", "this season", "each autumn", "on weekdays",
             "twice a year", "after the first wash", "within two days", "by the end of the month"],
    "number": ["3", "12", "40", "250", "1,200", "30", "5", "18", "90", "7"],
}

EN_SENTENCES = [
    "Our {adj} {product} is made from {material} and {verb} {who} comfortable {time}.",
    "Each {product} comes with {feature}, and we ship it from {place}.",
    "We designed the {product} with {who} in mind: {adj}, {adj2} and easy to care for.",
    "The {product} weighs less than {number} kilograms and folds flat for storage.",
    "{who_cap} told us what they needed, so the new {product} now includes {feature}.",
    "Wash the {product} at 30 degrees and let it dry flat; it softens {time}.",
    "Read the full specification below, or write to our support team with any question.",
    "Prices include VAT and delivery to the United Kingdom, France and Belgium.",
    "We publish the names of our {number} suppliers and visit each of them {time}.",
    "If the {product} does not fit, send it back and we refund you {time}.",
    "The {adj} finish is applied by hand in {place}, which is why no two pieces look alike.",
    "Our customer service answers {time}, usually within a few hours.",
    "You can pay by card, bank transfer or in three instalments at no extra cost.",
    "A {adj} {product} should last for years, so we sell spare parts for every model.",
    "The {product} is available in {number} colours and in sizes from XS to XXL.",
    "Compared with last year's model, the {product} uses {number} percent less plastic.",
    "See the [care guide](https://example.com/care) for washing and repair instructions.",
    "Our workshop in {place} employs {number} people and trains two apprentices {time}.",
]

EN_CANDIDATES = [
    "Hurry, this offer ends tonight!",
    "Only 2 left in stock, order now.",
    "Limited-time offer: free engraving on every {product}.",
    "Last chance to get the {product} at this price.",
    "23 people are looking at this {product} right now.",
    "No thanks, I don't like saving money.",
    "Chat with Emma, our friendly assistant, any time of day.",
    "Every chairman knows that a good {product} pays for itself.",
    "Your data is 100% secure with us and will never be shared.",
    "We are fully GDPR certified.",
    "Selling fast: the {product} is flying off the shelves.",
    "Ask any housewife: the {product} saves time in the kitchen.",
]

EN_HEADINGS = ["Why we made the {product}", "What is inside", "Care and repair", "Delivery and returns",
               "Questions we hear often", "Who makes it", "Technical details", "From our workshop"]

# --- French --------------------------------------------------------------------------------

FR = {
    "product": ["chemise en lin", "tasse de voyage", "lampe de lecture", "couverture en laine",
                "moulin à café", "bureau assis-debout", "chaussure de trail", "veste de pluie",
                "poêle en fonte", "sac à dos", "carnet", "chaise de bureau", "gourde", "lampe de vélo",
                "tapis de yoga", "bouilloire", "coque de téléphone", "housse de couette",
                "balance de cuisine", "application de langues", "formation photo", "espace d'équipe"],
    "adj": ["durable", "léger", "pratique", "silencieux", "simple", "solide", "chaud", "compact",
            "lavable", "réparable", "modulaire", "abordable", "confortable", "fiable", "sobre",
            "bien fini", "fait main", "recyclé", "biologique", "respirant"],
    "material": ["lin européen", "aluminium recyclé", "coton biologique", "bois de hêtre",
                 "laine mérinos", "acier inoxydable", "liège", "céramique", "fibre de bambou",
                 "toile cirée"],
    "feature": ["un service de réparation à vie", "des retours gratuits sous 30 jours",
                "une garantie de deux ans", "une livraison neutre en carbone",
                "des pièces détachées vendues séparément", "un guide d'entretien imprimé",
                "un emballage sans plastique", "un guide des tailles avec de vraies mesures",
                "des raccourcis clavier", "un mode hors ligne", "des exports au format CSV",
                "un calendrier partagé", "l'authentification unique"],
    "verb": ["accompagne", "aide", "permet à", "facilite la vie à", "simplifie le quotidien de"],
    "who": ["votre équipe", "les nouveaux clients", "les parents pressés", "les étudiants",
            "les petits ateliers", "les randonneurs", "les cuisiniers amateurs", "les télétravailleurs",
            "nos adhérents", "toute la communauté"],
    "place": ["Lyon", "Roubaix", "Nantes", "Annecy", "Bruxelles", "notre atelier de Besançon",
              "une filature familiale des Vosges", "Montréal", "Genève", "le Jura"],
    "time": ["en mars", "chaque printemps", "depuis 2014", "cette saison", "chaque automne",
             "en semaine", "deux fois par an", "après le premier lavage", "sous deux jours",
             "avant la fin du mois"],
    "number": ["3", "12", "40", "250", "1 200", "30", "5", "18", "90", "7"],
}

FR_SENTENCES = [
    "Notre {product} {adj} est fabriqué en {material} et {verb} {who} {time}.",
    "Chaque {product} est livré avec {feature}, et nous l'expédions depuis {place}.",
    "Nous avons conçu ce produit pour {who} : {adj}, {adj2} et facile à entretenir.",
    "Le produit pèse moins de {number} kilogrammes et se replie à plat pour le rangement.",
    "{who_cap} nous ont dit ce dont ils avaient besoin ; la nouvelle version inclut donc {feature}.",
    "Lavez-le à 30 degrés et laissez-le sécher à plat : il s'assouplit {time}.",
    "Lisez la fiche technique complète ci-dessous, ou écrivez à notre service client.",
    "Les prix incluent la TVA et la livraison en France, en Belgique et en Suisse.",
    "Nous publions le nom de nos {number} fournisseurs et leur rendons visite {time}.",
    "Si la taille ne convient pas, renvoyez-le : nous vous remboursons {time}.",
    "La finition est appliquée à la main à {place}, c'est pourquoi aucune pièce n'est identique.",
    "Notre service client répond {time}, en général en quelques heures.",
    "Vous pouvez payer par carte, par virement ou en trois fois sans frais.",
    "Un objet bien conçu doit durer des années : nous vendons des pièces détachées pour chaque modèle.",
    "Le modèle existe en {number} coloris et en tailles du XS au XXL.",
    "Par rapport au modèle de l'an dernier, il utilise {number} % de plastique en moins.",
    "Consultez le [guide d'entretien](https://example.com/fr/entretien) pour le lavage et la réparation.",
    "Notre atelier de {place} emploie {number} personnes et forme deux apprentis {time}.",
    "Aujourd'hui, c'est-à-dire dès maintenant, le porte-monnaie et l'arc-en-ciel sont en rayon.",
]

FR_CANDIDATES = [
    "Vite, l'offre se termine ce soir !",
    "Plus que 3 en stock, commandez maintenant.",
    "Dernière chance pour profiter de ce prix.",
    "12 personnes consultent cet article en ce moment.",
    "Non merci, je préfère payer plein tarif.",
    "Discutez avec Léa, notre conseillère, à toute heure.",
    "Tout bon chef d'entreprise sait reconnaître un produit bien fait.",
    "Vos données sont 100 % sécurisées et ne seront jamais partagées.",
    "Nous sommes certifiés RGPD.",
    "Victime de son succès : le produit part très vite.",
    "Dépêchez-vous, les stocks sont limités !",
    "Demandez à n'importe quelle ménagère : ce produit fait gagner du temps.",
]

FR_HEADINGS = ["Pourquoi nous l'avons conçu", "Ce qu'il contient", "Entretien et réparation",
               "Livraison et retours", "Questions fréquentes", "Qui le fabrique", "Détails techniques",
               "Depuis notre atelier"]

LANGS = {"en": (EN, EN_SENTENCES, EN_CANDIDATES, EN_HEADINGS),
         "fr": (FR, FR_SENTENCES, FR_CANDIDATES, FR_HEADINGS)}

CANDIDATE_RATE = 0.04  # share of sentences drawn from the candidate list


def _fill(template: str, words: dict[str, list[str]], rng: random.Random) -> str:
    who = rng.choice(words["who"])
    values = {key: rng.choice(options) for key, options in words.items()}
    values["adj2"] = rng.choice(words["adj"])
    values["who"] = who
    values["who_cap"] = who[0].upper() + who[1:]
    return template.format(**values)


def _sentence(lang: str, rng: random.Random) -> str:
    words, sentences, candidates, _ = LANGS[lang]
    pool = candidates if rng.random() < CANDIDATE_RATE else sentences
    return _fill(rng.choice(pool), words, rng)


def _paragraph(lang: str, rng: random.Random) -> str:
    return " ".join(_sentence(lang, rng) for _ in range(rng.randint(3, 6)))


def page(index: int, lang: str, rng: random.Random) -> str:
    """One Markdown page of about 350 words."""
    words, _, _, headings = LANGS[lang]
    product = rng.choice(words["product"])
    title = product[0].upper() + product[1:]
    parts = ["---", f"title: {title} {index}", f"lang: {lang}" if rng.random() < 0.5 else "draft: false",
             "---", "", f"# {title}", ""]
    target = rng.randint(260, 350)
    count = 0
    while count < target:
        roll = rng.random()
        if roll < 0.15:
            block = f"## {_fill(rng.choice(headings), words, rng)}"
        elif roll < 0.27:
            block = "\n".join(f"- {_sentence(lang, rng)}" for _ in range(rng.randint(2, 4)))
        elif roll < 0.30:
            block = "```sh\ncurl -s https://api.example.com/v1/orders | jq '.[] | .id'\n```"
        elif roll < 0.33:
            block = f"> {_sentence(lang, rng)}"
        else:
            block = _paragraph(lang, rng)
        parts += [block, ""]
        count += len(block.split())
    return "\n".join(parts)


def generate(root: Path, scale: int = 1, pages_per_scale: int = PAGES_PER_SCALE) -> tuple[list[Path], int]:
    """Write the corpus under ``root`` (emptied first); return the files and their word count."""
    rng = random.Random(SEED)
    root.mkdir(parents=True, exist_ok=True)
    for old in sorted(root.rglob("*.md")):
        old.unlink()
    files: list[Path] = []
    words = 0
    for index in range(pages_per_scale * scale):
        lang = "en" if index % 2 == 0 else "fr"
        section = ("products", "blog", "help", "landing")[index % 4]
        path = root / lang / section / f"page-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = page(index, lang, rng)
        path.write_text(text, encoding="utf-8")
        files.append(path)
        words += len(text.split())
    return files, words


if __name__ == "__main__":  # pragma: no cover - a quick look: python benchmarks/corpus.py DIR
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-corpus")
    found, total = generate(out, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    print(f"{len(found)} files, {total} words in {out}")
