"""The streaming ZIP writer of the evidence bundle: what it writes is a ZIP that `zipfile`
and Info-ZIP `unzip -t` accept, whichever way each member was written, and the SHA-256 it
returns is that of the bytes on disk."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

from padu.evaluation.streaming import MAX_OPEN_AHEAD, MB, BufferPool, HashThread, ReadAhead
from padu.evaluation.zip_writer import DEFLATED, STORED, ZipStream

TEXT = b"Laporan SPBE Kota Kendari\n" * 4000  # compresses well
RANDOM = os.urandom(300_000)


def write(path: Path, build: object) -> tuple[int, str]:
    with open(path, "wb") as fh, HashThread("test-zip", backlog=64 * 1024) as hasher:
        zs = ZipStream(fh, hasher)
        build(zs)  # type: ignore[operator]
        return zs.close()


def members(zs: ZipStream) -> None:
    zs.add("I01/L1/a.pdf", [RANDOM[:1000], RANDOM[1000:]], method=STORED)
    zs.add("I01/L1/b.txt", [TEXT], method=DEFLATED)
    zs.add("kosong.pdf", [], method=STORED)
    streamed = zs.open("I02/L3/besar.pdf", method=STORED)
    for start in range(0, len(RANDOM), 65536):
        streamed.write(RANDOM[start : start + 65536])
    streamed.close()
    streamed = zs.open("I02/L3/besar.txt", method=DEFLATED)
    streamed.write(TEXT[:50000])
    streamed.write(TEXT[50000:])
    streamed.close()
    zs.add("Laporan ü.csv", [b"a,b\n"], method=DEFLATED)


def test_held_and_streamed_members_read_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    size, sha = write(path, members)
    content = path.read_bytes()
    assert size == len(content)
    assert sha == hashlib.sha256(content).hexdigest()
    zf = zipfile.ZipFile(path)
    assert zf.testzip() is None
    assert zf.read("I01/L1/a.pdf") == RANDOM[:1000] + RANDOM[1000:]
    assert zf.read("I01/L1/b.txt") == TEXT
    assert zf.read("kosong.pdf") == b""
    assert zf.read("I02/L3/besar.pdf") == RANDOM
    assert zf.read("I02/L3/besar.txt") == TEXT
    assert zf.read("Laporan ü.csv") == b"a,b\n"
    info = {i.filename: i for i in zf.infolist()}
    assert info["I01/L1/a.pdf"].compress_type == zipfile.ZIP_STORED
    assert info["I01/L1/b.txt"].compress_type == zipfile.ZIP_DEFLATED
    assert info["I01/L1/b.txt"].compress_size < len(TEXT) // 10
    assert info["I01/L1/a.pdf"].flag_bits & 0x08 == 0  # CRC-32 in the header, no descriptor
    assert info["I02/L3/besar.pdf"].flag_bits & 0x08  # streamed: sizes after the data
    assert info["I01/L1/a.pdf"].external_attr >> 16 == 0o644


def test_a_zip_read_as_a_stream_finds_the_held_members_sizes_in_their_headers(
    tmp_path: Path,
) -> None:
    """Readers that do not look at the central directory (Java's ZipInputStream refuses a
    stored member with a data descriptor) need the local header to be final."""
    path = tmp_path / "b.zip"
    write(path, lambda zs: zs.add("a.pdf", [RANDOM], method=STORED))
    content = path.read_bytes()
    header = zipfile.sizeFileHeader
    assert content[:4] == b"PK\x03\x04"
    name_length = int.from_bytes(content[26:28], "little")
    extra_length = int.from_bytes(content[28:30], "little")
    assert int.from_bytes(content[18:22], "little") == len(RANDOM)  # compressed size
    start = header + name_length + extra_length
    assert content[start : start + len(RANDOM)] == RANDOM


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_info_zip_accepts_it(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    write(path, members)
    done = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No errors detected" in done.stdout


def test_an_empty_zip_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    size, sha = write(path, lambda zs: None)
    assert size == 22 and zipfile.ZipFile(path).namelist() == []
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_more_members_than_a_plain_zip_counts_get_zip64_end_records(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"

    def many(zs: ZipStream) -> None:
        for i in range(0xFFFF + 2):
            zs.add(f"{i}", [], method=STORED)

    size, sha = write(path, many)
    content = path.read_bytes()
    assert size == len(content)
    assert b"PK\x06\x06" in content[-100:]  # the ZIP64 end of central directory
    zf = zipfile.ZipFile(io.BytesIO(content))
    assert len(zf.infolist()) == 0xFFFF + 2
    assert sha == hashlib.sha256(content).hexdigest()


def test_a_buffer_is_reused_only_once_every_hash_given_before_its_return_is_done() -> None:
    gate = threading.Event()

    class Slow:
        def update(self, data: memoryview) -> None:
            gate.wait(5)

    with HashThread("test-a") as a, HashThread("test-b") as b:
        pool = BufferPool(16, a, b)
        first = pool.get()
        a.update(hashlib.sha256(), memoryview(first))
        b.update(Slow(), memoryview(first))
        pool.give_back([first])
        a.wait()
        assert pool.get() is not first  # b is still reading it
        gate.set()
        b.wait()
        assert pool.get() is first


def test_read_ahead_hands_files_out_in_order_and_closes_the_rest(tmp_path: Path) -> None:
    for name in ("a", "c", "d"):
        (tmp_path / name).write_bytes(name.encode() * 10)
    opened: list[io.BufferedReader] = []

    def open_source(name: str) -> io.BufferedReader:
        fh = open(tmp_path / name, "rb")  # noqa: SIM115 (closed by the reader or ReadAhead)
        opened.append(fh)
        return fh

    ahead = ReadAhead([(n, 10) for n in "abcd"], open_source, window=15)
    with ahead.open("a") as fh:
        assert fh.read() == b"a" * 10
    with pytest.raises(FileNotFoundError):
        ahead.open("b")  # its error comes in its turn
    with pytest.raises(RuntimeError):
        ahead.open("d")  # out of order is a bug, not a missing file
    ahead.close()
    assert opened and all(fh.closed for fh in opened)


def test_read_ahead_keeps_few_files_open_however_small(tmp_path: Path) -> None:
    names = [f"{i}" for i in range(200)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    ahead = ReadAhead(
        [(n, 0) for n in names],
        lambda n: open(tmp_path / n, "rb"),  # noqa: SIM115 (ReadAhead closes them)
        window=MB,
    )
    with ahead.open("0"):
        pass
    assert len(ahead.opened) <= MAX_OPEN_AHEAD
    ahead.close()
