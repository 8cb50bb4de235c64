"""Language choice, the cheap tier, term matching and shared context cues."""

from __future__ import annotations

import pytest

from ethicslint import context, nlp
from ethicslint.analysis import analyze, analyze_text, choose_language
from ethicslint.matching import TermMatcher, TermsError, parse_terms, terms_for_language
from ethicslint.model import Document, SegmentBuilder


@pytest.mark.parametrize("text, expected", [
    ("Hurry, the offer ends tonight and there are only two left", "en"),
    ("Dépêchez-vous, l'offre se termine ce soir et il n'en reste que deux", "fr"),
    ("Buy now", None),
    ("12 €", None),
])
def test_detect_language(text, expected):
    assert nlp.detect_language(text) == expected


@pytest.mark.parametrize("tag, expected", [("fr-FR", "fr"), ("en_GB", "en"), ("French", "fr"), ("de", None), (3, None)])
def test_normalize_language_tag(tag, expected):
    assert nlp.normalize_language_tag(tag) == expected


def _document(paragraphs: list[str], lang: str | None = None) -> Document:
    segments, offset, source = [], 0, "\n\n".join(paragraphs)
    for text in paragraphs:
        builder = SegmentBuilder()
        builder.add(text, offset)
        segments.append(builder.build())
        offset += len(text) + 2
    return Document(path="x.txt", format="text", source=source, segments=segments, lang=lang)


def test_mixed_document_gets_a_language_per_paragraph():
    doc = _document(["This spring we are launching a new range of soaps for the whole family.",
                     "Ce printemps, nous lançons une nouvelle gamme de savons pour toute la famille.",
                     "And they are made with care in our workshop, with the best of ingredients."])
    main, langs = choose_language(doc)
    assert main == "en" and langs == ["en", "fr", "en"]


def test_declared_and_configured_language_win_over_detection():
    doc = _document(["Newsletter", "Black Friday 2026", "Code promo WELCOME10"], lang="fr-FR")
    assert choose_language(doc) == ("fr", ["fr", "fr", "fr"])
    assert choose_language(doc, configured="en") == ("en", ["en", "en", "en"])
    # a long, clearly English paragraph in a French-declared page is still read as English
    mixed = _document(["This text is in English, as anyone can see from the words."], lang="fr-FR")
    assert choose_language(mixed) == ("fr", ["en"])


def test_cheap_tier_lemmas_are_lowercase_and_offsets_are_kept():
    analyzed = analyze_text("HURRY! Offers ENDING tonight\u00a0!")
    seg = analyzed.segments[0]
    assert [t.lemma_ for t in seg.doc][:5] == ["hurry", "!", "offer", "end", "tonight"]
    assert len(seg.doc.text) == len(seg.text)  # the nbsp was replaced one for one


def test_term_matcher_phrases_lemmas_and_patterns():
    table = parse_terms({
        "deadline": {"phrases": ["ends tonight"], "lemmas": ["hurry up"]},
        "stock": {"patterns": [[{"LOWER": "only"}, {"LIKE_NUM": True}, {"LOWER": "left"}]]},
    }, "test")
    matcher = TermMatcher(table, "en")
    doc = analyze_text("Hurrying up? It ENDS TONIGHT: only 3 left. Blast chancel ends tonightly.").segments[0].doc
    found = [(m.label, m.span.text) for m in matcher(doc)]
    assert found == [("deadline", "Hurrying up"), ("deadline", "ENDS TONIGHT"), ("stock", "only 3 left")]


def test_terms_are_validated():
    with pytest.raises(TermsError, match=r"\[x\] phrases must be a list"):
        parse_terms({"x": {"phrases": "not a list"}}, "t.toml")
    with pytest.raises(TermsError, match="invalid pattern"):
        TermMatcher(parse_terms({"x": {"patterns": [[{"NOT_AN_ATTR": 1}]]}}, "t.toml"), "en")


def test_typographic_apostrophe_matches_plain_term():
    table = parse_terms({"x": {"phrases": ["jusqu'à minuit"]}}, "t")
    doc = analyze_text("Offre valable jusqu\u2019à minuit seulement.", "fr").segments[0].doc
    assert [m.span.text for m in TermMatcher(table, "fr")(doc)] == ["jusqu'à minuit"]


@pytest.mark.parametrize("text, start_word, lang, negated", [
    ("We do not sell your data.", "sell", "en", True),
    ("No countdown, no pressure.", "countdown", "en", True),
    ("We sell the best soap in town.", "sell", "en", False),
    ("Inscriptions sans date limite.", "date", "fr", True),
    ("Il ne reste plus que 3 articles.", "plus", "fr", False),
    ("Je suis une vraie personne.", "vraie", "fr", False),  # « personne » here is a noun
    ("Nous ne le vendons à personne.", "vendons", "fr", True),
    ("WE DON'T SELL YOUR DATA.", "SELL", "en", True),  # one token in capitals
    ("We dont sell your data.", "sell", "en", True),  # "do" + "nt"
])
def test_negation(text, start_word, lang, negated):
    seg = analyze_text(text, lang).segments[0]
    token = next(t for t in seg.doc if t.text == start_word)
    assert context.is_negated(seg.doc[token.i:token.i + 2], lang) is negated


def test_quotation_and_discussion():
    seg = analyze_text('Dark patterns such as "only 2 left" pressure shoppers.').segments[0]
    start = seg.text.index("only")
    assert context.in_quotation(seg, start, start + 11)
    assert not context.in_quotation(seg, 0, 4)
    assert context.discusses(seg, "en")
    plain = analyze_text("Only 2 left in stock, order today.").segments[0]
    assert not context.discusses(plain, "en")


def test_parse_is_lazy_and_counted():
    analyzed = analyze_text("Plus que 3 articles en stock ! Livraison gratuite.", "fr")
    assert analyzed.stats.parsed_sentences == 0
    seg = analyzed.segments[0]
    first = next(iter(seg.doc.sents))
    parsed = analyzed.parse(first[0:3])
    if nlp.model_available("fr"):
        assert parsed is not None and parsed.text == "Plus que 3" and parsed[2].pos_ == "NUM"
        assert analyzed.stats.parsed_sentences == 1
        analyzed.parse(first[0:2])  # same sentence: cached
        assert analyzed.stats.parsed_sentences == 1
    else:
        assert parsed is None


@pytest.mark.parametrize("text, lang, expected", [
    ("Perks such as free shipping, only while stocks last.", "en", False),  # marker, no quotation
    ('Dark patterns pressure shoppers.', "en", True),  # strong cue
    ('Avoid copy such as "only 2 left".', "en", True),  # marker + quotation
    ("Comme vous étiez à l'aéroport, voici nos offres.", "fr", False),
    ("Des mentions comme « plus que 2 en stock » sont trompeuses.", "fr", True),
    ("Validé par la CNIL et certifié.", "fr", False),  # regulators are cited by copy too
])
def test_discussion_cues(text, lang, expected):
    assert context.discusses(analyze_text(text, lang).segments[0], lang) is expected


def test_discussion_cue_inside_the_claim_is_excluded():
    seg = analyze_text("Nothing misleading: it is 100% secure.").segments[0]
    assert context.discusses(seg, "en")
    assert not context.discusses(seg, "en", exclude=(0, len(seg.text)))


@pytest.mark.parametrize("text, word, quoted", [
    ("Say 'chair', not the old title.", "chair", True),
    ("Say \u2018chair\u2019 instead.", "chair", True),
    ("Don't call the chair a boss.", "chair", False),  # an apostrophe opens nothing
    ("The guys' jackets and the chair.", "chair", False),  # a possessive closes nothing
    ("Il a dit « vite » deux fois.", "vite", True),
])
def test_in_quotation_pairs_single_and_double_quotes(text, word, quoted):
    seg = analyze_text(text).segments[0]
    start = seg.text.index(word)
    assert context.in_quotation(seg, start, start + len(word)) is quoted


def test_extra_terms_for_one_language_merge_shared_and_own_entries():
    extra = {"URG202": {"phrases": ["shared"]}, "fr": {"URG202": {"phrases": ["à moi"]}, "URG101": {}},
             "en": {"URG103": {}}}
    assert terms_for_language(extra, "fr") == {"URG202": {"phrases": ["à moi"]}, "URG101": {}}
    assert terms_for_language(extra, "en") == {"URG202": {"phrases": ["shared"]}, "URG103": {}}
    assert terms_for_language({"URG101": {}}, "fr") == {"URG101": {}}
    assert terms_for_language(None, "en") == {} and terms_for_language({"fr": "not a table"}, "fr") == {}


def test_sentence_starts_are_those_of_doc_sents():
    from ethicslint.analysis import analyze_text
    from ethicslint.matching import sentence_starts

    text = "Hurry! Only 3 left. Offer ends tonight… or not? « Vite ! » he said. Done"
    for lang in ("en", "fr"):
        doc = analyze_text(text, lang).segments[0].doc
        assert sentence_starts(doc) == [s.start for s in doc.sents]
        assert len(sentence_starts(doc)) > 3


def test_sentence_of_is_the_sentence_spacy_gives_each_token():
    from ethicslint.analysis import analyze_text
    from ethicslint.matching import sentence_of

    text = "Hurry! Only 3 left. Offer ends tonight… or not? « Vite ! » he said. Done"
    for lang in ("en", "fr"):
        doc = analyze_text(text, lang).segments[0].doc
        sentences = list(doc.sents)
        for token in doc:
            index, start, end = sentence_of(doc, token.i)
            assert (start, end) == (token.sent.start, token.sent.end)
            assert sentences[index].start == start
