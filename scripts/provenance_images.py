"""Make small images that declare how they were made: XMP DigitalSourceType, or a signed C2PA manifest.

    python scripts/provenance_images.py            # (re)writes the images of examples/ai-disclosure/

The example pages ``examples/ai-disclosure/{en,fr}/campaigns/`` (``linen-lookbook.md``,
``lookbook-lin.html``) show them, and the tests
(``tests/test_image_provenance.py``) build their own fixtures with the same functions. Needs the
``dev`` extra (Pillow, c2pa-python, cryptography). The C2PA manifests are signed with a throwaway
certificate chain made here (a test CA and an end-entity certificate for ES256): validators call the
signer untrusted, which does not change what the manifest declares.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "ai-disclosure"


def xmp_packet(source_type: str | None, instance: str | None = None) -> bytes:
    """An XMP packet with ``Iptc4xmpExt:DigitalSourceType`` (an IPTC value, e.g.
    ``trainedAlgorithmicMedia``, or a full URI), or with no source type at all; with ``instance``,
    an ``xmpMM:InstanceID`` too (editors give each file its own, so no two packets are the same)."""
    value = source_type if source_type is None or "/" in source_type else IPTC + source_type
    field = f' Iptc4xmpExt:DigitalSourceType="{value}"' if value else ' dc:format="image/png"'
    if instance is not None:
        field += f' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmpMM:InstanceID="xmp.iid:{instance}"'
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"{field}/>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def _picture(color: str):  # type: ignore[no-untyped-def]
    from PIL import Image

    return Image.new("RGB", (16, 12), color)


def png_with_xmp(path: Path, source_type: str | None, color: str = "steelblue") -> Path:
    """A PNG whose iTXt ``XML:com.adobe.xmp`` chunk holds :func:`xmp_packet`."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(source_type).decode("utf-8"))
    _picture(color).save(path, "PNG", pnginfo=info)
    return path


def jpeg_with_xmp(path: Path, source_type: str | None, color: str = "sandybrown") -> Path:
    """A JPEG whose APP1 XMP segment holds :func:`xmp_packet`."""
    _picture(color).save(path, "JPEG", xmp=xmp_packet(source_type))
    return path


def throwaway_signer():  # type: ignore[no-untyped-def]
    """A c2pa ``Signer`` for ES256 over a certificate chain made now: a test CA and its end entity."""
    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ethicslint test fixtures")])

    def usage(sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not sign,
                             crl_sign=not sign, encipher_only=False, decipher_only=False)

    def certificate(subject: str, key, issuer: x509.Name, issuer_key, ca: bool):  # type: ignore[no-untyped-def]
        builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(issuer)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                   .add_extension(usage(sign=not ca), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if not ca:
            builder = (builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                      critical=False))
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("ethicslint test CA", ca_key, name("ethicslint test CA"), ca_key, ca=True)
    leaf = certificate("ethicslint test signer", key, ca.subject, ca_key, ca=False)
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, ca))
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(alg=b"es256", sign_cert=chain, private_key=private, ta_url=None))


def c2pa_signed(path: Path, source_type: str, generator: str = "Imagen Studio", fmt: str = "JPEG",
                color: str = "seagreen", signer=None,  # type: ignore[no-untyped-def]
                edited: str | None = None, picture: bytes | None = None) -> Path:
    """A JPEG or PNG with an embedded C2PA manifest, claim generator ``generator``, whose
    ``c2pa.actions`` record ``c2pa.created`` with ``digitalSourceType`` ``source_type`` (an IPTC value
    or URI), then, when ``edited`` is given, ``c2pa.edited`` with that source type (C2PA wants the
    first action to be a creation or an opening). ``picture``: the image to sign (default: a small
    one of ``color``)."""
    import c2pa

    actions = [("c2pa.created", source_type)] + ([("c2pa.edited", edited)] if edited else [])
    manifest = {"claim_generator_info": [{"name": generator, "version": "1.0"}], "title": path.name,
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [
                    {"action": action, "digitalSourceType": value if "/" in value else IPTC + value}
                    for action, value in actions]}}]}
    source = io.BytesIO(picture or b"")
    if picture is None:
        _picture(color).save(source, fmt)
        source.seek(0)
    signed = io.BytesIO()
    context = c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))
    with c2pa.Builder(manifest, context) as builder:
        builder.sign(signer or throwaway_signer(), "image/jpeg" if fmt == "JPEG" else "image/png", source, signed)
    path.write_bytes(signed.getvalue())
    return path


def main(argv: list[str] | None = None) -> int:
    en, fr = EXAMPLES / "en" / "campaigns" / "img", EXAMPLES / "fr" / "campaigns" / "img"
    for folder in (en, fr):
        folder.mkdir(parents=True, exist_ok=True)
    signer = throwaway_signer()
    png_with_xmp(en / "model-on-dune.png", "trainedAlgorithmicMedia")
    png_with_xmp(en / "linen-flatlay.png", "trainedAlgorithmicMedia", color="wheat")
    c2pa_signed(en / "beach-cabin.jpg", "trainedAlgorithmicMedia", generator="Imagen Studio", signer=signer)
    jpeg_with_xmp(en / "workshop.jpg", "digitalCapture")
    jpeg_with_xmp(fr / "mannequin-plage.jpg", "compositeWithTrainedAlgorithmicMedia", color="lightcoral")
    c2pa_signed(fr / "cabane.png", "trainedAlgorithmicMedia", generator="Imagen Studio", fmt="PNG", signer=signer)
    for path in sorted([*en.iterdir(), *fr.iterdir()]):
        print(f"{path.relative_to(EXAMPLES.parent.parent)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
