"""Evidence bundle of 2,000 files totalling 1 GB: peak memory of the worker process (goal
under 200 MB) and throughput, compared with a plain copy of the same files in the same run.

The bundle is built by the real worker (`db_worker --batch`) in a child process, which
reports its own peak RSS (VmHWM; Linux) and CPU time. The copy streams the same files into
one file with shutil.copyfileobj (1 MB buffer), in this process.

Cold: before every copy and every bundle the files (only they) are dropped from the page
cache with posix_fadvise(DONTNEED) after a sync, so both read them from the disk. Warm: the
files are read once before the rounds, and both read them from the page cache.

Copy and bundle alternate for --rounds rounds (the order swapped every round) and the best
and the median of each are compared, because a shared machine's disk and CPUs vary from one
second to the next. CPU seconds (user + system, all threads) are printed too: they vary far
less than wall time when other processes compete for the two cores. The bundle must hash
each byte twice with SHA-256 (the file's checksum, the ZIP's checksum); the time of one
SHA-256 pass over the files on one core is printed as the floor of that work.

Run: .venv/bin/python bench/bench_bundle.py [--files 2000] [--mb 1024] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _django import ROOT, setup

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--files", type=int, default=2000, help="number of evidence files")
parser.add_argument("--mb", type=int, default=1024, help="total size of the files in MB")
parser.add_argument("--rounds", type=int, default=3, help="copy and bundle, alternately")
parser.add_argument(
    "--cache",
    choices=["cold", "warm", "both"],
    default="both",
    help="cold: the files are dropped from the page cache before each run (disk-bound); "
    "warm: they stay cached (CPU- and memory-bound)",
)
parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
args = parser.parse_args()

vendor = setup()
VAR_DIR = Path(os.environ["PADU_VAR_DIR"])

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from padu.accounts.choices import Role  # noqa: E402
from padu.accounts.models import Membership, User  # noqa: E402
from padu.evaluation import services  # noqa: E402
from padu.evaluation.choices import EvidenceKind, Stage  # noqa: E402
from padu.evaluation.instrument_loader import load_bundled_instruments  # noqa: E402
from padu.evaluation.models import (  # noqa: E402
    Evidence,
    EvidenceBundle,
    EvidenceFile,
    EvidenceLink,
    Instrument,
)
from padu.evaluation.permissions import today_in  # noqa: E402
from padu.evaluation.services_bundles import request_evidence_bundle  # noqa: E402
from padu.organizations.choices import AgencyKind, UnitKind  # noqa: E402
from padu.organizations.models import Agency, Unit  # noqa: E402

GOAL_MB = 200
IDLE_CPU: list[float] = []
MB = 1024 * 1024


def write_random(path: Path, size: int) -> str:
    """`size` random bytes (incompressible, like PDFs and photos); returns the SHA-256."""
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        left = size
        while left:
            chunk = os.urandom(min(left, 4 * MB))
            fh.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def seed(files: int, total: int) -> tuple[User, object, list[Path]]:
    load_bundled_instruments()
    agency = Agency.objects.create(
        name="Bench Kota", slug="bench", kind=AgencyKind.KOTA, timezone="Asia/Makassar"
    )
    units = Unit.objects.bulk_create(
        Unit(agency=agency, name=f"Dinas {i:02d}", acronym=f"D{i:02d}", kind=UnitKind.DINAS)
        for i in range(40)
    )
    user = User.objects.create_user(username="koordinator", password="x" * 12)
    Membership.objects.create(user=user, agency=agency, role=Role.SPBE_COORDINATOR)
    today = today_in(agency)
    period = services.create_period(
        actor=user,
        agency=agency,
        year=2026,
        instrument=Instrument.objects.get(code="permenpanrb-59-2020", agency__isnull=True),
        windows={Stage.SELF_ASSESSMENT: (today, today + datetime.timedelta(days=5))},
    )
    assessments = list(period.assessments.all())
    evidence = Evidence.objects.bulk_create(
        Evidence(
            agency=agency,
            owner_unit=units[i % 40],
            title=f"Bukti dukung {i}",
            kind=EvidenceKind.REPORT,
            document_number=f"{i}/2026",
        )
        for i in range(files)
    )
    media = Path(settings.MEDIA_ROOT)
    size, extra = divmod(total, files)
    paths, stored = [], []
    for i, e in enumerate(evidence):
        name = f"evidence/{agency.pk}/{e.pk}/1-laporan-{i}.pdf"
        nbytes = size + (1 if i < extra else 0)
        paths.append(media / name)
        sha = write_random(media / name, nbytes)
        stored.append(
            EvidenceFile(
                evidence=e,
                version=1,
                file=name,
                original_name=f"Laporan {i}.pdf",
                content_type="application/pdf",
                size=nbytes,
                sha256=sha,
            )
        )
    EvidenceFile.objects.bulk_create(stored, batch_size=500)
    EvidenceLink.objects.bulk_create(
        (
            EvidenceLink(assessment=assessments[i % len(assessments)], evidence=e, level=1 + i % 5)
            for i, e in enumerate(evidence)
        ),
        batch_size=500,
    )
    return user, period, paths


# The worker's own peak (VmHWM of its memory map), printed by the child itself: the parent's
# RUSAGE_CHILDREN would also count the parent's memory, which a forked child starts from.
WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.management import call_command
call_command("db_worker", "--batch", "--queue-name", "bundles", "--no-startup-delay", verbosity=0)
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
times = os.times()
print(peak, times.user + times.system)
"""


def run_worker() -> tuple[float, int, float]:
    """The real worker (`db_worker --batch`) in a child process; (wall seconds, peak bytes,
    CPU seconds of the whole process, start-up included)."""
    env = {**os.environ, "TASKS_BACKEND": "database"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak, cpu = done.stdout.split()[-2:]
    return wall, int(peak) * 1024, float(cpu)


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def plain_copy(paths: list[Path], target: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of copying the files into one file."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    with open(target, "wb") as out:
        for path in paths:
            with open(path, "rb") as src:
                shutil.copyfileobj(src, out, MB)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    target.unlink()
    return elapsed, cpu


def hash_floor(paths: list[Path]) -> float:
    """Seconds of one SHA-256 pass over the (cached) files on one core."""
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as src:
            digest = hashlib.sha256()
            while chunk := src.read(MB):
                digest.update(chunk)
    return time.perf_counter() - started


def bundle_round(user: User, period: object) -> tuple[float, float, int, int, float]:
    """One bundle built by the worker: (job seconds, worker wall seconds, peak RSS, ZIP size,
    worker CPU seconds)."""
    bundle, _created = request_evidence_bundle(period=period, user=user)  # type: ignore[arg-type]
    connection.close()  # SQLite: let the worker have the database
    wall, peak, cpu = run_worker()
    bundle = EvidenceBundle.objects.get(pk=bundle.pk)
    assert bundle.status == "done", (bundle.status, bundle.error)
    assert bundle.done_files == args.files and bundle.missing_files == 0
    job_s = (bundle.finished_at - bundle.started_at).total_seconds()  # type: ignore[operator]
    size = bundle.size
    bundle.file.delete(save=False)  # keep the disk for the next round
    return job_s, wall, peak, size, cpu


def evict(paths: list[Path]) -> None:
    """Drop these files (only these) from the page cache, so they are read from the disk."""
    os.sync()
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def summary(label: str, seconds: list[float], data_mb: float) -> str:
    best, median = min(seconds), statistics.median(seconds)
    return (
        f"{label} best {best:.2f} s ({data_mb / best:.0f} MB/s), "
        f"median {median:.2f} s ({data_mb / median:.0f} MB/s)"
    )


def measure(mode: str, user: User, period: object, paths: list[Path], data_mb: float) -> None:
    copies, copy_cpus, jobs, walls, cpus, peaks = [], [], [], [], [], []
    if mode == "warm":
        floor = hash_floor(paths)  # reads every file: they are all cached from here on
        print(f"warm: one SHA-256 pass over the files on one core {floor:.2f} s")
    for n in range(1, args.rounds + 1):
        for run in ("copy", "bundle") if n % 2 else ("bundle", "copy"):
            if mode == "cold":
                evict(paths)
            else:
                os.sync()  # no dirty pages of the other run still being written out
            if run == "copy":
                copy_s, copy_cpu = plain_copy(paths, VAR_DIR / "copy.bin")
                copies.append(copy_s)
                copy_cpus.append(copy_cpu)
            else:
                job_s, wall, peak, size, cpu = bundle_round(user, period)
                jobs.append(job_s)
                walls.append(wall)
                cpus.append(cpu)
                peaks.append(peak)
        print(
            f"{mode} round {n}: copy {copies[-1]:.2f} s ({data_mb / copies[-1]:.0f} MB/s, "
            f"CPU {copy_cpus[-1]:.2f} s), bundle job {jobs[-1]:.2f} s "
            f"({data_mb / jobs[-1]:.0f} MB/s, ZIP {size / MB:.0f} MB), worker process "
            f"{walls[-1]:.2f} s, CPU {cpus[-1]:.2f} s, peak RSS {peaks[-1] / MB:.0f} MB"
        )
    print(
        f"{vendor} {mode} cache, {args.files} files, {data_mb:.0f} MB, {args.rounds} rounds: "
        + summary("bundle job", jobs, data_mb)
        + "; "
        + summary("plain copy", copies, data_mb)
    )
    print(
        f"{vendor} {mode} cache: bundle/copy time ratio best {min(jobs) / min(copies):.2f}, "
        f"median {statistics.median(jobs) / statistics.median(copies):.2f}; "
        f"CPU seconds median: worker {statistics.median(cpus):.2f} "
        f"(of which {IDLE_CPU[0]:.2f} an idle worker's start-up), copy "
        f"{statistics.median(copy_cpus):.2f}"
    )
    print(
        f"{vendor} {mode} cache: worker peak RSS {max(peaks) / MB:.0f} MB "
        f"(goal < {GOAL_MB} MB, ratio {max(peaks) / MB / GOAL_MB:.2f})"
    )


def main() -> None:
    total = args.mb * MB
    free = shutil.disk_usage(VAR_DIR).free
    if free < total * 3.2:
        sys.exit(f"needs about {total * 3.2 / MB:.0f} MB free in {VAR_DIR}, has {free / MB:.0f}")
    try:
        started = time.perf_counter()
        user, period, paths = seed(args.files, total)
        print(f"seeded {args.files} files, {args.mb} MB in {time.perf_counter() - started:.1f} s")
        connection.close()
        IDLE_CPU.append(run_worker()[2])  # nothing queued: start-up and shut-down only
        for mode in ("cold", "warm") if args.cache == "both" else (args.cache,):
            measure(mode, user, period, paths, total / MB)
    finally:
        if not args.keep:
            shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
