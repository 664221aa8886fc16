"""How long the demo data bank adds to `seed_demo` (goal: under ~20 s), and the list pages.

.venv/bin/python bench/bench_databank_demo.py
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_dbmeta .venv/bin/python bench/bench_databank_demo.py
"""

from __future__ import annotations

import time

from _django import setup

GOAL_SEED_S = 20.0
GOAL_PAGE_MS = 300.0


def main() -> None:
    vendor = setup()
    import padu.databank.demo as databank_demo
    from padu.core import demo

    real = databank_demo.seed_databank
    databank_demo.seed_databank = lambda agency, people: []  # type: ignore[assignment]
    started = time.perf_counter()
    demo.seed_demo()
    base = time.perf_counter() - started
    databank_demo.seed_databank = real

    from padu.accounts.models import User
    from padu.databank.models import AggregateValue, DataValue, Submission
    from padu.organizations.models import Agency

    kendari = Agency.objects.get(slug="kota-kendari")
    people = {u.username: u for u in User.objects.all()}
    started = time.perf_counter()
    real(kendari, people)
    added = time.perf_counter() - started
    print(f"database: {vendor}")
    print(f"seed_demo without the data bank: {base:.1f} s")
    print(
        f"seed_databank: {added:.1f} s (ratio to the {GOAL_SEED_S:.0f} s goal: {added / GOAL_SEED_S:.2f})"
    )
    print(
        f"rows: {DataValue.objects.count()} values, {AggregateValue.objects.count()} aggregates, "
        f"{Submission.objects.count()} submissions"
    )

    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="walidata"))
    for url in ("/data/", "/data/elemen/", "/data/dataset/", "/data/disagregasi/"):
        client.get(url)
        started = time.perf_counter()
        for _ in range(5):
            assert client.get(url, HTTP_HOST="localhost").status_code == 200
        ms = (time.perf_counter() - started) / 5 * 1000
        print(f"GET {url}: {ms:.0f} ms (ratio to {GOAL_PAGE_MS:.0f} ms: {ms / GOAL_PAGE_MS:.2f})")


if __name__ == "__main__":
    main()
