"""Checking uploaded evidence files by their content, naming them safely, hashing them."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
WEBP = FileType("image/webp", "webp")
GIF = FileType("image/gif", "gif")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods")
OLE = FileType("application/msword", "doc")  # legacy .doc/.xls share the OLE2 container

OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def _zip_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def detect_type(stream: IO[bytes]) -> FileType | None:
    """The file's type judged by its first bytes (and, for office files, the zip inside)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_type(stream)
        stream.seek(0)
        return kind
    return None


def check_upload(stream: IO[bytes], size: int) -> FileType:
    """Refuse empty, oversized and not-allowed files; return the detected type."""
    limit_mb = settings.EVIDENCE_MAX_UPLOAD_MB
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            {"file": _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit_mb}}
        )
    kind = detect_type(stream)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "This type of file is not accepted. Upload a PDF, an image (PNG, JPEG, WebP, GIF) "
                    "or an office document (Word, Excel, PowerPoint, OpenDocument)."
                )
            }
        )
    return kind


def safe_name(original: str, kind: FileType) -> str:
    """A plain file name without paths or control characters, with the detected extension."""
    base = re.split(r"[\\/]", original)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "", stem).strip(" .-_")
    stem = re.sub(r"\s+", "-", stem)[:100] or "berkas"
    return f"{stem}.{kind.extension}"


def sha256_of(stream: IO[bytes]) -> str:
    """SHA-256 read in chunks, so memory stays flat for large files."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
