"""Reading and hashing for the evidence bundle, overlapped on the two cores: the next files
are read in by the kernel ahead of time, each byte is read once into a reused buffer, and the
two SHA-256 digests of it (the file's, the ZIP's) are fed on helper threads (hashlib lets go
of the GIL on large buffers). Pure module: no Django.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

MB = 1024 * 1024
MAX_OPEN_AHEAD = 64

Buffer = bytes | bytearray | memoryview


class HashThread:
    """Feeds hashes on one helper thread, in the order given (hashlib lets go of the GIL on
    large buffers, so this overlaps reading and writing). At most `backlog` bytes wait:
    the buffers stay referenced until hashed, so this is what keeps memory flat."""

    def __init__(self, name: str, backlog: int = 16 * MB) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._backlog = backlog
        self._pending: deque[tuple[Future[None], int]] = deque()
        self._waiting = 0
        self.submitted = 0  # jobs given, and jobs done: see `BufferPool`
        self.finished = 0

    def _run(self, digest: Any, data: Buffer) -> None:
        digest.update(data)
        self.finished += 1  # only this thread writes it

    def update(self, digest: Any, data: Buffer) -> None:
        """`digest.update(data)` later; `data` must not change until then."""
        self.submitted += 1
        self._pending.append((self._pool.submit(self._run, digest, data), len(data)))
        self._waiting += len(data)
        while self._waiting > self._backlog:
            self._pop()

    def _pop(self) -> None:
        future, size = self._pending.popleft()
        future.result()
        self._waiting -= size

    def wait(self) -> None:
        """Return when everything given so far is hashed."""
        while self._pending:
            self._pop()

    def close(self) -> None:
        self.wait()
        self._pool.shutdown()

    def __enter__(self) -> HashThread:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:  # failing anyway: do not wait for hashes nobody will read
            self._pending.clear()
        self._pool.shutdown(cancel_futures=exc[0] is not None)


class BufferPool:
    """Read buffers, used again once every hash given before their return is done. A fresh
    buffer per read costs a page fault per 4 KB: a third of the bundle's system time."""

    def __init__(self, size: int, *threads: HashThread) -> None:
        self.size = size
        self.threads = threads
        self._free: list[bytearray] = []
        self._busy: deque[tuple[bytearray, tuple[int, ...]]] = deque()

    def get(self) -> bytearray:
        while self._busy and all(
            t.finished >= mark for t, mark in zip(self.threads, self._busy[0][1], strict=True)
        ):
            self._free.append(self._busy.popleft()[0])
        return self._free.pop() if self._free else bytearray(self.size)

    def give_back(self, buffers: list[bytearray]) -> None:
        """`buffers` are free once the hashes given so far are done."""
        marks = tuple(t.submitted for t in self.threads)
        self._busy.extend((b, marks) for b in buffers)


class ReadAhead:
    """Opens the next files on a helper thread before they are packed and asks the kernel to
    read them in (posix_fadvise WILLNEED), so the disk works while the packing thread hashes
    and writes; about `window` bytes ahead. Opening (storage code, a system call) and the
    advice (which queues the reads on a cold disk) took a third of the packing thread's
    time. Storages without a local file are only opened ahead, and read in their turn."""

    def __init__(
        self, names: list[tuple[str, int]], open_source: Callable[[str], IO[bytes]], window: int
    ) -> None:
        self.names = names
        self.open_source = open_source
        self.window = window
        self.next = 0
        self.opened: deque[tuple[str, int, Future[IO[bytes] | OSError]]] = deque()
        self.ahead = 0
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-ahead")

    def _open(self, name: str) -> IO[bytes] | OSError:
        try:
            source = self.open_source(name)
        except OSError as exc:  # raised in its turn, as `open_source` would
            return exc
        with contextlib.suppress(AttributeError, OSError, ValueError):  # no local file
            os.posix_fadvise(source.fileno(), 0, 0, os.POSIX_FADV_WILLNEED)
        return source

    def _prefetch(self) -> None:
        while (
            self.next < len(self.names)
            and len(self.opened) < MAX_OPEN_AHEAD  # small files: descriptors run out first
            and (not self.opened or self.ahead < self.window)
        ):
            name, size = self.names[self.next]
            self.next += 1
            self.opened.append((name, size, self.pool.submit(self._open, name)))
            self.ahead += size

    def open(self, name: str) -> IO[bytes]:
        """The source of `name`, the next file in the list; raises as `open_source` would."""
        self._prefetch()
        expected, size, future = self.opened[0]
        if expected != name:
            raise RuntimeError(f"read ahead {expected!r} but {name!r} was asked for")
        self.opened.popleft()
        self.ahead -= size
        self._prefetch()
        source = future.result()
        if isinstance(source, OSError):
            raise source
        return source

    def close(self) -> None:
        """Close what was opened and not asked for (the packing failed)."""
        for _name, _size, future in self.opened:
            with contextlib.suppress(Exception):
                source = future.result()
                if not isinstance(source, OSError):
                    source.close()
        self.opened.clear()
        self.pool.shutdown()


def read_into(source: IO[bytes], buffer: memoryview) -> int:
    readinto = getattr(source, "readinto", None)
    if readinto is not None:
        return int(readinto(buffer) or 0)
    data = source.read(len(buffer))  # a storage's file without readinto
    buffer[: len(data)] = data
    return len(data)
