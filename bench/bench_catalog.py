"""Application register list: 2,000 applications, with filters (goal: median under 100 ms) and
a query count that does not grow with the register nor with the filters.

Measured with Django's test client as a read-only member of the agency (the full request:
middleware, permission, filters, count, one page of 50 rows, template). Each scenario is
requested RUNS times (default 30) after one warm-up; for each: median, p95 and best wall time,
the median ratio to the goal, the median CPU time of this process and of the database calls,
the query count and the rows found. The summary gives the three cases of the issue: no filter,
one filter, several filters + search + sort.

PostgreSQL: the database named by BENCH_DATABASE_URL is emptied (schema dropped and recreated),
then migrated; after seeding, ANALYZE gives the planner the statistics that autovacuum would
have gathered on a real register (without them it guesses one row per table).

Run: .venv/bin/python bench/bench_catalog.py
     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_catalog .venv/bin/python bench/bench_catalog.py
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _django import reset_postgres, setup

reset_postgres()

vendor = setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from padu.accounts.choices import Role  # noqa: E402
from padu.accounts.models import Membership, User  # noqa: E402
from padu.catalog.choices import (  # noqa: E402
    AppCategory,
    AppKind,
    Decision,
    Hosting,
    Lifecycle,
)
from padu.catalog.models import Application, ReferenceCode, ReferenceVersion  # noqa: E402
from padu.organizations.choices import AgencyKind, UnitKind  # noqa: E402
from padu.organizations.models import Agency, Unit  # noqa: E402

GOAL_MS = 100.0
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
APPS = 2000
WORDS = [
    "sistem",
    "informasi",
    "layanan",
    "data",
    "pegawai",
    "pajak",
    "kesehatan",
    "sekolah",
    "izin",
    "arsip",
    "peta",
    "aset",
]


def seed() -> User:
    agency = Agency.objects.create(
        name="Bench Kendari", slug="bench", kind=AgencyKind.KOTA, timezone="Asia/Makassar"
    )
    units = [
        Unit.objects.create(
            agency=agency, name=f"Dinas {i:02d}", acronym=f"D{i:02d}", kind=UnitKind.DINAS
        )
        for i in range(40)
    ]
    version = ReferenceVersion.objects.create(code="bench", title="Bench", checksum="0" * 64)
    # The level is the number of dots, as in the national reference (RAL.02.04 is level 2).
    codes = [
        ReferenceCode.objects.create(
            version=version, model="RAL", code=f"RAL.02.{i:02d}", name=f"Area {i}", level=2
        )
        for i in range(30)
    ]
    rng = random.Random(6)
    apps = [
        Application(
            agency=agency,
            name=f"Aplikasi {i:04d} {rng.choice(WORDS)}",
            acronym=f"APP{i:04d}",
            description=" ".join(rng.choices(WORDS, k=12)),
            owner_unit=rng.choice(units),
            kind=rng.choice(AppKind.values),
            category=rng.choice(AppCategory.values),
            lifecycle=rng.choice(Lifecycle.values),
            hosting=rng.choice(Hosting.values),
            decision=rng.choice(Decision.values),
        )
        for i in range(APPS)
    ]
    Application.objects.bulk_create(apps, batch_size=500)
    through = Application.reference_codes.through
    through.objects.bulk_create(
        [
            through(application_id=app.pk, referencecode_id=rng.choice(codes).pk)
            for app in Application.objects.filter(agency=agency)
        ],
        batch_size=500,
    )
    user = User.objects.create_user(username="bench.viewer", password="bench-password-2026")
    Membership.objects.create(user=user, agency=agency, role=Role.VIEWER)
    return user


# (label, the case it stands for or "", parameters)
SCENARIOS: list[tuple[str, str, dict[str, str]]] = [
    ("no filter", "no filter", {}),
    ("lifecycle", "one filter", {"lifecycle": "produksi"}),
    ("kind + lifecycle", "", {"kind": "khusus", "lifecycle": "produksi"}),
    ("search 'pajak'", "", {"q": "pajak"}),
    ("search two words + sort by OPD", "", {"q": "data pegawai", "sort": "owner"}),
    ("reference code RAL.02", "", {"code": "RAL.02"}),
    ("hosting + decision, page 5", "", {"hosting": "pdd", "decision": "invest", "page": "5"}),
    (
        "filters + search + sort",
        "several filters + search + sort",
        {
            "kind": "khusus",
            "lifecycle": "produksi",
            "code": "RAL.02",
            "q": "sistem",
            "sort": "owner",
        },
    ),
    ("everything", "", {"kind": "khusus", "q": "sistem", "code": "RAL.02.01", "sort": "-name"}),
]


def _rows(content: bytes) -> int:
    found = re.search(rb'data-testid="application-count">\s*(\d+)', content)
    return int(found.group(1)) if found else -1


def _p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


class DatabaseTime:
    """Wall time spent in database calls (Django's execute wrapper)."""

    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - start) * 1000


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    user = seed()
    analyze()
    client = Client()
    client.force_login(user)
    url = reverse("catalog:application_list")
    load = os.getloadavg()[0]
    print(f"database: {vendor}; {APPS} applications, {RUNS} runs per scenario; load {load:.1f}")
    failed = False
    counts: set[int] = set()
    summary: list[str] = []
    for label, case, params in SCENARIOS:
        assert client.get(url, params).status_code == 200
        times, cpu, db = [], [], []
        for _ in range(RUNS):
            spent = DatabaseTime()
            with connection.execute_wrapper(spent):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            db.append(spent.ms)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        counts.add(len(queries))
        median = statistics.median(times)
        ok = median < GOAL_MS
        failed |= not ok
        line = (
            f"{label:32s} median {median:6.1f} ms  p95 {_p95(times):6.1f}  best {min(times):6.1f}"
            f"  ratio {median / GOAL_MS:4.2f}  cpu {statistics.median(cpu):5.1f}"
            f"  db {statistics.median(db):5.1f}  queries {len(queries):2d}"
            f"  rows {_rows(response.content):5d}  {'OK' if ok else 'OVER'}"
        )
        print(line)
        if case:
            summary.append(
                f"  {case:32s} median {median:6.1f} ms  p95 {_p95(times):6.1f} ms"
                f"  ratio to goal {median / GOAL_MS:4.2f}"
            )
    print(f"goal: median < {GOAL_MS:.0f} ms; ratio = median / goal (under 1 meets it)")
    print("\n".join(summary))
    same = len(counts) == 1
    print(f"queries per page: {sorted(counts)} ({'the same' if same else 'NOT the same'} "
          "for every scenario)")  # fmt: skip
    sys.exit(1 if failed or not same else 0)


if __name__ == "__main__":
    main()
