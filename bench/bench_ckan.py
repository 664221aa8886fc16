"""CKAN-compatible API under load: package_search and datastore_search, p50/p95 with 10
concurrent clients against a real server (gunicorn on 127.0.0.1, a free port).

Seeds a throw-away database (SQLite, or PostgreSQL with BENCH_DATABASE_URL): one agency with
65 kelurahan, 30 small published datasets (4 elements x 12 months) and one large one
(10 elements by sex x 12 months = 15,600 rows) through the real publishing service.
Goal: p95 under 150 ms for each action. Bounded: each phase stops after BENCH_SECONDS (8 s)
or 150 requests per client.

    .venv/bin/python bench/bench_ckan.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_ckan .venv/bin/python bench/bench_ckan.py
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import _django

GOAL_MS = 150.0
CLIENTS = 10
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
PER_CLIENT = 150


def seed() -> dict[str, str]:
    from padu.accounts.choices import Role
    from padu.accounts.models import Membership, User
    from padu.databank.ckan import make_id
    from padu.databank.models import (
        CategoryCombo,
        DataElement,
        Dataset,
        DatasetElement,
        DataValue,
        OptionCombo,
    )
    from padu.databank.services_publishing import publish_release
    from padu.organizations.models import Agency, Region, Unit

    existing = Dataset.objects.filter(code="BESAR").first()
    if existing is not None:  # BENCH_DATABASE_URL kept from an earlier run
        return {"datastore": make_id("datastore", existing.pk), "org": "kota-kendari-dinas1"}
    city = Region.objects.create(code="74.71", name="Kota Kendari", level=2, kind="kota")
    villages = []
    for d in range(1, 11):
        district = Region.objects.create(
            code=f"74.71.{d:02d}", name=f"Kecamatan {d}", level=3, kind="kecamatan", parent=city
        )
        for v in range(1, 7 if d < 6 else 8):
            villages.append(
                Region.objects.create(
                    code=f"74.71.{d:02d}.{1000 + v}",
                    name=f"Kelurahan {d}-{v}",
                    level=4,
                    kind="kelurahan",
                    parent=district,
                )
            )
    villages = villages[:65]
    agency = Agency.objects.create(
        name="Pemerintah Kota Kendari", slug="kota-kendari", kind="kota", region=city
    )
    units = [
        Unit.objects.create(agency=agency, name=f"Dinas {i}", acronym=f"Dinas{i}", kind="dinas")
        for i in range(6)
    ]
    walidata = User.objects.create_user(username="walidata", password="x")
    Membership.objects.create(user=walidata, agency=agency, role=Role.DATA_CUSTODIAN)
    default = OptionCombo.objects.get(combo__code="default", combo__agency=None)
    sex = CategoryCombo.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    cells = [
        OptionCombo.objects.create(combo=sex, code=c, name=n, position=i)
        for i, (c, n) in enumerate([("L", "Laki-laki"), ("P", "Perempuan")])
    ]
    months = [f"2025{m:02d}" for m in range(1, 13)]
    rng = random.Random(7)
    groups = ["Kesehatan", "Pendidikan", "Sosial", "Kependudukan", "Ekonomi"]

    def dataset(code: str, n_elements: int, combo: CategoryCombo, combo_cells: list) -> Dataset:
        unit = rng.choice(units)
        ds = Dataset.objects.create(
            agency=agency, code=code, name=f"Dataset {code}", period_type="monthly",
            producer=unit, description=f"Data {code} per kelurahan.",
            group=rng.choice(groups), tags=f"tag{rng.randint(1, 9)}, data",
        )  # fmt: skip
        values = []
        for e in range(n_elements):
            element = DataElement.objects.create(
                agency=agency, code=f"{code}_E{e}", name=f"Elemen {code} {e}", concept="K",
                definition="D", classification="Wilayah", measure="Jumlah",
                unit_of_measure="Orang", category_combo=combo, producer=unit,
            )  # fmt: skip
            DatasetElement.objects.create(dataset=ds, element=element, position=e)
            for village in villages:
                for month in months:
                    for cell in combo_cells:
                        values.append(
                            DataValue(
                                element=element,
                                option_combo=cell,
                                region=village,
                                period=month,
                                value=Decimal(rng.randint(0, 900)),
                                status="accepted",
                            )
                        )
        DataValue.objects.bulk_create(values, batch_size=5000)
        publish_release(user=walidata, dataset=ds, periods=months, notes="bench")
        return ds

    for i in range(30):
        dataset(f"DS{i:02d}", 4, default.combo, [default])
    big = dataset("BESAR", 10, sex, cells)
    return {"datastore": make_id("datastore", big.pk), "org": "kota-kendari-dinas1"}


def search_params(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """Varied package_search calls: words, organisations, facets, date ranges, paging."""
    out: list[dict[str, Any]] = []
    for _ in range(n):
        p: dict[str, Any] = {"rows": rng.choice([10, 20, 100]), "start": rng.choice([0, 0, 10])}
        kind = rng.randrange(4)
        if kind == 0:
            p["q"] = f"elemen ds{rng.randrange(30):02d}"
        elif kind == 1:
            p["fq"] = f"organization:kota-kendari-dinas{rng.randrange(6)}"
            p["sort"] = rng.choice(["name asc", "metadata_modified desc", "id asc"])
        elif kind == 2:
            p["facet.field"] = '["groups","tags","organization"]'
            p["fq"] = f"tags:tag{rng.randint(1, 9)}"
        else:
            p["fq"] = f"metadata_modified:[2020-01-{rng.randint(1, 28):02d}T00:00:00Z TO *]"
            p["sort"] = "id asc"
        out.append(p)
    return out


def store_params(rng: random.Random, ids: dict[str, str], n: int) -> list[dict[str, Any]]:
    """Varied datastore_search calls: filters, words, sorted deep pages."""
    out: list[dict[str, Any]] = []
    columns = ["nilai", "kode_wilayah", "periode", "kode_elemen"]
    for _ in range(n):
        p: dict[str, Any] = {"resource_id": ids["datastore"]}
        kind = rng.randrange(4)
        d, v = rng.randint(1, 10), rng.randint(1, 6)
        if kind == 0:
            p["offset"] = rng.randrange(0, 15000, 100)
        elif kind == 1:
            filters = {
                "periode": f"2025{rng.randint(1, 12):02d}",
                "kode_wilayah": f"74.71.{d:02d}.{1000 + v}",
            }
            p["filters"] = json.dumps(filters)
        elif kind == 2:
            p["q"] = f"Kelurahan {d}-{v}"
            p["limit"] = 20
        else:
            p["sort"] = f"{rng.choice(columns)} {rng.choice(['asc', 'desc'])}"
            p["offset"] = rng.randrange(0, 15000, 100)
        out.append(p)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    shim = Path(tempfile.mkdtemp(prefix="padu-bench-settings-"))
    (shim / "bench_ckan_settings.py").write_text(
        "from config.settings import *  # noqa\nOPEN_DATA_RATE_PER_MINUTE = 0\nDEBUG = False\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{shim}:{_django.ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_ckan_settings",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    workers = os.environ.get("BENCH_WORKERS", str(max(2, (os.cpu_count() or 2) * 2)))
    proc = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", workers, "--log-level", "warning"],
        cwd=_django.ROOT, env=env,
    )  # fmt: skip
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def load(urls: list[str]) -> list[float]:
    """10 clients, each looping over its URLs until the time or request budget is spent."""
    timings: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + SECONDS
    errors: list[str] = []

    def client(offset: int) -> None:
        mine = []
        for i in range(PER_CLIENT):
            if time.perf_counter() > stop:
                break
            url = urls[(offset + i) % len(urls)]
            start = time.perf_counter()
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read()
            mine.append((time.perf_counter() - start) * 1000)
            if b'"success": true' not in body[:200]:  # no JSON parsing: keep the client light
                errors.append(url)
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return timings


def sequential(urls: list[str], n: int = 40) -> float:
    """Median of one client alone: the cost of a request without queueing."""
    out = []
    for url in urls[:n]:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        out.append((time.perf_counter() - start) * 1000)
    return statistics.median(out)


def report(name: str, timings: list[float]) -> None:
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{name:<18} {len(timings):>5} requests  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"goal {GOAL_MS:.0f} ms  ratio {p95 / GOAL_MS:.2f}  {'OK' if p95 < GOAL_MS else 'SLOW'}"
    )


def main() -> None:
    vendor = _django.setup()
    started = time.perf_counter()
    ids = seed()
    print(f"database {vendor}; seeded in {time.perf_counter() - started:.1f} s")
    from padu.databank.models import ReleaseRow

    print(f"release rows: {ReleaseRow.objects.count()}")
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}/api/3/action/"
    try:
        q = urllib.parse.urlencode
        rng = random.Random(11)
        search = [base + "package_search?" + q(p) for p in search_params(rng, 400)]
        store = [base + "datastore_search?" + q(p) for p in store_params(rng, ids, 400)]
        load([base + "status_show"])  # warm up every worker
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"one client alone, median: package_search {sequential(search[-40:]):.1f} ms, "
            f"datastore_search {sequential(store[-40:]):.1f} ms"
        )
        print(f"10 clients, varied queries (mostly not yet cached), up to {SECONDS:.0f} s each:")
        report("package_search", load(search))
        report("datastore_search", load(store))
        print(f"load average: {os.getloadavg()[0]:.1f}")
        print("the same queries again (answers kept per process):")
        report("package_search", load(search))
        report("datastore_search", load(store))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
