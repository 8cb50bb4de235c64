"""Generated ad variants for ``ethicslint batch``: deterministic rows shaped like the output of a
generative campaign tool — one short variant (about 60 words: a subject line and three or four
sentences) per audience segment, English and French alternating.

``rows(count)`` yields plain dicts (``id``, ``text``, ``language``, ``kind``, ``ai_generated``,
``segment``); about :data:`PROBLEM_RATE` of them carry one sentence a checker should flag (fake
urgency, a persona that does not say it is an AI, creepy personalisation, a gendered generic, an
unbacked data promise). Variants declared ``ai_generated`` say so in their text, but for a few
(:data:`UNDISCLOSED_RATE`). Some variants are testimonials that state who speaks, so the diversity
checker's representation-gap check has something to count across the batch. Same seed, same
rows. The sentences and vocabulary are the benchmark corpus's own (:mod:`corpus`), plus the
variant-specific lines below, written for this project.

Used by ``benchmarks/batch.py``, the batch tests and ``scripts/make_batch_example.py``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus import LANGS, _fill

SEED = 20261207
PROBLEM_RATE = 0.04
SEGMENTS = ("new-customers", "returning", "students", "parents", "remote-workers", "hikers", "cooks")

SUBJECTS = {
    "en": ["New: the {product} you asked for", "{who_cap} love the {adj} {product}",
           "Meet the {product}, made in {place}", "Your guide to the {product}",
           "Why {who} choose the {product}"],
    "fr": ["Nouveau : {product} {adj}", "{who_cap} adorent notre {product}",
           "Découvrez notre {product}, fabriqué à {place}", "Tout savoir sur notre {product}",
           "Pourquoi {who} choisissent notre {product}"],
}

TESTIMONIALS = {
    "en": ["\"She uses the {product} every day,\" says Mrs Carter, a mother of two from {place}.",
           "\"I bought one for my wife and she loves it,\" writes Mr Okafor, 61.",
           "\"My daughter took it hiking and she has not complained once,\" says a customer from {place}."],
    "fr": ["« Ma fille l'utilise tous les jours », raconte Mme Martin, cliente à {place}.",
           "« J'en ai offert un à ma mère, elle l'adore », écrit M. Dubois, 58 ans.",
           "« Une vraie réussite », selon une cliente de {place}, mère de trois enfants."],
}

PROBLEMS = {
    "en": ["Hurry, this offer ends tonight!", "Only 2 left in stock, order now.",
           "Hi, we saw you were looking at the {product} yesterday at 14:23, still thinking about it?",
           "Chat with Emma, our friendly assistant, any time of day.",
           "Your data is 100% secure with us and will never be shared.",
           "Ask any housewife: the {product} saves time in the kitchen."],
    "fr": ["Vite, l'offre se termine ce soir !", "Plus que 3 en stock, commandez maintenant.",
           "Salut, on a vu que tu regardais notre {product} hier à 14h23, tu hésites encore ?",
           "Discutez avec Léa, notre conseillère, à toute heure.",
           "Vos données sont 100 % sécurisées et ne seront jamais partagées.",
           "Dépêchez-vous, les stocks sont limités !"],
}

DISCLOSURES = {"en": "This message was generated with AI.", "fr": "Contenu généré par IA."}

TESTIMONIAL_RATE = 0.02
AI_RATE = 0.3  # variants declared ai_generated; all but UNDISCLOSED_RATE of them say so in the text
UNDISCLOSED_RATE = 0.02


def variant(index: int, rng: random.Random) -> dict[str, Any]:
    """One variant: a subject line and sentences of the corpus, about 60 words."""
    lang = "en" if index % 2 == 0 else "fr"
    words, sentences, _, _ = LANGS[lang]
    parts = [_fill(rng.choice(SUBJECTS[lang]), words, rng) + "."]
    while sum(len(p.split()) for p in parts) < rng.randint(50, 66):
        parts.append(_fill(rng.choice(sentences), words, rng))
    if rng.random() < TESTIMONIAL_RATE:
        parts.insert(2, _fill(rng.choice(TESTIMONIALS[lang]), words, rng))
    if rng.random() < PROBLEM_RATE:
        parts.insert(rng.randint(1, len(parts)), _fill(rng.choice(PROBLEMS[lang]), words, rng))
    ai_generated = rng.random() < AI_RATE
    if ai_generated and rng.random() >= UNDISCLOSED_RATE:
        parts.append(DISCLOSURES[lang])
    return {"id": f"v{index + 1:07d}", "text": " ".join(parts), "language": lang, "kind": "promotional",
            "ai_generated": ai_generated, "segment": rng.choice(SEGMENTS)}


def rows(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """``count`` variants, always the same for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        yield variant(index, rng)


def write_jsonl(path: Path, count: int, seed: int = SEED) -> int:
    """Write ``count`` variants to ``path`` as JSON Lines; the number of words written."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows(count, seed):
            words += len(row["text"].split())
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words


if __name__ == "__main__":  # pragma: no cover - a quick look: python benchmarks/variants.py OUT.jsonl 1000
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "variants.jsonl")
    total = write_jsonl(out, int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    print(f"wrote {out}: {total} words")
