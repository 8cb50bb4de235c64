"""The compact French token-match pattern tokenizes real French text exactly like spaCy's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ethicslint import nlp
from ethicslint.fast_french import cheap_letter_classes

STOCK_TOKENIZER = """
import json, sys, spacy
nlp = spacy.blank("fr")
texts = json.load(sys.stdin)
json.dump([[t.text for t in nlp.make_doc(text)] for text in texts], sys.stdout)
"""


def _french_texts(shared: Path, repo: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds-fr").glob("*.txt"))]
    for corpus in sorted((repo / "tests" / "corpus").glob("*/fr.jsonl")):
        texts += [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    texts.append("Aujourd'hui, c'est-à-dire maintenant : porte-monnaie anti-âge, arc-en-ciel, "
                 "pet-en-l'air, entr'ouvert, Saint-Étienne, week-end, RENDEZ-VOUS, New-York, peut-être.")
    return texts


def test_same_tokens_as_spacy_on_real_french(shared_corpus: Path, repo_root: Path):
    texts = _french_texts(shared_corpus, repo_root)
    assert sum(len(t.split()) for t in texts) > 5000  # a large text, not a toy sample
    stock = subprocess.run([sys.executable, "-c", STOCK_TOKENIZER], input=json.dumps(texts),
                           capture_output=True, text=True, check=True)
    expected = json.loads(stock.stdout)
    nlp.detect_language("le la les des une")  # imports spacy.lang.fr the way a run does
    tokenizer = nlp.cheap_pipeline("fr").tokenizer
    assert len(tokenizer.token_match.__self__.pattern) < 100_000  # the compact pattern is in use
    ours = [[t.text for t in tokenizer(text)] for text in texts]
    mismatches = [(i, a, b) for i, (a, b) in enumerate(zip(expected, ours)) if a != b]
    assert not mismatches, mismatches[:3]


def test_rewrite_only_touches_the_letter_classes():
    alpha, lower = "A-Za-zÀ-ÿ", "a-zà-ÿ"
    pattern = f"(?iu)^anti[-–][{lower}][-'{lower}]*$|^x[{alpha}]+$|^[0-9]+$"
    assert cheap_letter_classes(pattern, alpha, lower) == \
        r"(?iu)^anti[-–][^\W\d_](?:[-']|[^\W\d_])*$|^x[^\W\d_]+$|^[0-9]+$"
