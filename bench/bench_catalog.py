"""Application register list: 2,000 applications, with filters (goal: median under 100 ms) and
a query count that does not grow with the register.

Measured with Django's test client as a read-only member of the agency (the full request:
middleware, permission, filters, count, one page of 50 rows, template). Each scenario is
requested 30 times after one warm-up; the query count is printed for each.

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

from _django import setup

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
RUNS = 30
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


SCENARIOS = {
    "no filter": {},
    "kind + lifecycle": {"kind": "khusus", "lifecycle": "produksi"},
    "search 'pajak'": {"q": "pajak"},
    "search two words + sort by OPD": {"q": "data pegawai", "sort": "owner"},
    "reference code RAL.02": {"code": "RAL.02"},
    "hosting + decision, page 5": {"hosting": "pdd", "decision": "invest", "page": "5"},
    "everything": {"kind": "khusus", "q": "sistem", "code": "RAL.02.01", "sort": "-name"},
}


def _rows(content: bytes) -> int:
    found = re.search(rb'data-testid="application-count">\s*(\d+)', content)
    return int(found.group(1)) if found else -1


def main() -> None:
    user = seed()
    client = Client()
    client.force_login(user)
    url = reverse("catalog:application_list")
    load = os.getloadavg()[0]
    print(f"database: {vendor}; {APPS} applications, {RUNS} runs per scenario; load {load:.1f}")
    failed = False
    for label, params in SCENARIOS.items():
        assert client.get(url, params).status_code == 200
        times, cpu = [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url, params)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        median = statistics.median(times)
        ok = median < GOAL_MS
        failed |= not ok
        print(
            f"{label:32s} median {median:6.1f} ms  p95 {sorted(times)[int(RUNS * 0.95) - 1]:6.1f} ms"
            f"  cpu median {statistics.median(cpu):5.1f} ms"
            f"  queries {len(queries):2d}  rows {_rows(response.content):5d}"
            f"  {'OK' if ok else 'OVER'} (goal < {GOAL_MS:.0f} ms)"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
