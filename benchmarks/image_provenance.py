"""What reading the provenance of the images pages show costs (``ethicslint/provenance.py``, AID103).

    python benchmarks/image_provenance.py               # 100 pages showing 500 images, 3 rounds each
    python benchmarks/image_provenance.py --rounds 5

A repo of 100 pages of the benchmark corpus (``corpus.py``, about 350 words each), each showing five
images of its own (500 files, about 90 MB: photographs' sizes, 640x480 JPEG and 320x240 PNG of noise),
twice: with one image in ten declaring a source type (an XMP ``DigitalSourceType``, AI, composite or
camera, in a JPEG or a PNG, or a signed C2PA manifest), the others photographs with or without an XMP
packet (the common case), and with every image declaring one (the worst case); a third of the images
are labelled, and every XMP packet has its own instance ID, as editors write, so no two images share
a reading. In one process, with the plugins loaded and spaCy's cheap pipelines built,
:func:`ethicslint.runner.run` checks the pages with one job, with the provenance read (a fresh cache
each time: every image read, as in a new run) and without (as without the ``images`` extra),
interleaved; it prints the medians of this process's CPU time (what the reading costs, whatever else
the machine runs) and of the wall-clock time, the cost per image and the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import provenance_images as images  # noqa: E402
from corpus import generate  # noqa: E402

from ethicslint import nlp, provenance  # noqa: E402
from ethicslint.config import Config  # noqa: E402
from ethicslint.host import Host  # noqa: E402
from ethicslint.runner import RunContext, run  # noqa: E402

PAGES = 100
IMAGES_PER_PAGE = 5
KINDS = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "digitalCapture"]


def _photo(index: int, fmt: str, xmp: bytes | None = None) -> bytes:
    """A photograph-sized image of noise (it compresses as badly as a photo), with ``xmp`` if given."""
    import io

    from PIL import Image

    size = (640, 480) if fmt == "JPEG" else (320, 240)
    image = Image.effect_noise(size, 40 + index % 20).convert("RGB")
    options = {"quality": 85} if fmt == "JPEG" else {}
    if xmp is not None and fmt == "JPEG":
        options["xmp"] = xmp
    if xmp is not None and fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
        options["pnginfo"] = info
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def build(root: Path, every: int) -> list[tuple[Path, str]]:
    """The repo: pages of the corpus, each showing five images made here; one image in ``every``
    declares a source type (XMP in a JPEG or a PNG, or a C2PA manifest, in turn), the others are
    photographs, half of them with an XMP packet that names no source type (as editors write)."""
    generate(root, 1)
    pages = sorted(root.rglob("*.md"))
    for extra in pages[PAGES:]:
        extra.unlink()
    (root / "img").mkdir()
    signer = images.throwaway_signer()
    number = 0
    for page in pages[:PAGES]:
        lines = ["", "## Gallery", ""]
        for _ in range(IMAGES_PER_PAGE):
            number += 1
            declaring, kind = number % every == 0, (number // every) % 3
            name = f"img/p{number:03d}.{'png' if (declaring and kind == 1) or number % 4 == 1 else 'jpg'}"
            path = root / name
            if declaring and kind == 2:
                images.c2pa_signed(path, KINDS[number % 2], signer=signer, picture=_photo(number, "JPEG"))
            elif declaring:
                path.write_bytes(_photo(number, "PNG" if path.suffix == ".png" else "JPEG",
                                        images.xmp_packet(KINDS[number % 3], f"{number:08x}")))
            else:
                path.write_bytes(_photo(number, "PNG" if path.suffix == ".png" else "JPEG",
                                        images.xmp_packet(None, f"{number:08x}") if number % 2 else None))
            alt = "AI-generated image: a linen shirt" if number % 3 == 0 else "A linen shirt on a chair"
            lines += [f"![{alt}](/{name})", ""]
        page.write_text(page.read_text(encoding="utf-8") + "\n".join(lines), encoding="utf-8")
    return [(page, page.relative_to(root).as_posix()) for page in pages[:PAGES]]


def measure(every: int, host: Host, rounds: int) -> str:
    """One table row: the repo with one declaring image in ``every``, checked with and without reading."""
    missing = provenance.missing_packages
    with tempfile.TemporaryDirectory(prefix="ethicslint-provenance-") as tmp:
        root = Path(tmp)
        files = build(root, every)
        megabytes = sum(p.stat().st_size for p in (root / "img").iterdir()) / 1e6
        ctx = RunContext(config=Config(path=None, root=root), plugin_configs={}, host=host)
        wall: dict[bool, list[float]] = {True: [], False: []}
        cpu: dict[bool, list[float]] = {True: [], False: []}
        findings: dict[bool, int] = {}
        run(files[:1], ctx, jobs=1, isolate=False)  # the checkers compile their terms here, once
        try:
            for _ in range(rounds):
                for reading in (True, False):
                    provenance.missing_packages = missing if reading else (lambda: ["(switched off)"])
                    provenance._READER = None  # a new run: nothing cached
                    started, started_cpu = time.perf_counter(), time.process_time()
                    result = run(files, ctx, jobs=1, isolate=False)
                    wall[reading].append(time.perf_counter() - started)
                    cpu[reading].append(time.process_time() - started_cpu)
                    findings[reading] = sum(f.code == "AID103" for f in result.findings)
        finally:
            provenance.missing_packages = missing
        images_shown = len(files) * IMAGES_PER_PAGE
        row = [f"1 in {every}", f"{megabytes:.0f} MB"]
        for times in (cpu, wall):
            read, skipped = statistics.median(times[True]), statistics.median(times[False])
            row += [f"{skipped:.2f} / {read:.2f}", f"{(read - skipped) / images_shown * 1000:.2f} ms",
                    f"{read / skipped:.3f}"]
        return "| " + " | ".join([*row, f"{findings[True]} / {findings[False]}"]) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    host = Host()
    host.load()
    for lang in ("en", "fr"):
        nlp.cheap_pipeline(lang)
    print(f"{PAGES} pages showing {PAGES * IMAGES_PER_PAGE} images, one job, median of {rounds} rounds")
    print("| images declaring a source type | image bytes | CPU s, not read / read | per image | ratio | "
          "wall s, not read / read | per image | ratio | AID103 read / not read |")
    print("|---|---|---|---|---|---|---|---|---|")
    for every in (10, 1):
        print(measure(every, host, rounds))


if __name__ == "__main__":
    main()
