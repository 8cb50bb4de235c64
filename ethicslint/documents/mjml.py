"""MJML e-mails: the HTML reader with MJML's elements, so positions stay exact.

MJML is the markup many teams write e-mails in. Its prose sits in ``<mj-text>`` (HTML inside),
``<mj-button>``, ``<mj-navbar-link>``, ``<mj-social-element>``, ``<mj-accordion-title|text>``,
``<mj-table>`` and ``<mj-raw>``; the head's ``<mj-title>`` and ``<mj-preview>`` (the inbox preview
line) are copy too; ``alt`` and ``title`` attributes (``<mj-image alt="…">``) are read as in
HTML; ``<mj-image src>`` and ``<mj-carousel-image src>`` are images the e-mail shows. ``<mj-style>``, ``<mj-attributes>`` and other head settings are not prose. ``<mjml lang>``
declares the language.
"""

from __future__ import annotations

from ..model import Document
from .html import BLOCKS, IMAGE_ATTRIBUTES, KINDS, SKIPPED, VOID, _Reader, read_with
from .result import Problem

MJML_BLOCKS = frozenset({
    "mjml", "mj-head", "mj-body", "mj-wrapper", "mj-section", "mj-column", "mj-group", "mj-hero",
    "mj-text", "mj-button", "mj-image", "mj-divider", "mj-spacer", "mj-table", "mj-raw", "mj-title",
    "mj-preview", "mj-navbar", "mj-navbar-link", "mj-social", "mj-social-element", "mj-accordion",
    "mj-accordion-element", "mj-accordion-title", "mj-accordion-text", "mj-carousel", "mj-carousel-image",
})
MJML_KINDS = {"mj-button": "button", "mj-title": "title", "mj-preview": "meta", "mj-navbar-link": "link",
              "mj-social-element": "link", "mj-accordion-title": "heading"}
MJML_SKIPPED = frozenset({"mj-style", "mj-attributes", "mj-font", "mj-breakpoint", "mj-html-attributes"})
MJML_VOID = frozenset({"mj-image", "mj-divider", "mj-spacer", "mj-include", "mj-font", "mj-breakpoint",
                       "mj-carousel-image", "mj-all", "mj-class"})

MJML_IMAGES = {"mj-image": (("src", "mj-image"),), "mj-carousel-image": (("src", "mj-image"),)}


class _MjmlReader(_Reader):
    root = "mjml"
    blocks = BLOCKS | MJML_BLOCKS
    segment_kinds = {**KINDS, **MJML_KINDS}
    skipped = SKIPPED | MJML_SKIPPED
    void = VOID | MJML_VOID
    image_attributes = {**IMAGE_ATTRIBUTES, **MJML_IMAGES}


def read(document: Document) -> list[Problem]:
    return read_with(document, _MjmlReader)
