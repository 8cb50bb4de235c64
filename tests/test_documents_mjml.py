"""MJML e-mails: prose from mj-text, mj-button, mj-preview and alt attributes, exact positions."""

from __future__ import annotations

from ethicslint.documents import format_for, read_text
from pathlib import Path

SOURCE = """<mjml lang="fr">
  <mj-head>
    <mj-title>Soldes d'hiver</mj-title>
    <mj-preview>Plus que 2 jours</mj-preview>
    <mj-attributes><mj-all font-family="Arial" /></mj-attributes>
    <mj-style>.x { color: red; }</mj-style>
  </mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-image src="a.png" alt="Une femme sourit" />
      <mj-text>Bonjour <b>Léa</b>,<br/>vite, l'offre se termine ce soir&nbsp;!</mj-text>
      <mj-button href="#">J'en profite</mj-button>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""


def test_mjml_is_a_known_format() -> None:
    assert format_for(Path("emails/welcome.mjml")) == "mjml"


def test_prose_segments_and_kinds() -> None:
    document = read_text(SOURCE, "promo.mjml", "mjml").document
    assert document.lang == "fr"
    texts = [(s.text, s.kind) for s in document.segments]
    assert texts == [("Soldes d'hiver", "title"), ("Plus que 2 jours", "meta"), ("Une femme sourit", "alt"),
                     ("Bonjour Léa,", "paragraph"), ("vite, l'offre se termine ce soir\u00a0!", "paragraph"),
                     ("J'en profite", "button")]


def test_every_word_maps_to_its_source_position() -> None:
    document = read_text(SOURCE, "promo.mjml", "mjml").document
    for segment in document.segments:
        for word in ("jours", "sourit", "Léa", "termine", "profite"):
            at = segment.text.find(word)
            if at >= 0:
                offset = segment.source_offset(at)
                assert SOURCE[offset:offset + len(word)] == word
