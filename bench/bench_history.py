"""History and result imports on the demo (Kota Kendari, 7 periods 2019-2026, 3 peers):
history page and compare page (queries, median time), an external-results XLSX for 47
indicators (check, apply, re-apply) and a published-results CSV of 500 rows.

Run: .venv/bin/python bench/bench_history.py
"""

from __future__ import annotations

import statistics
import time

from _django import setup

vendor = setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from padu.accounts.models import User  # noqa: E402
from padu.core.demo import seed_demo  # noqa: E402
from padu.evaluation import services_history as svc  # noqa: E402
from padu.evaluation.models import Period  # noqa: E402
from padu.evaluation.results_templates import to_xlsx  # noqa: E402
from padu.organizations.models import Agency, Region  # noqa: E402


def timed(client: Client, url: str, runs: int = 9) -> tuple[int, float]:
    client.get(url)  # warm caches and templates
    count = [0]

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return count[0], statistics.median(times)


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep one connection, as a pooled production server does, so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    started = time.perf_counter()
    seed_demo()
    print(f"[{vendor}] demo seeded in {time.perf_counter() - started:.1f} s")
    agency = Agency.objects.get(slug="kota-kendari")
    for code in ("74.05", "74", "71.71"):
        svc.add_peer(actor=None, agency=agency, region=Region.objects.get(code=code))
    client = Client()
    client.force_login(User.objects.get(username="koordinator"))
    periods = list(Period.objects.filter(agency=agency).order_by("year"))
    n, ms = timed(client, "/evaluasi/riwayat/")
    print(f"history page ({len(periods)} periods): {n} queries, median {ms:.0f} ms")
    n, ms = timed(client, f"/evaluasi/riwayat/banding/?a={periods[0].pk}&b={periods[-2].pk}")
    print(f"compare 5/2018 vs 59/2020: {n} queries, median {ms:.0f} ms")

    period = periods[-1]
    rows = [[period.year, a.indicator.number, a.slot, 3] for a in period.assessments.all()]
    data = to_xlsx(["tahun", "indikator", "slot", "tingkat"], rows, "x")
    for label in ("check", "apply", "re-apply"):
        started = time.perf_counter()
        if label == "check":
            result = svc.preview_external_import(period, data)
        else:
            result = svc.import_external_results(actor=None, period=period, data=data)
        elapsed = (time.perf_counter() - started) * 1000
        print(
            f"external XLSX {len(rows)} rows {label}: {elapsed:.0f} ms, {len(result.changes)} changes"
        )

    codes = sorted(svc.known_region_names())[:50]
    lines = ["tahun,kode wilayah,indeks"] + [
        f"{2018 + i % 10},{codes[i // 10]},{2 + (i % 7) / 10:.2f}" for i in range(500)
    ]
    text = ("\n".join(lines) + "\n").encode()
    for label in ("first", "again"):
        started = time.perf_counter()
        done = svc.import_published_results(actor=None, agency=agency, data=text)
        elapsed = (time.perf_counter() - started) * 1000
        print(
            f"published CSV 500 rows ({label}): {elapsed:.0f} ms, "
            f"{done.created} created {done.updated} updated {done.unchanged} unchanged"
        )


if __name__ == "__main__":
    main()
