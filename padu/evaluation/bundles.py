"""The evidence bundle: a ZIP of a period's evidence for the national assessors.

Layout (decided here, shown to users in the bundle's index page):

    I01/L3/I01-L3-01-Perwali-SPBE.pdf        indicator 1, level 3, first item
    I46-2/L3/I46-2-L3-01-SOP.pdf              indicator 46, second slot (sector service 2)

On Pemdi (8/2026, `uses_portal_coding`) the files follow the national portal's reported
coding I<indicator>-L<level>-<nn>, one folder per indicator code, the levels in the name:

    IK7/I7-L2-03_Laporan-EPSS.pdf             IK7, level 2, third item
    MANIFEST.csv                              one row per linked item, files and links
    index.html                                the same list in Indonesian, linking the files

- Only evidence linked to an assessment of the period, and of a file only its newest version.
- Evidence linked to the same assessment and level more than once (for several criteria)
  appears once; evidence linked to several indicators or levels is copied into each folder.
- The sequence number counts every item of the folder in link order; a link-only item
  takes its number too but has no file (it is only in the manifest), so numbers may skip.
- Files are read once, in 1 MB buffers used again and again, into a temporary ZIP on disk
  written front to back (`zip_writer.py`); each is checked against the SHA-256 stored at
  upload. A file of up to HOLD_LIMIT bytes (every upload) is held until its CRC-32 is
  known, so its header is final; a bigger one is streamed with its sizes after its data;
  memory stays flat either way. The two SHA-256 digests of each byte (the file's, the
  ZIP's, hashed as it is written) run on two helper threads while the kernel reads the
  next files ahead (`streaming.py`): on two cores, hashing is what bounds the speed.
- Already-compressed formats (PDF, images, OOXML/ODF, ZIP) are stored, others deflated.

- MANIFEST.csv (UTF-8 with BOM) has English column names and status values, for programs:
  path, indicator, level, seq, title, document_number, document_date, size, sha256, status
  (ok / missing / checksum mismatch / link), url. index.html says the same in Indonesian.

`plan_entries` reads the database; `write_bundle` only streams (no ORM); the task
`build_evidence_bundle` runs `services_bundles.run_bundle`, which records progress and the
result on the bundle row and tells people.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import IO, Any, TypedDict

from django.db.models import OuterRef, Subquery
from django_tasks import task

from .evidence_files import CHUNK, display_name
from .models import Assessment, EvidenceFile, EvidenceLink, Instrument, Period
from .streaming import BufferPool, HashThread, ReadAhead, read_into
from .zip_writer import StreamedMember, ZipStream

MANIFEST_NAME = "MANIFEST.csv"
INDEX_NAME = "index.html"
MANIFEST_HEADER = [
    "path",
    "indicator",
    "level",
    "seq",
    "title",
    "document_number",
    "document_date",
    "size",
    "sha256",
    "status",
    "url",
]
# Formats that are compressed already: deflating them again costs time and saves nothing.
STORED_EXTENSIONS = {
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "zip",
    "mp4",
}
MAX_STEM = 80


class Status:
    """A manifest row's status (kept in English: the CSV is read by programs)."""

    OK = "ok"
    MISSING = "missing"
    MISMATCH = "checksum mismatch"
    LINK = "link"


@dataclass(frozen=True)
class Entry:
    """One item to pack: a file (storage_name set) or a link only."""

    indicator: str  # "I01", or "I46-2" for the second slot; "IK7" on Pemdi
    level: int
    seq: int
    title: str
    document_number: str
    document_date: str  # ISO date or ""
    url: str
    storage_name: str = ""
    original_name: str = ""
    expected_size: int = 0
    expected_sha256: str = ""
    evidence_id: int = 0
    portal_number: str = ""  # "7" (or "7-2" for a second slot): set only on Pemdi

    @property
    def folder(self) -> str:
        if self.portal_number:
            return self.indicator
        return f"{self.indicator}/L{self.level}"

    @property
    def portal_code(self) -> str:
        """The item's code: I7-L2-03 on Pemdi (the portal's), I07-L2-03 otherwise."""
        base = f"I{self.portal_number}" if self.portal_number else self.indicator
        return f"{base}-L{self.level}-{self.seq:02d}"

    @cached_property  # asked for at every step; a frozen dataclass may cache it still
    def path(self) -> str:
        if not self.storage_name:
            return ""
        name = bundle_file_name(self.original_name, self.storage_name)
        if self.portal_number:
            return f"{self.folder}/{self.portal_code}_{name}"
        return f"{self.folder}/{self.indicator}-L{self.level}-{self.seq:02d}-{name}"


class IndexEntry(TypedDict):
    indicator: str
    code: str  # the portal's item code on Pemdi (I7-L2-03), else ""
    level: int
    seq: int
    title: str
    document_number: str
    document_date: str
    url: str


class IndexRow(TypedDict):
    entry: IndexEntry
    path: str
    in_zip: bool
    size: int
    sha256: str
    status: str


@dataclass(frozen=True)
class Row:
    """An entry after packing: what actually went into the ZIP."""

    entry: Entry
    status: str
    size: int = 0
    sha256: str = ""

    @property
    def path(self) -> str:
        """Where the file is (or, when missing, would have been) in the ZIP."""
        return self.entry.path

    @property
    def in_zip(self) -> bool:
        return self.status in (Status.OK, Status.MISMATCH)

    def for_index(self) -> IndexRow:
        """The fields index.html shows, as a dict: the template engine looks each up in a
        dict first, and with 2,000 rows the attribute fallback costs a tenth of a second."""
        e = self.entry
        return {
            "entry": {
                "indicator": e.indicator,
                "code": e.portal_code if e.portal_number else "",
                "level": e.level,
                "seq": e.seq,
                "title": e.title,
                "document_number": e.document_number,
                "document_date": e.document_date,
                "url": e.url,
            },
            "path": self.path,
            "in_zip": self.in_zip,
            "size": self.size,
            "sha256": self.sha256,
            "status": self.status,
        }

    def as_csv(self) -> list[str]:
        e = self.entry
        return [
            self.path,
            e.indicator,
            str(e.level),
            str(e.seq),
            e.title,
            e.document_number,
            e.document_date,
            str(self.size) if self.in_zip else "",
            self.sha256,
            self.status,
            e.url,
        ]


# --- names -----------------------------------------------------------------------


def indicator_label(number: int, slot: int, slots: int) -> str:
    base = f"I{number:02d}"
    return f"{base}-{slot}" if slots > 1 else base


def uses_portal_coding(instrument: Instrument) -> bool:
    """Pemdi (8/2026 and its draft) bundles follow the national portal's coding."""
    return instrument.is_decimal or instrument.code.startswith("permenpanrb-8-2026")


def portal_labels(code: str, number: int, slot: int, slots: int) -> tuple[str, str]:
    """The folder ("IK7") and the coding number ("7") of an item on Pemdi; with slots "-2"."""
    suffix = f"-{slot}" if slots > 1 else ""
    return f"{code or number}{suffix}", f"{number}{suffix}"


def bundle_file_name(original: str, storage_name: str) -> str:
    """The user's file name in plain ASCII, with the extension of the stored (checked) file."""
    stored = storage_name.rsplit("/", 1)[-1]
    ext = stored.rsplit(".", 1)[-1].lower() if "." in stored else ""
    ext = re.sub(r"[^a-z0-9]", "", ext)[:8]
    base = display_name(original)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"[-.]{2,}", "-", stem).strip(".-_")[:MAX_STEM].rstrip(".-_") or "berkas"
    return f"{stem}.{ext}" if ext else stem


def compress_type(path: str) -> int:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return zipfile.ZIP_STORED if ext in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED


# --- what goes in (database) -----------------------------------------------------


def plan_entries(period: Period, *, assessment: Assessment | None = None) -> list[Entry]:
    """Every item linked to the period's assessments (or one of them), in indicator, slot,
    level, link order."""
    newest = (
        EvidenceFile.objects.filter(evidence_id=OuterRef("evidence_id"))
        .order_by("-version")
        .values("version")[:1]
    )
    linked = (
        {"evidence__links__assessment": assessment}
        if assessment is not None
        else {"evidence__links__assessment__period": period}
    )
    files = {
        evidence_id: (name, original, size, sha)
        for evidence_id, name, original, size, sha in EvidenceFile.objects.filter(
            **linked, version=Subquery(newest)
        )
        .values_list("evidence_id", "file", "original_name", "size", "sha256")
        .distinct()
    }
    scope = {"assessment": assessment} if assessment is not None else {}
    portal = uses_portal_coding(period.instrument)
    links = (
        EvidenceLink.objects.filter(assessment__period=period, **scope)
        .order_by("assessment__indicator__number", "assessment__slot", "level", "added_at", "pk")
        .values_list(
            "assessment_id",
            "assessment__indicator__number",
            "assessment__slot",
            "assessment__indicator__slots",
            "assessment__indicator__code",
            "level",
            "evidence_id",
            "evidence__title",
            "evidence__document_number",
            "evidence__document_date",
            "evidence__url",
        )
    )
    seen: set[tuple[int, int, int]] = set()
    counters: Counter[tuple[str, int]] = Counter()
    entries: list[Entry] = []
    for (
        assessment_id,
        number,
        slot,
        slots,
        code,
        level,
        evidence_id,
        title,
        doc_number,
        doc_date,
        url,
    ) in links:
        if (assessment_id, level, evidence_id) in seen:
            continue
        seen.add((assessment_id, level, evidence_id))
        label = indicator_label(number, slot, slots)
        portal_number = ""
        if portal:
            label, portal_number = portal_labels(code, number, slot, slots)
        counters[(label, level)] += 1
        stored = files.get(evidence_id)
        entry = Entry(
            indicator=label,
            level=level,
            seq=counters[(label, level)],
            title=str(title),
            document_number=str(doc_number or ""),
            document_date=doc_date.isoformat() if isinstance(doc_date, datetime.date) else "",
            url=str(url or ""),
            evidence_id=evidence_id,
            portal_number=portal_number,
        )
        if stored:
            name, original, size, sha = stored
            entry = replace(
                entry,
                storage_name=name,
                original_name=original,
                expected_size=size,
                expected_sha256=sha,
            )
        entries.append(entry)
    return entries


# --- writing (no database) -------------------------------------------------------


class Progress:
    """Counts packed files and bytes; calls `report` at most every `seconds` or `files`."""

    def __init__(
        self, report: Callable[[int, int], None], *, files: int = 25, seconds: float = 1.0
    ) -> None:
        self.report = report
        self.every_files = files
        self.every_seconds = seconds
        self.files = 0
        self.bytes = 0
        self._last_files = 0
        self._last_time = time.monotonic()

    def add_bytes(self, count: int) -> None:
        self.bytes += count
        if time.monotonic() - self._last_time >= self.every_seconds:
            self.flush()

    def add_file(self) -> None:
        self.files += 1
        if (
            self.files - self._last_files >= self.every_files
            or time.monotonic() - self._last_time >= self.every_seconds
        ):
            self.flush()

    def flush(self) -> None:
        self._last_files = self.files
        self._last_time = time.monotonic()
        self.report(self.files, self.bytes)


# Files up to this size are read whole, so their CRC-32 is known before their header is
# written (uploads are limited by EVIDENCE_MAX_UPLOAD_MB, 25 by default); a bigger one is
# streamed in chunks, its CRC-32 and sizes following its data.
HOLD_LIMIT = 32 * 1024 * 1024
# How far ahead of the packing the disk is asked to read.
READ_AHEAD = 32 * 1024 * 1024


@dataclass
class _Packed:
    """A packed entry whose SHA-256 may still be computing on the helper thread."""

    entry: Entry
    status: str
    size: int = 0
    digest: Any = None

    def row(self) -> Row:
        if self.digest is None:
            return Row(self.entry, self.status)
        sha = self.digest.hexdigest()
        status = Status.OK if sha == self.entry.expected_sha256 else Status.MISMATCH
        return Row(self.entry, status, self.size, sha)


def pack_entry(
    zs: ZipStream,
    entry: Entry,
    open_source: Callable[[str], IO[bytes]],
    progress: Progress,
    pool: BufferPool,
    hashing: HashThread,
) -> _Packed:
    """Copy one file into the ZIP; its SHA-256 is computed on `hashing`'s thread from the
    same buffers (read once). A missing file is a row."""
    if not entry.storage_name:
        return _Packed(entry, Status.LINK)
    buffer, filled = pool.get(), 0
    try:
        source = open_source(entry.storage_name)
        count = read_into(source, memoryview(buffer))  # remote storages fail on a read
    except OSError:
        pool.give_back([buffer])
        progress.add_file()
        return _Packed(entry, Status.MISSING)
    digest = hashlib.sha256()
    method = compress_type(entry.path)
    used, held = [buffer], []
    member: StreamedMember | None = None
    size = 0
    with source:
        while count:
            chunk = memoryview(buffer)[filled : filled + count]
            filled += count
            hashing.update(digest, chunk)
            size += count
            progress.add_bytes(count)
            if member is not None:
                member.write(chunk)
            elif size <= HOLD_LIMIT:
                held.append(chunk)
            else:  # too big to hold: streamed, its sizes after its data
                member = zs.open(entry.path, method=method)
                for piece in (*held, chunk):
                    member.write(piece)
                held = []
            if filled == len(buffer):
                if member is not None:  # written: full buffers are free once hashed
                    pool.give_back(used)
                    used = []
                buffer, filled = pool.get(), 0
                used.append(buffer)
            count = read_into(source, memoryview(buffer)[filled:])
    if member is None:
        zs.add(entry.path, held, method=method)
    else:
        member.close()
    pool.give_back(used)
    progress.add_file()
    return _Packed(entry, Status.OK, size, digest)


def manifest_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a BOM, so Excel shows the titles right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MANIFEST_HEADER)
    for row in rows:
        writer.writerow(row.as_csv())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Written:
    rows: list[Row]
    size: int
    sha256: str


def write_bundle(
    entries: Iterable[Entry],
    target: IO[bytes],
    *,
    open_source: Callable[[str], IO[bytes]],
    progress: Progress,
    render_index: Callable[[list[Row]], str],
) -> Written:
    """Write the whole ZIP into `target` (a new file, written front to back) and return the
    manifest rows with the ZIP's size and SHA-256 (hashed as it is written, not re-read)."""
    entries = list(entries)
    ahead = ReadAhead(
        [(e.storage_name, e.expected_size) for e in entries if e.storage_name],
        open_source,
        READ_AHEAD,
    )
    packed: list[_Packed] = []
    # Each byte is read once and hashed twice (the file's SHA-256, the ZIP's SHA-256), each
    # digest on its own thread, while this one reads, computes the CRC-32 and writes.
    with HashThread("bundle-verify") as files, HashThread("bundle-hash") as whole:
        zs = ZipStream(target, whole)
        pool = BufferPool(CHUNK, files, whole)
        try:
            for entry in entries:
                packed.append(pack_entry(zs, entry, ahead.open, progress, pool, files))
        finally:
            ahead.close()
        files.wait()
        rows = [p.row() for p in packed]
        zs.add(MANIFEST_NAME, [manifest_csv(rows)], method=zipfile.ZIP_DEFLATED)
        zs.add(INDEX_NAME, [render_index(rows).encode("utf-8")], method=zipfile.ZIP_DEFLATED)
        size, sha = zs.close()
    progress.flush()
    return Written(rows, size, sha)


# --- the background job ----------------------------------------------------------


@task(queue_name="bundles")
def build_evidence_bundle(bundle_id: int) -> str:
    """Build bundle `bundle_id` (queued by `services_bundles.request_evidence_bundle`);
    returns the final status. The steps that write live in `services_bundles.run_bundle`."""
    from .services_bundles import run_bundle

    return run_bundle(bundle_id)
