"""Checking uploaded evidence files by their content, naming them safely, hashing them.

Nothing here trusts the file name or the browser's content type: the type comes from the
first bytes, and for containers (ZIP, OLE2) from the names of the parts inside, read from
the archive's directory without unpacking anything.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
MAX_NAME = 120  # characters in a stored file name, extension included
MAX_DISPLAY_NAME = 255  # EvidenceFile.original_name


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    allowed: bool = True


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
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp")
DOC = FileType("application/msword", "doc")
XLS = FileType("application/vnd.ms-excel", "xls")
PPT = FileType("application/vnd.ms-powerpoint", "ppt")
# Recognised, but refused: office documents carrying VBA macros.
WITH_MACROS = FileType("application/vnd.ms-office.macro", "", allowed=False)

OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {t.content_type.encode(): t for t in (ODT, ODS, ODP)}
# The main stream that names a legacy (OLE2) office document; MSI installers, Outlook
# messages and encrypted packages share the container but have none of these.
OLE_STREAMS = {"worddocument": DOC, "workbook": XLS, "book": XLS, "powerpoint document": PPT}
OLE_MACRO_ENTRIES = {"macros", "_vba_project_cur", "vba"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- type by content -------------------------------------------------------------


def _is_macro_part(name: str) -> bool:
    """VBA in OOXML; LibreOffice Basic or scripts in OpenDocument."""
    return name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/"))


def _zip_type(stream: IO[bytes]) -> FileType | None:
    """OOXML or OpenDocument, from the archive's central directory; plain ZIPs are None."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if any(_is_macro_part(name) for name in infos):
                return WITH_MACROS
            mimetype = infos.get("mimetype")
            if mimetype is not None:
                if mimetype.file_size > 100:  # the ODF marker is one short line
                    return None
                return ODF_TYPES.get(archive.read(mimetype).strip())
            if "[Content_Types].xml" in infos:
                for prefix, kind in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in infos):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def _ole_entry_names(stream: IO[bytes], limit: int = 4096) -> list[str]:
    """Names in an OLE2 (compound file) directory, following its sector chain."""
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512:
        return []
    sector_size = 1 << struct.unpack_from("<H", header, 30)[0]
    if sector_size not in (512, 4096):
        return []
    per_sector = sector_size // 4
    fat_sectors = list(struct.unpack_from("<109I", header, 76))
    difat_next, difat_count = struct.unpack_from("<II", header, 68)
    for _i in range(min(difat_count, limit)):  # large files list further FAT sectors here
        stream.seek((difat_next + 1) * sector_size)
        block = stream.read(sector_size)
        if len(block) < sector_size:
            break
        entries = struct.unpack(f"<{per_sector}I", block)
        fat_sectors.extend(entries[:-1])
        difat_next = entries[-1]

    def next_sector(sector: int) -> int:
        index, offset = divmod(sector, per_sector)
        if index >= len(fat_sectors) or fat_sectors[index] >= 0xFFFFFFFA:
            return 0xFFFFFFFE
        stream.seek((fat_sectors[index] + 1) * sector_size + offset * 4)
        raw = stream.read(4)
        return struct.unpack("<I", raw)[0] if len(raw) == 4 else 0xFFFFFFFE

    names: list[str] = []
    sector = struct.unpack_from("<I", header, 48)[0]
    seen: set[int] = set()
    while sector < 0xFFFFFFFA and sector not in seen and len(seen) < limit:
        seen.add(sector)
        stream.seek((sector + 1) * sector_size)
        block = stream.read(sector_size)
        for start in range(0, len(block) - 127, 128):
            length = struct.unpack_from("<H", block, start + 64)[0]
            if 2 <= length <= 64:
                raw = block[start : start + length - 2]
                names.append(raw.decode("utf-16-le", "ignore"))
        sector = next_sector(sector)
    stream.seek(0)
    return names


def _ole_type(stream: IO[bytes]) -> FileType | None:
    try:
        names = {n.lower() for n in _ole_entry_names(stream)}
    except (struct.error, OSError, ValueError):
        return None
    if names & OLE_MACRO_ENTRIES:
        return WITH_MACROS
    for stream_name, kind in OLE_STREAMS.items():
        if stream_name in names:
            return kind
    return None


def detect_type(stream: IO[bytes]) -> FileType | None:
    """The file's type judged by its first bytes (and, for office files, the parts inside)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind: FileType | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif head.startswith(OLE_MAGIC):
        kind = _ole_type(stream)
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_type(stream)
    stream.seek(0)
    return kind


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
    if kind is WITH_MACROS:
        raise ValidationError(
            {
                "file": _(
                    "Office documents with macros are not accepted. Save the document "
                    "without macros (for example as DOCX or XLSX) and upload it again."
                )
            }
        )
    if kind is None or not kind.allowed:
        raise ValidationError(
            {
                "file": _(
                    "This type of file is not accepted. Upload a PDF, an image (PNG, JPEG, WebP, GIF) "
                    "or an office document (Word, Excel, PowerPoint, OpenDocument)."
                )
            }
        )
    return kind


# --- names -----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def display_name(original: str) -> str:
    """The name as the user knows it, minus any path and control or bidi characters."""
    base = re.split(r"[\\/]", original or "")[-1]
    base = _CONTROL.sub("", unicodedata.normalize("NFC", base)).strip()
    return base[:MAX_DISPLAY_NAME]


def safe_name(original: str, kind: FileType) -> str:
    """A plain ASCII file name without paths or control characters, with the detected extension."""
    base = display_name(original)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "", stem)
    stem = re.sub(r"\s+", "-", stem).strip(" .-_")
    stem = re.sub(r"\.{2,}", ".", stem)
    room = MAX_NAME - len(kind.extension) - 1
    stem = stem[:room].rstrip(" .-_") or "berkas"
    return f"{stem}.{kind.extension}"


# --- checksum --------------------------------------------------------------------


def sha256_of(stream: IO[bytes]) -> str:
    """SHA-256 read in chunks, so memory stays flat for large files."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
