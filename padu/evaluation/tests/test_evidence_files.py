"""Upload checks by content, safe names and streamed checksums; also the sample builders
the other evidence tests import."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image

from padu.evaluation import evidence_files as ef

BAD_DIR = Path(__file__).parent / "data" / "evidence_bad"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- sample builders -------------------------------------------------------------


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, fmt)
    return out.getvalue()


def zipped(parts: dict[str, bytes | str], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if first is not None:
            archive.writestr(first, parts[first], compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            if name != first:
                archive.writestr(name, content)
    return out.getvalue()


def docx(text: str = "Perwali") -> bytes:
    """A minimal OOXML word document."""
    return zipped(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        }
    )


def odf(mimetype: str) -> bytes:
    return zipped(
        {"mimetype": mimetype, "content.xml": "<office:document-content/>"}, first="mimetype"
    )


def ole(*names: str) -> bytes:
    """A minimal OLE2 compound file whose directory lists `names` (four entries a sector)."""
    end, free, fat_marker = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    entries = [("Root Entry", 5)] + [(n, 2) for n in names]
    dir_sectors = (len(entries) + 3) // 4
    header = bytearray(512)
    header[0:8] = ef.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, 1, 1)  # one FAT sector; the directory starts at 1
    struct.pack_into("<IIIII", header, 56, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = [fat_marker] + [i + 1 for i in range(1, dir_sectors)] + [end]  # sector i -> i + 1
    fat += [free] * (128 - len(fat))
    directory = bytearray(512 * dir_sectors)
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        start = i * 128
        directory[start : start + len(raw)] = raw
        struct.pack_into("<HBB", directory, start + 64, len(raw), kind, 1)
        struct.pack_into("<III", directory, start + 68, free, free, free)
        struct.pack_into("<I", directory, start + 116, end)
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)


def plain_zip() -> bytes:
    return zipped({"laporan.txt": "isi"})


def bad_corpus() -> list[Path]:
    return sorted(p for p in BAD_DIR.iterdir() if p.is_file() and p.name != "README.md")


# --- type by content -------------------------------------------------------------

GOOD = [
    ("pdf", lambda: PDF, ef.PDF),
    ("png", png, ef.PNG),
    ("jpeg", lambda: image("JPEG"), ef.JPEG),
    ("webp", lambda: image("WEBP"), ef.WEBP),
    ("gif", lambda: image("GIF"), ef.GIF),
    ("docx", docx, ef.DOCX),
    (
        "xlsx",
        lambda: zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
        ef.XLSX,
    ),
    (
        "pptx",
        lambda: zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
        ef.PPTX,
    ),
    ("odt", lambda: odf("application/vnd.oasis.opendocument.text"), ef.ODT),
    ("ods", lambda: odf("application/vnd.oasis.opendocument.spreadsheet"), ef.ODS),
    ("doc", lambda: ole("WordDocument", "1Table"), ef.DOC),
    ("xls", lambda: ole("Workbook"), ef.XLS),
    # Five entries: the directory runs over two sectors and the chain is followed.
    ("xls-two-dir-sectors", lambda: ole("A", "B", "C", "D", "Workbook"), ef.XLS),
]


@pytest.mark.parametrize(("case", "make", "expected"), GOOD, ids=[g[0] for g in GOOD])
def test_allowed_types_are_recognised_by_their_content(case, make, expected) -> None:  # type: ignore[no-untyped-def]
    content = make()
    assert ef.check_upload(io.BytesIO(content), len(content)) == expected


def test_the_broken_corpus_is_there() -> None:
    assert len(bad_corpus()) >= 10


@pytest.mark.parametrize("path", bad_corpus(), ids=lambda p: p.name)
def test_every_file_of_the_broken_corpus_is_refused(path: Path) -> None:
    content = path.read_bytes()
    with pytest.raises(ValidationError) as info:
        ef.check_upload(io.BytesIO(content), len(content))
    assert set(info.value.message_dict) == {"file"}


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"MZ\x90\x00\x03",
        b"\x7fELF\x02\x01\x01",
        b"#!/bin/sh\nrm -rf /\n",
        b"PK\x03\x04 not really a zip",
        b"%PD",
    ],
)
def test_look_alikes_are_not_recognised(content: bytes) -> None:
    assert ef.detect_type(io.BytesIO(content)) is None


def test_a_plain_zip_and_an_ole_installer_are_refused() -> None:
    assert ef.detect_type(io.BytesIO(plain_zip())) is None
    assert ef.detect_type(io.BytesIO(ole("\x05SummaryInformation", "Binary.Icon"))) is None


def test_macro_documents_are_refused_with_their_own_message() -> None:
    for content in (
        zipped(
            {"[Content_Types].xml": "<T/>", "word/document.xml": "<d/>", "word/vbaProject.bin": "x"}
        ),
        ole("WordDocument", "Macros"),
        ole("Workbook", "_VBA_PROJECT_CUR"),
        zipped(
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": "<c/>",
                "Basic/Standard/Module1.xml": "<script:module/>",
            },
            first="mimetype",
        ),
    ):
        with pytest.raises(ValidationError) as info:
            ef.check_upload(io.BytesIO(content), len(content))
        assert re.search(r"ma[ck]ro", str(info.value), re.IGNORECASE)  # macro / makro


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"kosong|empty"):
        ef.check_upload(io.BytesIO(b""), 0)


@override_settings(EVIDENCE_MAX_UPLOAD_MB=1)
def test_a_file_over_the_limit_is_refused_naming_the_limit() -> None:
    content = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as info:
        ef.check_upload(io.BytesIO(content), len(content))
    assert "1 MB" in info.value.message_dict["file"][0]
    ef.check_upload(io.BytesIO(PDF), len(PDF))  # under the limit it passes


# --- names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini", "win.pdf"),
        ("C:\\Users\\x\\Laporan Audit 2025.pdf", "Laporan-Audit-2025.pdf"),
        ("Pérwali №12.exe", "Perwali-No12.pdf"),
        ("laporan\x00.html\n.pdf", "laporan.html.pdf"),
        ("..pdf", "berkas.pdf"),
        ("....", "berkas.pdf"),
        ("", "berkas.pdf"),
        ("日本語.pdf", "berkas.pdf"),
        ("SK Tim SPBE (final) v2.docx", "SK-Tim-SPBE-final-v2.pdf"),
        ("evil\u202egpj.exe", "evilgpj.pdf"),
    ],
)
def test_file_names_are_sanitised(original: str, expected: str) -> None:
    assert ef.safe_name(original, ef.PDF) == expected


def test_a_very_long_name_is_cut_and_keeps_its_extension() -> None:
    name = ef.safe_name("a" * 500 + ".pdf", ef.DOCX)
    assert len(name) <= ef.MAX_NAME
    assert name.endswith(".docx") and name.startswith("aaa")


def test_the_extension_follows_the_content_not_the_name() -> None:
    assert ef.safe_name("foto.pdf", ef.PNG) == "foto.png"


def test_display_names_keep_unicode_but_lose_paths_and_control_characters() -> None:
    assert ef.display_name("../../Pérwali №12\x07.pdf") == "Pérwali №12.pdf"
    assert len(ef.display_name("x" * 400)) == 255


# --- checksum --------------------------------------------------------------------


class CountingStream(io.BytesIO):
    """Remembers the largest single read, to show the hash never reads the whole file."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.largest = max(self.largest, len(data))
        return data


def test_sha256_is_computed_in_chunks() -> None:
    content = b"x" * (ef.CHUNK * 3 + 5)
    stream = CountingStream(content)
    assert ef.sha256_of(stream) == hashlib.sha256(content).hexdigest()
    assert stream.largest <= ef.CHUNK
    assert stream.tell() == 0  # rewound for the storage that reads it next
