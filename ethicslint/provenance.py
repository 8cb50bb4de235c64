"""What an image file says about how it was made: IPTC digital source type (XMP) and C2PA manifests.

Generators and editing tools write provenance into the image itself: the IPTC Photo Metadata field
``Iptc4xmpExt:DigitalSourceType`` in the XMP packet, and C2PA Content Credentials manifests whose
``c2pa.actions`` record a ``digitalSourceType``. Reading them is the host's job, not a checker's,
for three reasons: the host alone knows the checked root, so only it can keep every file it opens
inside it (:mod:`ethicslint.assets`); a bad asset must become a host finding (``EL106``), never a
plugin error; and one cache per process serves every document and every checker, so an image shown
by a hundred pages is read once. The cache is keyed on (path, size, modification time), then on the
hash of the bytes provenance is read from — a JPEG's or PNG's metadata (its segments or chunks, not
its pixels), the whole file for another format: two copies of an image share one reading, and a
copy with other pixels but the same metadata declares the same thing (manifests are read, not
validated). Checkers get the result as
plain data on :attr:`ethicslint.ImageRef.provenance`.

The libraries are an extra (``pip install "ethicslint[images]"``: Pillow, defusedxml,
c2pa-python); without them nothing is read and :func:`missing_packages` names what is absent.
Pillow parses XMP with defusedxml (no entity expansion); only the metadata is read, never the
pixels, and Pillow's decompression-bomb check refuses absurd dimensions. c2pa-python runs with
remote manifest and OCSP fetching off: a checked repository never makes the linter go online.
Neither library is called on a file whose metadata holds no XMP source type and no C2PA manifest
store (a byte search in a JPEG's segments before its image data or a PNG's chunks but its pixels,
found by seeking; in the whole file for the other formats), so an image that declares nothing costs a
few small reads, not hashed, and a broken file that declares nothing is not reported; one that
declares a source type is opened by Pillow from the file, which reads its headers only. Nothing here raises on a bad file: it becomes
:attr:`Provenance.problem`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import warnings
from pathlib import Path
from typing import Any, BinaryIO

from .model import Provenance, SourceClaim

EXTRA = "images"
PACKAGES = {"PIL": "pillow", "defusedxml": "defusedxml", "c2pa": "c2pa-python"}  # module -> distribution
MAX_IMAGE_BYTES = 50_000_000  # a larger file is not read (EL106): copy does not show 50 MB images
# The formats whose metadata is read (by suffix); anything else a page shows (SVG, video) is skipped.
_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
         ".tif": "image/tiff", ".tiff": "image/tiff"}
_PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF")
# No fetching (remote manifests, OCSP), and no validation: what a manifest *declares* is the point, and
# checking its signature and hashes would cost twice the reading (a tampered manifest still declares).
_C2PA_SETTINGS = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False, "verify_trust": False,
                             "verify_after_reading": False}}
# What must be in the bytes for there to be anything to parse: most images carry neither, and a byte
# search costs a hundredth of opening them. XMP is stored as text (UTF-8; a PNG may compress its iTXt
# chunk, which is then always parsed); a C2PA manifest store is a JUMBF box labelled "c2pa".
_XMP_MARKERS = (b"DigitalSourceType", b"XML:com.adobe.xmp\x00\x01")
_C2PA_MARKERS = (b"jumb", b"c2pa")
_NOTHING = Provenance()
XMP_FIELD = "XMP Iptc4xmpExt:DigitalSourceType"


def missing_packages() -> list[str]:
    """The distributions of the ``images`` extra that are not installed (found without importing)."""
    return [dist for module, dist in PACKAGES.items() if importlib.util.find_spec(module) is None]


def readable(path: Path) -> bool:
    """Whether ``path`` is of a format whose provenance is read (JPEG, PNG, WebP, TIFF)."""
    return path.suffix.lower() in _MIME


class ProvenanceReader:
    """Reads and caches provenance, one per process: by content hash, and by (path, size,
    modification time) so a file shown again is not even read again."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, int, int], str] = {}
        self._results: dict[str, Provenance] = {}
        self._context: Any = None
        self.files_read = 0  # how many times image bytes were read (tests, benchmark)

    def read(self, path: Path) -> Provenance:
        try:
            stat = path.stat()
        except OSError as exc:
            return Provenance(problem=f"cannot be read: {exc.strerror or exc}")
        if stat.st_size > MAX_IMAGE_BYTES:
            return Provenance(problem=f"larger than {MAX_IMAGE_BYTES:,} bytes; its provenance was not read")
        stamp = (str(path), stat.st_size, stat.st_mtime_ns)
        digest = self._digests.get(stamp)
        if digest is not None and digest in self._results:
            return self._results[digest]
        mime = _MIME.get(path.suffix.lower(), "image/jpeg")
        try:
            with path.open("rb") as stream:
                self.files_read += 1
                # A JPEG's or PNG's metadata without its pixels; the whole file for another format.
                region = _metadata_region(stream)
                if region is None:
                    stream.seek(0)
                    region = stream.read()
                xmp = any(marker in region for marker in _XMP_MARKERS)
                c2pa = all(marker in region for marker in _C2PA_MARKERS)
                if not xmp and not c2pa:  # declares nothing, whatever the bytes: nothing to hash
                    digest = self._digests[stamp] = ""
                    self._results[digest] = _NOTHING
                    return _NOTHING
                # The key is the hash of the metadata: what was read from it depends on nothing else
                # (C2PA manifests are read, not validated, so the pixels their hashes cover do not count).
                digest = self._digests[stamp] = hashlib.sha256(region).hexdigest()
                if digest not in self._results:
                    self._results[digest] = self._read_stream(stream, mime, xmp, c2pa)
                return self._results[digest]
        except OSError as exc:
            return Provenance(problem=f"cannot be read: {exc.strerror or exc}")

    def _read_stream(self, stream: BinaryIO, mime: str, xmp: bool, c2pa: bool) -> Provenance:
        """The claims of the image open on ``stream``: Pillow reads only the headers it needs."""
        claims: list[SourceClaim] = []
        try:
            if xmp:
                stream.seek(0)
                claims += _xmp_claims(stream)
        except Exception as exc:  # noqa: BLE001 - a hostile image must not stop a run
            return Provenance(problem=f"is not a readable image ({_reason(exc)})")
        if not c2pa:
            return Provenance(tuple(claims))
        try:
            stream.seek(0)
            claims += _c2pa_claims(stream, mime, self._c2pa_context())
        except Exception as exc:  # noqa: BLE001 - nor a hostile manifest
            return Provenance(tuple(claims), problem=f"has a C2PA manifest that cannot be read ({_reason(exc)})")
        return Provenance(tuple(claims))

    def _c2pa_context(self) -> Any:
        if self._context is None:
            import c2pa

            self._context = c2pa.Context(c2pa.Settings.from_dict(_C2PA_SETTINGS))
        return self._context


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_SCAN, _JPEG_END = 0xDA, 0xD9


def _metadata_region(stream: BinaryIO) -> bytes | None:
    """The bytes where a JPEG or a PNG keeps its metadata (a JPEG's segments before the image data, a
    PNG's chunks but IDAT, skipped by seeking), read without the pixels; None for another format or a
    layout this walk does not follow (the caller then reads the whole file)."""
    head = stream.read(8)
    parts: list[bytes] = []
    if head.startswith(b"\xff\xd8"):
        stream.seek(2)
        while True:
            marker = stream.read(4)
            if len(marker) < 2 or marker[0] != 0xFF or marker[1] == 0xFF:
                return None  # fill bytes, or not a marker: leave it to the full search
            if marker[1] in (_JPEG_SCAN, _JPEG_END):
                return b"".join(parts)
            length = int.from_bytes(marker[2:4], "big")
            if len(marker) < 4 or length < 2:
                return None
            parts.append(stream.read(length - 2))
    if head == _PNG:
        while True:
            header = stream.read(8)
            if len(header) < 8:
                return b"".join(parts)
            length, kind = int.from_bytes(header[:4], "big"), header[4:]
            if kind == b"IDAT":
                stream.seek(length + 4, 1)  # the pixels and their CRC
                continue
            parts.append(kind + stream.read(length))
            stream.seek(4, 1)
            if kind == b"IEND":
                return b"".join(parts)
    return None


def _reason(exc: Exception) -> str:
    """The exception in one short line, without the file object Pillow names (its repr holds the path)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = re.sub(r"\s*<_io\.\w+ [^<>]*>", "", text)
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _xmp_claims(stream: BinaryIO) -> list[SourceClaim]:
    """The digital source types in the image's XMP packet (Pillow, parsed with defusedxml)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DecompressionBombWarning: the pixels are never decoded
        with Image.open(stream, formats=_PILLOW_FORMATS) as image:
            xmp = image.getxmp()
    return [SourceClaim(value, XMP_FIELD) for value in _find_values(xmp, "DigitalSourceType")]


def _find_values(node: Any, name: str) -> list[str]:
    """Every value of the XMP property ``name`` in Pillow's nested dict (namespaces stripped):
    an attribute, an element's text, or an ``rdf:resource``."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name:
                found += [v for v in _texts(value) if v]
            else:
                found += _find_values(value, name)
    elif isinstance(node, list):
        for item in node:
            found += _find_values(item, name)
    return found


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        return [str(value[k]).strip() for k in ("resource", "text", "about") if isinstance(value.get(k), str)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _c2pa_claims(stream: BinaryIO, mime: str, context: Any) -> list[SourceClaim]:
    """The digital source types the C2PA manifests' actions record, active manifest first."""
    import c2pa

    try:
        reader = c2pa.Reader.try_create(mime, stream, context=context)
    except c2pa.C2paError.NotSupported:
        return []
    if reader is None:
        return []
    with reader:
        store = json.loads(reader.json())
    manifests = store.get("manifests") or {}
    active = store.get("active_manifest")
    order = ([active] if active in manifests else []) + [label for label in manifests if label != active]
    claims = []
    for label in order:
        manifest = manifests[label] or {}
        generator = _generator(manifest)
        where = "" if label == active else " (an ingredient's manifest)"
        for assertion in manifest.get("assertions") or []:
            if not str(assertion.get("label", "")).startswith("c2pa.actions"):
                continue
            for action in (assertion.get("data") or {}).get("actions") or []:
                source_type = action.get("digitalSourceType") if isinstance(action, dict) else None
                if isinstance(source_type, str) and source_type:
                    claims.append(SourceClaim(source_type.strip(),
                                              f"C2PA action {action.get('action', '?')}, claim generator "
                                              f"{generator}{where}"))
    return claims


def _generator(manifest: dict[str, Any]) -> str:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict) and info[0].get("name"):
        version = info[0].get("version")
        return f"{info[0]['name']}{f' {version}' if version else ''}"
    return str(manifest.get("claim_generator") or "unknown")


_READER: ProvenanceReader | None = None


def reader() -> ProvenanceReader:
    """This process's reader (and cache): worker processes each have their own."""
    global _READER
    if _READER is None:
        _READER = ProvenanceReader()
    return _READER
