"""The evidence bundle: a ZIP of a period's evidence for the national assessors.

Layout (decided here, shown to users in the bundle's index page):

    I01/L3/I01-L3-01-Perwali-SPBE.pdf        indicator 1, level 3, first item
    I46-2/L3/I46-2-L3-01-SOP.pdf              indicator 46, second slot (sector service 2)
    MANIFEST.csv                              one row per linked item, files and links
    index.html                                the same list in Indonesian, linking the files

- Only evidence linked to an assessment of the period, and of a file only its newest version.
- Evidence linked to the same assessment and level more than once (for several criteria)
  appears once; evidence linked to several indicators or levels is copied into each folder.
- The sequence number counts every item of the folder in link order; a link-only item
  takes its number too but has no file (it is only in the manifest), so numbers may skip.
- Files are streamed in 1 MB chunks into a temporary ZIP on disk, hashed on the way and
  checked against the SHA-256 stored at upload; nothing is held whole in memory. The
  hashing (of each file, and of the ZIP itself, read back just behind the writer) runs on
  two helper threads, since hashlib releases the GIL; it is what bounds the speed.
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
import os
import re
import time
import unicodedata
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import IO

from django.db.models import OuterRef, Subquery
from django_tasks import task

from .evidence_files import CHUNK, display_name
from .models import EvidenceFile, EvidenceLink, Period

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

    indicator: str  # "I01", or "I46-2" for the second slot of a multi-slot indicator
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

    @property
    def folder(self) -> str:
        return f"{self.indicator}/L{self.level}"

    @property
    def path(self) -> str:
        if not self.storage_name:
            return ""
        name = bundle_file_name(self.original_name, self.storage_name)
        return f"{self.folder}/{self.indicator}-L{self.level}-{self.seq:02d}-{name}"


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


def plan_entries(period: Period) -> list[Entry]:
    """Every item linked to the period's assessments, in indicator, slot, level, link order."""
    newest = (
        EvidenceFile.objects.filter(evidence_id=OuterRef("evidence_id"))
        .order_by("-version")
        .values("version")[:1]
    )
    files = {
        evidence_id: (name, original, size, sha)
        for evidence_id, name, original, size, sha in EvidenceFile.objects.filter(
            evidence__links__assessment__period=period, version=Subquery(newest)
        )
        .values_list("evidence_id", "file", "original_name", "size", "sha256")
        .distinct()
    }
    links = (
        EvidenceLink.objects.filter(assessment__period=period)
        .order_by("assessment__indicator__number", "assessment__slot", "level", "added_at", "pk")
        .values_list(
            "assessment_id",
            "assessment__indicator__number",
            "assessment__slot",
            "assessment__indicator__slots",
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
        if self.files - self._last_files >= self.every_files:
            self.flush()

    def flush(self) -> None:
        self._last_files = self.files
        self._last_time = time.monotonic()
        self.report(self.files, self.bytes)


def _now_tuple() -> tuple[int, int, int, int, int, int]:
    t = time.localtime()
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def _member(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=_now_tuple())
    info.compress_type = compress_type(path)
    info.external_attr = 0o644 << 16
    return info


class _Hasher:
    """SHA-256 on the helper thread (hashlib lets go of the GIL), so hashing overlaps the
    copying; at most `depth` chunks wait, which keeps memory flat."""

    def __init__(self, pool: ThreadPoolExecutor, depth: int = 4) -> None:
        self.digest = hashlib.sha256()
        self.pool = pool
        self.depth = depth
        self.pending: deque[Future[None]] = deque()

    def update(self, chunk: bytes) -> None:
        self.pending.append(self.pool.submit(self.digest.update, chunk))
        if len(self.pending) > self.depth:
            self.pending.popleft().result()

    def hexdigest(self) -> str:
        while self.pending:
            self.pending.popleft().result()
        return self.digest.hexdigest()


class _TrailingHasher:
    """SHA-256 of the ZIP itself, read back behind the writer: `ZipFile` only goes back to
    rewrite the header of the member it is writing, so whatever lies before it is final."""

    def __init__(self, pool: ThreadPoolExecutor, target: IO[bytes]) -> None:
        self.hasher = _Hasher(pool, depth=1 << 30)  # jobs read the file themselves: no memory
        self.target = target
        self.done = 0

    def _read(self, start: int, end: int) -> None:
        fd = self.target.fileno()
        while start < end:
            chunk = os.pread(fd, min(CHUNK, end - start), start)
            if not chunk:
                raise OSError("the bundle file is shorter than written")
            self.hasher.digest.update(chunk)
            start += len(chunk)

    def final_up_to(self, offset: int) -> None:
        if offset > self.done:
            self.target.flush()
            self.hasher.pending.append(self.hasher.pool.submit(self._read, self.done, offset))
            self.done = offset

    def hexdigest(self) -> str:
        return self.hasher.hexdigest()


def pack_entry(
    zf: zipfile.ZipFile,
    entry: Entry,
    open_source: Callable[[str], IO[bytes]],
    progress: Progress,
    pool: ThreadPoolExecutor,
) -> Row:
    """Copy one file into the ZIP in chunks, hashing on the way; a missing file is a row."""
    if not entry.storage_name:
        return Row(entry, Status.LINK)
    try:
        source = open_source(entry.storage_name)
        chunk = source.read(CHUNK)  # remote storages only fail on the first read
    except OSError:
        progress.add_file()
        return Row(entry, Status.MISSING)
    digest = _Hasher(pool)
    size = 0
    with source, zf.open(_member(entry.path), "w", force_zip64=True) as target:
        while chunk:
            target.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            progress.add_bytes(len(chunk))
            chunk = source.read(CHUNK)
    progress.add_file()
    sha = digest.hexdigest()
    status = Status.OK if sha == entry.expected_sha256 else Status.MISMATCH
    return Row(entry, status, size, sha)


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
    """Write the whole ZIP into `target` (a new, seekable file on disk) and return the
    manifest rows with the ZIP's size and SHA-256 (hashed behind the writer, not re-read)."""
    rows: list[Row] = []
    # One thread verifies the files, one hashes the ZIP: with the copying (and its CRC-32)
    # that is three streams of work, each on its own core when there are three.
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-verify") as files_pool,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-hash") as zip_pool,
    ):
        whole = _TrailingHasher(zip_pool, target)
        with zipfile.ZipFile(target, "w", allowZip64=True) as zf:
            for entry in entries:
                whole.final_up_to(target.tell())
                rows.append(pack_entry(zf, entry, open_source, progress, files_pool))
            zf.writestr(_member(MANIFEST_NAME), manifest_csv(rows))
            zf.writestr(_member(INDEX_NAME), render_index(rows).encode("utf-8"))
        size = target.seek(0, os.SEEK_END)
        whole.final_up_to(size)
        sha = whole.hexdigest()
    progress.flush()
    return Written(rows, size, sha)


# --- the background job ----------------------------------------------------------


@task(queue_name="bundles")
def build_evidence_bundle(bundle_id: int) -> str:
    """Build bundle `bundle_id` (queued by `services_bundles.request_evidence_bundle`);
    returns the final status. The steps that write live in `services_bundles.run_bundle`."""
    from .services_bundles import run_bundle

    return run_bundle(bundle_id)
