"""Loading files: format choice, size limit, binary files, encodings, I/O errors, empty files."""

from __future__ import annotations

from pathlib import Path

import pytest

import ethicslint.documents as documents
from ethicslint.documents import FORMATS, format_for, read_document, read_text
from ethicslint.host_rules import FALLBACK_ENCODING, PARSE_ERROR, TOO_LARGE, UNREADABLE

FIXTURES = Path(__file__).parent / "fixtures" / "documents"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, fmt", [
    ("a.md", "markdown"), ("A.MARKDOWN", "markdown"), ("a.mdx", "markdown"), ("a.html", "html"),
    ("a.htm", "html"), ("a.txt", "text"), ("a.yml", "yaml"), ("a.yaml", "yaml"), ("a.json", "json"),
    ("a.po", "po"), ("a.pot", "po"), ("a.py", None), ("README", None), ("a.md.bak", None),
])
def test_format_for_builtin_suffixes(name: str, fmt: str | None) -> None:
    assert format_for(Path("dir") / name) == fmt


def test_format_for_configured_suffixes_and_globs_come_first() -> None:
    extra = {".mjml": "html", "*.email": "text", "mail/*.txt": "markdown"}
    assert format_for(Path("x/news.MJML"), extra) == "html"
    assert format_for(Path("x/welcome.email"), extra) == "text"
    assert format_for(Path("x/mail/body.txt"), extra) == "markdown"
    assert format_for(Path("x/other/body.txt"), extra) == "text"
    assert format_for(Path("x/page.html"), extra) == "html"


def test_utf8_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "# Café\n".encode())
    result = read_document(path, "docs/a.md")
    assert result.problems == []
    document = result.document
    assert (document.path, document.format, document.encoding) == ("docs/a.md", "markdown", "utf-8")
    assert [s.text for s in document.segments] == ["Café"]


def test_bom_is_dropped_and_positions_count_from_after_it(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", b"\xef\xbb\xbf# Titre\r\n\r\nCaf\xc3\xa9 ici\r\n")
    result = read_document(path, "a.md")
    document = result.document
    assert result.problems == [] and document.encoding == "utf-8-sig"
    assert document.source.startswith("# Titre")
    heading, paragraph = document.segments
    assert document.position(heading.source_offset(0)) == (1, 3)
    assert document.position(paragraph.source_offset(paragraph.text.index("ici"))) == (3, 6)


def test_read_text_drops_a_bom_too() -> None:
    document = read_text("\ufeffHello", "-", "text").document
    assert document.source == "Hello" and document.encoding == "utf-8-sig"


def test_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"Line one\nCaf\xe9 \x80 5 \x93ok\x94\n")
    result = read_document(path, "a.txt")
    assert [(p.rule, p.message, p.offset) for p in result.problems] == [
        (FALLBACK_ENCODING, "not valid UTF-8 (byte 0xE9 at line 2, column 4); read as cp1252", 12)]
    document = result.document
    assert document.encoding == "cp1252"
    assert [s.text for s in document.segments] == ["Line one Caf\u00e9 \u20ac 5 \u201cok\u201d"]
    segment = document.segments[0]
    assert document.position(segment.source_offset(segment.text.index("\u20ac"))) == (2, 6)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "a.txt", b"caf\xe9 \x81"), "a.txt")
    assert result.document.encoding == "latin-1" and result.document.source == "caf\u00e9 \x81"
    assert [p.message for p in result.problems] == [
        "not valid UTF-8 (byte 0xE9 at line 1, column 4); read as latin-1"]


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "a.txt", "\ufeffBonjour".encode("utf-16-le")), "a.txt")
    assert result.problems == [] and result.document.encoding == "utf-16"
    assert [s.text for s in result.document.segments] == ["Bonjour"]


def test_binary_file_is_unreadable(tmp_path: Path) -> None:
    result = read_document(write(tmp_path, "logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "logo.md")
    assert result.document is None
    assert [(p.rule, p.message) for p in result.problems] == [
        (UNREADABLE, "binary file (NUL byte in the first 8 KB); not checked")]


def test_file_larger_than_the_limit_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"0123456789A")
    result = read_document(path, "a.txt", max_bytes=10)
    assert result.document is None
    assert [(p.rule, p.message) for p in result.problems] == [
        (TOO_LARGE, "file is 11 bytes, more than the 10-byte limit (max-file-size); not checked")]
    assert read_document(path, "a.txt", max_bytes=11).document is not None


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_os_errors_are_unreadable(tmp_path: Path, make: str) -> None:
    path = tmp_path / "copy.md"
    if make == "directory":
        path.mkdir()
    result = read_document(path, "copy.md")
    assert result.document is None
    expected = "No such file or directory" if make == "missing" else "Is a directory"
    assert [(p.rule, p.message) for p in result.problems] == [(UNREADABLE, f"cannot read the file: {expected}")]


@pytest.mark.parametrize("name", ["a.md", "a.html", "a.txt", "a.yaml", "a.json", "a.po"])
@pytest.mark.parametrize("data", [b"", b" \n\t\r\n"])
def test_empty_and_blank_files_have_no_segments_and_no_problems(tmp_path: Path, name: str, data: bytes) -> None:
    result = read_document(write(tmp_path, name, data), name)
    assert result.problems == []
    assert result.document is not None and result.document.segments == []


def test_unknown_suffix_is_skipped_without_reading(tmp_path: Path) -> None:
    assert read_document(tmp_path / "missing.bin", "missing.bin") == documents.ReadResult(None, [])


def test_unknown_format_name_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="unknown document format 'rst'"):
        read_text("x", "x.rst", "rst")
    assert FORMATS == ("markdown", "html", "mjml", "text", "yaml", "json", "po")


def test_a_crashing_reader_becomes_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document):  # type: ignore[no-untyped-def]
        raise IndexError("boom")

    monkeypatch.setitem(documents._READERS, "text", broken)
    result = read_text("Some copy", "a.txt", "text")
    assert [(p.rule, p.message) for p in result.problems] == [
        (PARSE_ERROR, "the text reader failed on this file: IndexError: boom")]
    assert result.document is not None and result.document.segments == []


def test_segments_come_in_source_order() -> None:
    document = read_text('Text ![alt](a.png "Title") more\n\nNext\n', "a.md", "markdown").document
    assert [s.kind for s in document.segments] == ["paragraph", "alt", "title", "paragraph"]
    offsets = [s.source_offset(0) for s in document.segments]
    assert offsets == sorted(offsets)
