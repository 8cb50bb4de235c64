"""Copy kinds and path languages: decided from config, front matter and path words; rules run only
on the kinds they declare, and `explain` shows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint.cli import main
from ethicslint.config import ConfigError, load_config
from ethicslint.documents import read_text
from ethicslint.kinds import KINDS, assign_kinds, document_kind, kind_from_path, kind_of_string
from ethicslint.language_hints import language_from_path


@pytest.mark.parametrize(("path", "fmt", "kind"), [
    ("emails/transactional/password-reset.html", "html", "transactional"),
    ("emails/newsletter/march.html", "html", "promotional"),
    ("emails/welcome.html", "html", "transactional"),  # a weak word, nothing stronger
    ("careers/backend-engineer.md", "markdown", "recruitment"),
    ("texts/jobs/posts/jobs-post-01-fr.md", "markdown", "recruitment"),  # recruitment beats editorial
    ("legal/mentions-légales.md", "markdown", "legal"),
    ("blog/2024/launch.md", "markdown", "editorial"),
    # in one part the longest phrase wins: a press release is the company announcing itself
    ("blog/pages/press-release-new-app.html", "html", "promotional"),
    ("actualites/communique-de-presse-lancement.md", "markdown", "promotional"),
    ("press/coverage-2025.md", "markdown", "editorial"),
    ("press-kit/brand.md", "markdown", "editorial"),
    ("config/locales/fr.yml", "yaml", "ui-strings"),
    ("src/components/home/Home_fr.json", "json", "ui-strings"),  # a catalogue, whatever screen
    ("pages/index.md", "markdown", "promotional"),  # no word: every rule applies
    ("data/products.yml", "yaml", "promotional"),  # structured, but not a catalogue
])
def test_kind_from_path(path: str, fmt: str, kind: str) -> None:
    assert kind_from_path(path, fmt) == kind


def test_catalogue_strings_take_a_kind_from_their_key_or_references() -> None:
    assert kind_of_string("mailer.order_confirmation.subject", None) == "transactional"
    assert kind_of_string("checkout.legal.terms_of_service", None) == "legal"
    assert kind_of_string("products.title", None) is None
    assert kind_of_string(None, "packages/email/templates/reset-password.tsx:12") == "transactional"


def test_config_globs_then_front_matter_then_path(tmp_path: Path) -> None:
    globs = {"campaigns/**": "promotional", "campaigns/receipts/*": "transactional"}
    assert document_kind("campaigns/receipts/a.md", "markdown", {}, globs, Path.cwd()) == "transactional"
    assert document_kind("campaigns/x.md", "markdown", {"kind": "legal"}, globs, Path.cwd()) == "promotional"
    assert document_kind("notes/x.md", "markdown", {"kind": "Legal"}, {}, Path.cwd()) == "legal"
    assert document_kind("notes/x.md", "markdown", {"kind": "nonsense"}, {}, Path.cwd()) == "promotional"


def test_config_kinds_are_validated(tmp_path: Path) -> None:
    good = tmp_path / ".ethicslint.toml"
    good.write_text('[kinds]\n"emails/**" = "transactional"\n')
    assert load_config(good).kinds == {"emails/**": "transactional"}
    good.write_text('[kinds]\n"emails/**" = "marketing"\n')
    with pytest.raises(ConfigError, match=r"\[kinds\] 'emails/\*\*' must be one of promotional"):
        load_config(good)


def test_segments_of_a_catalogue_get_their_own_kind() -> None:
    source = "fr:\n  mailer:\n    reset: Votre lien expire dans 24 heures\n  shop:\n    title: Boutique\n"
    document = read_text(source, "config/locales/fr.yml", "yaml").document
    assign_kinds(document, {}, Path.cwd())
    assert document.copy_kind == "ui-strings"
    assert [s.copy_kind for s in document.segments] == ["transactional", "ui-strings"]


@pytest.mark.parametrize(("path", "lang"), [
    ("locales/fr.json", "fr"), ("config/locales/en-GB.yml", "en"), ("lang/fr/texts/about.html", "fr"),
    ("www/translations/messages.fr.json", "fr"), ("components/Home/Home_fr.json", "fr"),
    ("texts/landing/catchphrase-fr.md", "fr"), ("locale/fr_FR/LC_MESSAGES/django.po", "fr"),
    ("content/index.fr.md", "fr"), ("docs/frontend.md", None), ("src/open.md", None),
    ("de/index.md", None),
])
def test_language_from_path(path: str, lang: str | None) -> None:
    assert language_from_path(path) == lang


def test_metadata_beats_the_path_and_the_path_beats_detection() -> None:
    assert read_text("Vite !", "fr/promo.md", "markdown").document.lang == "fr"
    assert read_text("---\nlang: en\n---\nHurry!", "fr/promo.md", "markdown").document.lang == "en"


def _check(tmp_path: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--no-server", "--format", "concise", str(tmp_path)])
    return result.output


def test_a_short_french_string_in_a_french_catalogue_is_read_as_french(tmp_path: Path) -> None:
    output = _check(tmp_path, {"locales/fr.json": '{"promo": "Vite, plus que 2 en stock !"}'})
    assert "URG201" in output


def test_rules_skip_kinds_they_do_not_declare(tmp_path: Path) -> None:
    text = "---\ntitle: x\n---\nThis offer ends tonight, so order now.\n"
    promo = _check(tmp_path / "a", {"promo.md": text})
    assert "URG101" in promo
    as_article = _check(tmp_path / "b", {"promo.md": text.replace("title: x", "title: x\nkind: editorial")})
    assert "URG101" not in as_article
    configured = _check(tmp_path / "c", {"promo.md": text, ".ethicslint.toml": '[kinds]\n"*.md" = "transactional"\n'})
    assert "URG101" not in configured


def test_explain_shows_the_kinds() -> None:
    result = CliRunner().invoke(main, ["explain", "URG101"])
    assert "Applies to: promotional, ui-strings copy; not transactional, editorial, legal, recruitment" in result.output
    result = CliRunner().invoke(main, ["explain", "DAT101"])
    assert "Applies to: every kind of copy (" + ", ".join(KINDS) + ")" in result.output
