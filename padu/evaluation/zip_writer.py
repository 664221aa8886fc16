"""A ZIP written front to back, never seeking, with the SHA-256 of every byte it writes.

`zipfile` writes a member's header, then its data, then seeks back to put the CRC-32 and
sizes into the header; so the archive's own checksum had to be computed by reading the
file back. Here a member whose bytes are all in hand (every evidence file: uploads are
limited to a few tens of MB) gets its CRC-32 first and a final header; a larger one is
streamed with a data descriptor after its data (APPNOTE 4.3.9), as `zipfile` does on a
non-seekable stream. Either way each byte is hashed once, on the way out, on a helper
thread. ZIP64 records are written when sizes, offsets or the member count need them.

Pure module: no Django. `bundles.py` decides what goes in.
"""

from __future__ import annotations

import hashlib
import struct
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from .streaming import Buffer, HashThread

STORED = 0
DEFLATED = 8

_FLAG_DESCRIPTOR = 0x08
_FLAG_UTF8 = 0x800
_UNIX = 3
_VERSION = 20
_VERSION_ZIP64 = 45
_LIMIT = 0xFFFFFFFF
_ATTRS = 0o644 << 16  # -rw-r--r--

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_ZIP64_EXTRA = struct.Struct("<HH2Q")
_DESCRIPTOR = struct.Struct("<4sL2L")
_DESCRIPTOR64 = struct.Struct("<4sL2Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END = struct.Struct("<4s4H2LH")


@dataclass
class _Record:
    """What the central directory says about one member."""

    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: int
    size: int
    offset: int


def _dos(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11 | minute << 5 | second // 2), ((year - 1980) << 9 | month << 5 | day)


def now() -> tuple[int, int, int, int, int, int]:
    t = time.localtime()
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def _compressor() -> Any:
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile


class ZipStream:
    """Writes members to `target` one after the other, then the central directory on
    `close()`; `digest` is fed every byte written, on `hasher`'s thread."""

    def __init__(self, target: IO[bytes], hasher: HashThread) -> None:
        self.target = target
        self.hasher = hasher
        self.digest = hashlib.sha256()
        self.offset = 0
        self.records: list[_Record] = []

    def _write(self, data: Buffer) -> None:
        self.target.write(data)
        self.hasher.update(self.digest, data)
        self.offset += len(data)

    def _header(
        self, name: str, method: int, flags: int, crc: int, compressed: int, size: int
    ) -> _Record:
        """Write the local header; return the member's record (sizes final unless streamed)."""
        encoded = name.encode("utf-8")
        if not name.isascii():
            flags |= _FLAG_UTF8
        dos_time, dos_date = _dos(now())
        zip64 = bool(flags & _FLAG_DESCRIPTOR) or max(compressed, size) >= _LIMIT
        extra = _ZIP64_EXTRA.pack(1, 16, size, compressed) if zip64 else b""
        record = _Record(
            encoded, flags, method, dos_time, dos_date, crc, compressed, size, self.offset
        )
        self._write(
            _LOCAL.pack(
                b"PK\x03\x04",
                _VERSION_ZIP64 if zip64 else _VERSION,
                0,
                flags,
                method,
                dos_time,
                dos_date,
                crc,
                _LIMIT if zip64 else compressed,
                _LIMIT if zip64 else size,
                len(encoded),
                len(extra),
            )
            + encoded
            + extra
        )
        return record

    def add(self, name: str, chunks: Sequence[Buffer], *, method: int = STORED) -> None:
        """A member whose content is all in `chunks`: CRC-32 first, so the header is final."""
        crc = size = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        packed: Sequence[Buffer] = chunks
        if method == DEFLATED:
            compressor = _compressor()
            packed = [*(compressor.compress(c) for c in chunks), compressor.flush()]
        record = self._header(name, method, 0, crc, sum(len(c) for c in packed), size)
        for chunk in packed:
            if chunk:
                self._write(chunk)
        self.records.append(record)

    def open(self, name: str, *, method: int = STORED) -> StreamedMember:
        """A member of unknown length, written chunk by chunk (for files too big to hold)."""
        record = self._header(name, method, _FLAG_DESCRIPTOR, 0, 0, 0)
        return StreamedMember(self, record)

    def close(self) -> tuple[int, str]:
        """Write the central directory; return the archive's size and SHA-256."""
        start = self.offset
        for r in self.records:
            self._write(self._central(r))
        end = self.offset
        count = len(self.records)
        if count >= 0xFFFF or start >= _LIMIT or end - start >= _LIMIT:
            self._write(
                _END64.pack(
                    b"PK\x06\x06",
                    44,
                    _VERSION_ZIP64 | _UNIX << 8,
                    _VERSION_ZIP64,
                    0,
                    0,
                    count,
                    count,
                    end - start,
                    start,
                )
            )
            self._write(_END64_LOCATOR.pack(b"PK\x06\x07", 0, end, 1))
        self._write(
            _END.pack(
                b"PK\x05\x06",
                0,
                0,
                min(count, 0xFFFF),
                min(count, 0xFFFF),
                min(end - start, _LIMIT),
                min(start, _LIMIT),
                0,
            )
        )
        self.target.flush()
        self.hasher.wait()
        return self.offset, self.digest.hexdigest()

    @staticmethod
    def _central(r: _Record) -> bytes:
        big = [v for v in (r.size, r.compressed, r.offset) if v >= _LIMIT]
        zip64 = bool(big) or bool(r.flags & _FLAG_DESCRIPTOR)
        # The ZIP64 extra of the central directory holds only the fields that overflow.
        extra = struct.pack(f"<HH{len(big)}Q", 1, 8 * len(big), *big) if big else b""
        version = _VERSION_ZIP64 if zip64 else _VERSION
        return (
            _CENTRAL.pack(
                b"PK\x01\x02",
                version,
                _UNIX,
                version,
                0,
                r.flags,
                r.method,
                r.dos_time,
                r.dos_date,
                r.crc,
                min(r.compressed, _LIMIT),
                min(r.size, _LIMIT),
                len(r.name),
                len(extra),
                0,
                0,
                0,
                _ATTRS,
                min(r.offset, _LIMIT),
            )
            + r.name
            + extra
        )


class StreamedMember:
    """`write` each chunk, then `close`: the CRC-32 and sizes follow the data."""

    def __init__(self, stream: ZipStream, record: _Record) -> None:
        self.stream = stream
        self.record = record
        self.compressor = _compressor() if record.method == DEFLATED else None

    def _out(self, data: Buffer) -> None:
        if data:
            self.stream._write(data)
            self.record.compressed += len(data)

    def write(self, chunk: Buffer) -> None:
        self.record.crc = zlib.crc32(chunk, self.record.crc)
        self.record.size += len(chunk)
        self._out(self.compressor.compress(chunk) if self.compressor else chunk)

    def close(self) -> None:
        r = self.record
        if self.compressor:
            self._out(self.compressor.flush())
        self.stream._write(_DESCRIPTOR64.pack(b"PK\x07\x08", r.crc, r.compressed, r.size))
        self.stream.records.append(r)
