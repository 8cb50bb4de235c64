"""AID103 end to end: images a page shows, their provenance (XMP DigitalSourceType, signed C2PA
manifests), labels near them, bad assets, and the caches. Every image is made here, by the functions
of ``scripts/provenance_images.py`` (the ones that made the example images)."""

from __future__ import annotations

import json
import os
import struct
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ethicslint import provenance
from ethicslint.assets import resolve
from ethicslint.cli import main
from ethicslint.documents import read_text

pytest.importorskip("PIL")
pytest.importorskip("c2pa")
pytest.importorskip("cryptography")

ROOT = Path(__file__).resolve().parent.parent
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SOURCE_TYPES = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia",
                "digitalCapture", "humanEdits", "compositeSynthetic", "minorHumanEdits", "digitalArt"]
AI_TYPES = {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"}


sys.path.insert(0, str(ROOT / "scripts"))
import provenance_images as images  # noqa: E402 - the functions that made the example images


@pytest.fixture(scope="module")
def signer():
    return images.throwaway_signer


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy repo whose pages are checked from its root, with a fresh provenance cache."""
    (tmp_path / "img").mkdir()
    (tmp_path / ".ethicslint.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(provenance, "_READER", None)
    return tmp_path


def check(*args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", "--format", "json",
                                       "--select", "AID103,EL", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout or "[]")


def page(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- readers: which images a page shows, and where ------------------------------------------------

def test_readers_record_every_image_reference_at_its_source_position():
    markdown = ('---\nhero: img/hero.jpg\ngallery: ["a b.png", notes.txt]\ntitle: x\n---\n'
                'Look ![A *woman*](img/one%20two.png "t") and ![ref][r] and <img src="in.png" alt="y">\n\n'
                '<figure><img src="/b.jpg"><figcaption>c</figcaption></figure>\n\n[r]: <ref pic.png>\n')
    html = ('<p>x</p><img src="a/b.png" srcset="x.png 1x, y.png 2x,w.png"><picture><source srcset="s.webp">'
            '</picture><video poster="/p.jpg"></video>')
    mjml = '<mjml><mj-body><mj-image src="hero.jpg" alt="x"/><mj-carousel-image src="c.png"/></mj-body></mjml>'
    found = {}
    for fmt, text in (("markdown", markdown), ("html", html), ("mjml", mjml)):
        document = read_text(text, "page", fmt).document
        found[fmt] = [(i.origin, i.src, text[i.offset:i.end]) for i in document.images]
    assert found["markdown"] == [
        ("front-matter:hero", "img/hero.jpg", "img/hero.jpg"), ("front-matter:gallery", "a b.png", "a b.png"),
        ("markdown", "img/one%20two.png", "img/one%20two.png"), ("markdown", "ref%20pic.png", "ref"),
        ("img", "in.png", "in.png"), ("img", "/b.jpg", "/b.jpg")]
    assert found["html"] == [("img", "a/b.png", "a/b.png"), ("srcset", "x.png", "x.png"),
                             ("srcset", "y.png", "y.png"), ("srcset", "w.png", "w.png"),
                             ("srcset", "s.webp", "s.webp"), ("poster", "/p.jpg", "/p.jpg")]
    assert found["mjml"] == [("mj-image", "hero.jpg", "hero.jpg"), ("mj-image", "c.png", "c.png")]


def test_resolution_stays_inside_the_root(tmp_path: Path):
    root = tmp_path / "site"
    (root / "blog" / "img").mkdir(parents=True)
    (root / "static").mkdir()
    for name in ("blog/img/a b.png", "static/logo.png"):
        (root / name).write_bytes(b"x")
    (tmp_path / "secret.png").write_bytes(b"x")
    os.symlink(tmp_path / "secret.png", root / "blog" / "img" / "leak.png")
    os.symlink(root / "static" / "logo.png", root / "blog" / "img" / "logo-link.png")
    doc = root / "blog" / "post.md"
    real = Path(os.path.realpath(root))
    assert resolve("img/a%20b.png?v=2#top", doc, real) == real / "blog" / "img" / "a b.png"
    assert resolve("/static/logo.png", doc, real) == real / "static" / "logo.png"
    assert resolve("img/logo-link.png", doc, real) == real / "static" / "logo.png"  # a link inside the root
    for outside in ("../../secret.png", "img/leak.png", "/../secret.png", "https://cdn.example/a.png",
                    "//cdn.example/a.png", "data:image/png;base64,AAAA", "{{ site.logo }}", "img/missing.png",
                    "img"):
        assert resolve(outside, doc, real) is None, outside


# --- provenance read from the files ----------------------------------------------------------------

@pytest.mark.parametrize("source_type", [*SOURCE_TYPES, None])
@pytest.mark.parametrize("maker", ["png_with_xmp", "jpeg_with_xmp"])
def test_xmp_digital_source_type_of_each_value(tmp_path: Path, maker: str, source_type: str | None):
    path = getattr(images, maker)(tmp_path / f"x.{'png' if maker.startswith('png') else 'jpg'}", source_type)
    read = provenance.ProvenanceReader().read(path)
    assert read.problem is None
    expected = [] if source_type is None else [(IPTC + source_type, provenance.XMP_FIELD)]
    assert [(c.source_type, c.evidence) for c in read.claims] == expected


@pytest.mark.parametrize("created, edited, fmt", [
    ("trainedAlgorithmicMedia", None, "JPEG"),  # made by a generator
    ("digitalCapture", "compositeWithTrainedAlgorithmicMedia", "PNG"),  # a photo, then generative fill
    ("digitalCapture", None, "JPEG"),  # a camera's
    ("digitalCapture", "humanEdits", "PNG"),  # a photo a person retouched
])
def test_c2pa_actions_of_a_signed_manifest(tmp_path: Path, signer, created: str, edited: str | None, fmt: str):
    path = images.c2pa_signed(tmp_path / f"x.{fmt.lower().replace('jpeg', 'jpg')}", created, edited=edited,
                              generator="Imagen Studio", fmt=fmt, signer=signer())
    read = provenance.ProvenanceReader().read(path)
    assert read.problem is None
    expected = [(IPTC + created, "C2PA action c2pa.created, claim generator Imagen Studio 1.0")]
    if edited:
        expected.append((IPTC + edited, "C2PA action c2pa.edited, claim generator Imagen Studio 1.0"))
    assert [(c.source_type, c.evidence) for c in read.claims] == expected


def _png_declaring(width: int, height: int, xmp: bytes) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and holds almost none, and an XMP packet."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_bad_images_give_a_problem_never_an_exception(tmp_path: Path, signer, monkeypatch: pytest.MonkeyPatch):
    reader = provenance.ProvenanceReader()
    packet = images.xmp_packet("trainedAlgorithmicMedia")
    corrupt = tmp_path / "corrupt.png"  # an XMP packet, in no image
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + packet)
    bomb = tmp_path / "bomb.png"  # 200,000 x 200,000 pixels declared: Pillow's decompression-bomb limit
    bomb.write_bytes(_png_declaring(200_000, 200_000, packet))
    signed = images.c2pa_signed(tmp_path / "signed.jpg", "trainedAlgorithmicMedia", signer=signer())
    data = bytearray(signed.read_bytes())
    at = data.find(b"jumb")
    data[at + 60:at + 2000] = b"\xff" * 1940  # the manifest store, overwritten after its label
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(bytes(data))
    assert "not a readable image" in reader.read(corrupt).problem
    assert "DecompressionBomb" in reader.read(bomb).problem
    assert "C2PA manifest that cannot be read" in reader.read(damaged).problem
    monkeypatch.setattr(provenance, "MAX_IMAGE_BYTES", 100)
    assert "larger than 100 bytes" in provenance.ProvenanceReader().read(signed).problem


def test_an_image_that_declares_nothing_is_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """No XMP source type and no C2PA store in the bytes: neither library is called (a broken file
    that declares nothing is not reported either)."""
    plain = images.png_with_xmp(tmp_path / "plain.png", None)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\nnot an image")
    monkeypatch.setattr(provenance, "_xmp_claims", lambda data: pytest.fail("XMP parsed"))
    monkeypatch.setattr(provenance, "_c2pa_claims", lambda *args: pytest.fail("C2PA parsed"))
    reader = provenance.ProvenanceReader()
    assert reader.read(plain) == reader.read(junk) == provenance.Provenance()


def test_what_counts_as_ai_made():
    from ethicslint_ai_disclosure.images import ai_claim

    from ethicslint import ImageRef, Provenance, SourceClaim

    def said(*types: str) -> str | None:
        image = ImageRef("a.png", 0, 5, "markdown", "a.png", Provenance(tuple(SourceClaim(t, "XMP") for t in types)))
        found = ai_claim(image)
        return found[1] if found else None

    assert said(IPTC + "trainedAlgorithmicMedia") == "AI-generated"
    assert said("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia") == "AI-generated"
    assert said("compositeWithTrainedAlgorithmicMedia") == "AI-composited"  # a bare value, as some tools write
    assert said(IPTC + "digitalCapture", IPTC + "compositeWithTrainedAlgorithmicMedia") == "AI-composited"
    assert said(IPTC + "algorithmicMedia", IPTC + "humanEdits", "http://example.org/trainedAlgorithmicMedia") is None


# --- AID103 on pages -------------------------------------------------------------------------------

def test_unlabelled_ai_images_in_markdown_html_and_mjml(repo: Path, signer):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    images.c2pa_signed(repo / "img" / "made.jpg", "trainedAlgorithmicMedia", generator="Imagen Studio",
                       signer=signer())
    images.jpeg_with_xmp(repo / "img" / "mix.jpg", "compositeWithTrainedAlgorithmicMedia")
    page(repo / "en.md", "# Summer\n\nOur founder on the terrace.\n\n![Our founder](img/ai.png)\n")
    page(repo / "fr.html", '<html lang="fr"><body><h1>Été</h1><p>Notre fondatrice sur la terrasse.</p>\n'
                           '<img src="img/made.jpg" srcset="img/made.jpg 1x, img/ai.png 2x" alt="Notre fondatrice">'
                           '\n</body></html>\n')
    page(repo / "mail.mjml", '<mjml lang="en"><mj-body><mj-text>Our summer linen is here.</mj-text>\n'
                             '<mj-image src="img/mix.jpg" alt="Linen on a chair"/></mj-body></mjml>\n')
    status, findings = check("en.md", "fr.html", "mail.mjml")
    assert status == 1
    assert [(f["path"], f["line"], f["column"], f["code"], f["text"]) for f in findings] == [
        ("en.md", 5, 16, "AID103", "img/ai.png"), ("fr.html", 2, 11, "AID103", "img/made.jpg"),
        ("mail.mjml", 2, 16, "AID103", "img/mix.jpg")]
    en, fr, mail = (f["message"] for f in findings)
    assert "'img/ai.png' is AI-generated" in en and "XMP Iptc4xmpExt:DigitalSourceType" in en
    assert "\"AI-generated image\"" in en
    assert "C2PA action c2pa.created, claim generator Imagen Studio 1.0" in fr and "« Image générée par IA »" in fr
    assert "AI-composited" in mail and "Image edited with AI" in mail


@pytest.mark.parametrize("name, text", [
    ("alt.md", "# Summer\n\n![AI-generated image: our founder](img/ai.png)\n"),
    ("caption.md", "# Summer\n\n![Our founder](img/ai.png)\n\n*Image made with Midjourney.*\n"),
    ("paragraph.md", "# Summer\n\nThis portrait was generated with AI: ![Our founder](img/ai.png)\n"),
    ("page-level.md", "# Summer\n\n![Our founder](img/ai.png)\n\n## Linen\n\nWashed linen.\n\nSoft.\n\n"
                      "## About these pages\n\nAll images on this page are AI-generated images.\n"),
    ("figure.html", '<html lang="fr"><body><figure><img src="img/ai.png" alt="Notre fondatrice">'
                    "<figcaption>Images virtuelles</figcaption></figure></body></html>\n"),
    ("fr-alt.md", "---\nlang: fr\n---\n# Été\n\n![Image générée par IA : notre fondatrice](img/ai.png)\n"),
    ("mail.mjml", '<mjml lang="en"><mj-body><mj-image src="img/ai.png" alt="AI-generated image of a chair"/>'
                  "</mj-body></mjml>\n"),
    ("photo.md", "# Summer\n\n![Our founder](img/photo.jpg) ![Our shop](img/plain.png)\n"),
    ("remote.md", "# Summer\n\n![Our founder](https://cdn.example/img/ai.png)\n"),
    ("outside.md", "# Summer\n\n![Our founder](../outside/ai.png)\n"),
])
def test_labelled_photographic_remote_and_outside_images_are_silent(repo: Path, name: str, text: str):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    images.jpeg_with_xmp(repo / "img" / "photo.jpg", "digitalCapture")
    images.png_with_xmp(repo / "img" / "plain.png", None)
    (repo.parent / "outside").mkdir(exist_ok=True)
    images.png_with_xmp(repo.parent / "outside" / "ai.png", "trainedAlgorithmicMedia")
    page(repo / name, text)
    assert check(name) == (0, [])


def test_a_label_near_one_image_does_not_clear_another(repo: Path):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    images.png_with_xmp(repo / "img" / "other.png", "trainedAlgorithmicMedia")
    page(repo / "two.md", "# Summer\n\n![AI-generated image: a dune](img/ai.png)\n\n## Linen\n\n"
                          "Washed linen shirts.\n\n![A shirt](img/other.png)\n")
    status, findings = check("two.md")
    assert [(f["line"], f["text"]) for f in findings] == [(9, "img/other.png")]


def test_in_a_gallery_each_alt_text_labels_its_own_image(repo: Path):
    for name in ("a", "b", "c"):
        images.png_with_xmp(repo / "img" / f"{name}.png", "trainedAlgorithmicMedia")
    page(repo / "gallery.md", "# Gallery\n\n![A *dune*](img/a.png)\n\n![AI-generated image: a cabin](img/b.png)\n\n"
                              "![A chair](img/c.png)\n")
    page(repo / "gallery.html", '<h1>Gallery</h1><img src="img/a.png" alt="A dune">'
                                '<img alt="AI-generated image: a cabin" src="img/b.png"><img src="img/c.png" alt="A chair">\n')
    status, findings = check("gallery.md", "gallery.html")
    assert [(f["path"], f["text"]) for f in findings] == [
        ("gallery.html", "img/a.png"), ("gallery.html", "img/c.png"), ("gallery.md", "img/a.png"),
        ("gallery.md", "img/c.png")]


def test_front_matter_images_count_under_the_image_keys_option(repo: Path):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    page(repo / "hero.md", "---\ntitle: Summer\nhero: img/ai.png\nbackdrop: img/ai.png\n---\n# Summer\n\nLinen.\n")
    status, findings = check("hero.md")
    assert [(f["line"], f["column"], f["text"]) for f in findings] == [(3, 7, "img/ai.png")]
    (repo / ".ethicslint.toml").write_text('[ai-disclosure]\nimage-keys = ["backdrop"]\n', encoding="utf-8")
    status, findings = check("hero.md")
    assert [(f["line"], f["text"]) for f in findings] == [(4, "img/ai.png")]


def test_a_bad_image_is_an_el106_finding_and_the_run_goes_on(repo: Path):
    (repo / "img" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot an image" + images.xmp_packet("digitalCapture"))
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    page(repo / "a.md", "# A\n\n![Broken](img/broken.png) and ![Again](img/broken.png)\n")
    page(repo / "b.md", "# B\n\n![Founder](img/ai.png)\n")
    status, findings = check("a.md", "b.md")
    assert [(f["path"], f["code"], f["severity"]) for f in findings] == [
        ("a.md", "EL106", "info"), ("b.md", "AID103", "warning")]
    assert "'img/broken.png' is not a readable image" in findings[0]["message"]


def test_image_bytes_are_read_once_per_run_however_many_pages_show_them(repo: Path):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    for n in range(4):
        page(repo / f"p{n}.md", f"# Page {n}\n\n![Founder](img/ai.png) ![Again](/img/ai.png)\n")
    status, findings = check(*(f"p{n}.md" for n in range(4)))
    assert len(findings) == 4 and provenance.reader().files_read == 1


def test_a_cached_result_is_dropped_when_an_image_it_shows_changes(repo: Path):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    page(repo / "p.md", "# Page\n\n![Founder](img/ai.png)\n")

    def cached_run() -> list[str]:
        result = CliRunner().invoke(main, ["check", "--jobs", "1", "--format", "json", "--select", "AID103", "p.md"])
        return [f["code"] for f in json.loads(result.stdout or "[]")]

    assert cached_run() == cached_run() == ["AID103"]
    images.png_with_xmp(repo / "img" / "ai.png", "digitalCapture", color="black")  # another size or time
    os.utime(repo / "img" / "ai.png", ns=(1, 1))
    assert cached_run() == []


def test_without_the_images_extra_nothing_is_read_and_plugins_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch):
    images.png_with_xmp(repo / "img" / "ai.png", "trainedAlgorithmicMedia")
    page(repo / "p.md", "# Page\n\n![Founder](img/ai.png)\n")
    monkeypatch.setattr(provenance, "missing_packages", lambda: ["c2pa-python"])
    assert check("p.md") == (0, [])
    assert provenance.reader().files_read == 0
    listing = CliRunner().invoke(main, ["plugins"]).stdout
    assert "AID103" in listing and "ethicslint[images]" in listing and "c2pa-python" in listing


def test_a_declared_source_type_is_read_from_the_headers_and_keyed_on_the_metadata(tmp_path: Path):
    """Pillow reads the XMP from the JPEG's header segments: pixels cut short do not matter, and two
    files with the same metadata share one reading (the cache key is the metadata's hash)."""
    whole = images.jpeg_with_xmp(tmp_path / "whole.jpg", "trainedAlgorithmicMedia")
    data = whole.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[:data.index(b"\xff\xda") + 40])  # the image data stops 40 bytes in
    other = images.jpeg_with_xmp(tmp_path / "other.jpg", "digitalCapture")
    reader = provenance.ProvenanceReader()
    claims = [[c.source_type for c in reader.read(p).claims] for p in (whole, cut, other)]
    assert claims == [[IPTC + "trainedAlgorithmicMedia"]] * 2 + [[IPTC + "digitalCapture"]]
    assert reader.read(cut).problem is None
    assert reader.files_read == 3 and len(reader._results) == 2
