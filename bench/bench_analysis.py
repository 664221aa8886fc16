"""Data bank analysis: the pivot for one kota and the national rollup by province.

1. Pivot: Kota Kendari (65 kelurahan), 100 elements (sum/average/last), 12 months, distinct
   figures with decimals written as DataValue and rolled up by `rollups.rebuild`. Timed (p50,
   p95, ratio to the goal), labelled "[page]": the selector for the first page of
   `PAGE_ROWS` rows and what the user waits for, that page (GET through Django's test client
   as a signed-in walidata: session, permissions, filter form, selector, template); labelled
   "[whole table]": the unpaged selector (6,500 rows) and the CSV export of the same request,
   which hold every row. Goal: under 100 ms.
2. National: all 83,762 villages, one sum element, one value per village per month of 2025
   (about 1M DataValue). The aggregates of every level are built set-based in SQL (a bulk
   path equivalent to `rollups`, checked against a direct sum of the values); then the
   province read from AggregateValue is timed (goal under 1 s), compared with summing the
   raw values, and the incremental refresh after one changed value and after one kota's
   month (65 values) through `write_values` is timed.

Run: .venv/bin/python bench/bench_analysis.py
     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_analysis \
       .venv/bin/python bench/bench_analysis.py
     BENCH_ONLY=pivot ... runs the pivot part alone (the national set-up takes minutes).
The PostgreSQL database is emptied first.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from _django import reset_postgres, setup

reset_postgres()

vendor = setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from padu.accounts.choices import Role  # noqa: E402
from padu.accounts.models import Membership, User  # noqa: E402
from padu.databank import rollups  # noqa: E402
from padu.databank import selectors_analysis as sel  # noqa: E402
from padu.databank.models import AggregateValue, DataElement, OptionCombo  # noqa: E402
from padu.databank.services_values import ValueRow, write_values  # noqa: E402
from padu.organizations.models import Agency, Region  # noqa: E402
from padu.organizations.regions_import import import_regions, read_regions  # noqa: E402

MONTHS = [f"2025{m:02d}" for m in range(1, 13)]
MONTH_SQL = " UNION ALL ".join(f"SELECT '{m}' AS period, {int(m[4:])} AS n" for m in MONTHS)
NOW = "'2025-12-31 00:00:00+00'"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(label: str, ms: float, goal_ms: float) -> None:
    print(f"[{vendor}] {label}: {ms:.1f} ms (goal {goal_ms:.0f} ms, ratio {ms / goal_ms:.2f})")


def insert_values(element_id: int, combo_id: int, where: str, value_sql: str) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO databank_datavalue (element_id, option_combo_id, region_id, period,"
            " value, text, comment, status, return_reason, return_comment, created_at,"
            f" updated_at) SELECT {element_id}, {combo_id}, r.code, m.period, {value_sql},"
            f" '', '', 'entered', '', '', {NOW}, {NOW}"
            f" FROM organizations_region r, ({MONTH_SQL}) m WHERE {where}"
        )


def bulk_rollup_sum(element_id: int) -> None:
    """Every aggregate of a sum element, set-based: leaf spans, then level by level."""
    spans = {
        "month": "v.period",
        "quarter": "substr(v.period, 1, 4) || 'Q' || "
        "CAST((CAST(substr(v.period, 5, 2) AS INTEGER) + 2) / 3 AS VARCHAR(1))",
        "semester": "substr(v.period, 1, 4) || 'S' || "
        "CAST((CAST(substr(v.period, 5, 2) AS INTEGER) + 5) / 6 AS VARCHAR(1))",
        "year": "substr(v.period, 1, 4)",
    }
    with connection.cursor() as cur:
        for expr in spans.values():
            cur.execute(
                "INSERT INTO databank_aggregatevalue (element_id, option_combo_id, region_id,"
                f" period, value, count) SELECT v.element_id, v.option_combo_id, v.region_id,"
                f" {expr}, SUM(v.value), COUNT(*) FROM databank_datavalue v"
                f" WHERE v.element_id = {element_id} AND v.value IS NOT NULL"
                f" GROUP BY v.element_id, v.option_combo_id, v.region_id, {expr}"
            )
        for level in (3, 2, 1):
            cur.execute(
                "INSERT INTO databank_aggregatevalue (element_id, option_combo_id, region_id,"
                " period, value, count) SELECT a.element_id, a.option_combo_id, r.parent_id,"
                " a.period, SUM(a.value), SUM(a.count) FROM databank_aggregatevalue a"
                " JOIN organizations_region r ON r.code = a.region_id"
                f" WHERE a.element_id = {element_id} AND r.level = {level + 1}"
                " GROUP BY a.element_id, a.option_combo_id, r.parent_id, a.period"
            )


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would give production."""
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def seed_pivot(agency: Agency, combo: OptionCombo) -> list[DataElement]:
    """100 elements (sum/average/last) with a value per kelurahan and month, rolled up."""
    kinds = ["sum", "average", "last"]
    elements = [
        DataElement(
            agency=agency,
            code=f"E{i:03d}",
            name=f"Element {i:03d}",
            category_combo=combo.combo,
            aggregation=kinds[i % 3],
        )
        for i in range(100)
    ]
    DataElement.objects.bulk_create(elements)
    elements = list(DataElement.objects.filter(agency=agency, code__startswith="E"))
    started = time.perf_counter()
    for e in elements:
        # Distinct figures with quarters (.25, .5, .75): no two cells read or print alike.
        figure = f"(m.n * 100000 + {e.pk * 7} * 100 + CAST(substr(r.code, 10, 4) AS INTEGER)) / 4.0"
        insert_values(e.pk, combo.pk, "r.level = 4 AND r.code LIKE '74.71.%'", figure)
    rollups.rebuild([e.pk for e in elements])
    analyze()
    print(
        f"[{vendor}] pivot data: 78,000 values rolled up in {time.perf_counter() - started:.1f} s"
    )
    return elements


def timed(label: str, call: Callable[[], object], goal_ms: float, runs: int = 20) -> None:
    """p50 and p95 of `runs` calls after one warm-up call."""
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    p50, high = statistics.median(samples), p95(samples)
    print(
        f"[{vendor}] {label}: p50 {p50:.1f} ms, p95 {high:.1f} ms "
        f"(goal {goal_ms:.0f} ms, p95/goal {high / goal_ms:.2f})"
    )


def walidata(agency: Agency) -> Client:
    """A test client signed in as the agency's data custodian (sees every element)."""
    user = User.objects.create_user(username="bench.walidata", password="x" * 12)
    Membership.objects.create(user=user, agency=agency, role=Role.DATA_CUSTODIAN)
    client = Client()
    client.force_login(user)
    return client


def pivot_bench(agency: Agency, combo: OptionCombo) -> None:
    elements = seed_pivot(agency, combo)
    spec = sel.PivotSpec(
        element_ids=tuple(e.pk for e in elements),
        level=4,
        period_type="monthly",
        start="202501",
        end="202512",
    )
    table = sel.pivot(agency, elements, spec)
    assert len(table.rows) == 100 * 65 and table.filled == 78_000, (len(table.rows), table.filled)
    first = sel.pivot(agency, elements, spec, page=1)
    assert first.page is not None and first.rows == table.rows[: sel.PAGE_ROWS]
    pages = first.page.paginator.num_pages
    print(
        f"[{vendor}] pivot: {len(table.rows):,} rows in {pages} pages of {sel.PAGE_ROWS} rows"
        f" ({len(first.rows) * len(first.columns):,} figures on a page)"
    )
    # (1) What the page reads and shows: its first page.
    timed(
        f"[page] pivot selector, first page ({sel.PAGE_ROWS} of 6,500 rows x 12 months)",
        lambda: sel.pivot(agency, elements, spec, page=1),
        100,
    )
    # What the user waits for: the whole page (session, permissions, form, selector, template).
    client = walidata(agency)
    query = "&".join(f"elements={e.pk}" for e in elements)
    url = f"{reverse('databank:pivot')}?{query}&level=4&period_type=monthly&start=202501&end=202512"

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert (
            b"Element 000" in response.content and b'data-testid="pivot-pager"' in response.content
        )

    with CaptureQueriesContext(connection) as queries:
        page()
    print(f"[{vendor}] pivot page: {len(queries)} queries, {len(client.get(url).content):,} bytes")
    timed("[page] pivot page (GET as walidata), first page", page, 100)
    # (2) The whole table: what the CSV export reads (not what the page shows).
    timed(
        "[whole table] pivot selector, 65 kelurahan x 100 elements x 12 months",
        lambda: sel.pivot(agency, elements, spec),
        100,
    )

    def export() -> None:
        response = client.get(url + "&format=csv")
        assert response.content.count(b"\n") == 1 + 6500, response.content.count(b"\n")

    timed("[whole table] pivot CSV export, same request", export, 100, runs=5)
    yearly = sel.PivotSpec(spec.element_ids, 3, "quarterly", "2025Q1", "2025Q4", columns="region")
    timed(
        "[whole table] pivot selector, 11 kecamatan x 100 elements x 4 quarters",
        lambda: sel.pivot(agency, elements, yearly),
        100,
    )


def national_bench(combo: OptionCombo) -> None:
    nation = Agency.objects.create(name="Bench nasional", slug="bench-nasional", kind="provinsi")
    element = DataElement.objects.create(
        agency=nation, code="NAT", name="National", category_combo=combo.combo, aggregation="sum"
    )
    villages = Region.objects.filter(level=4).count()
    started = time.perf_counter()
    with transaction.atomic():
        insert_values(element.pk, combo.pk, "r.level = 4", "m.n")
    print(f"[{vendor}] {villages * 12:,} values inserted in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        bulk_rollup_sum(element.pk)
    kept = AggregateValue.objects.filter(element=element).count()
    analyze()
    print(f"[{vendor}] {kept:,} aggregates built in {time.perf_counter() - started:.1f} s")
    provinces = list(Region.objects.filter(level=1).values_list("code", flat=True))
    samples = []
    for _ in range(9):
        started = time.perf_counter()
        by_province = sel.series(element, provinces, ["2025"])
        samples.append((time.perf_counter() - started) * 1000)
    total = sum((v.get("2025") or Decimal(0) for v in by_province.values()), Decimal(0))
    assert total == Decimal(78 * villages), (total, 78 * villages)
    report(f"province rollup, 1 element, 2025, {villages:,} villages, p95", p95(samples), 1000)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT substr(region_id, 1, 2), SUM(value) FROM databank_datavalue"
            " WHERE element_id = %s AND period LIKE '2025%%' GROUP BY substr(region_id, 1, 2)",
            [element.pk],
        )
        raw = sum(row[1] for row in cur.fetchall())
    scan = (time.perf_counter() - started) * 1000
    assert Decimal(raw) == total
    print(
        f"[{vendor}] same figures by scanning DataValue: {scan:.0f} ms "
        f"(rollup read is {scan / max(p95(samples), 0.01):.0f}x faster)"
    )
    village = Region.objects.filter(level=4, code__startswith="74.71.").order_by("code").first()
    assert village is not None
    samples = []
    for n in range(5):
        row = ValueRow(element.pk, combo.pk, village.code, "202506", Decimal(100 + n))
        started = time.perf_counter()
        write_values(rows=[row], user=None, source="entry")
        samples.append((time.perf_counter() - started) * 1000)
    report("write + incremental refresh, 1 value (4 spans x 5 levels), p95", p95(samples), 1000)
    kota = list(
        Region.objects.filter(level=4, code__startswith="74.71.").values_list("code", flat=True)
    )
    rows = [ValueRow(element.pk, combo.pk, code, "202507", Decimal(50)) for code in kota]
    started = time.perf_counter()
    write_values(rows=rows, user=None, source="entry")
    report(
        f"write + incremental refresh, one kota month ({len(rows)} values)",
        (time.perf_counter() - started) * 1000,
        1000,
    )
    expected = Decimal(78 * villages) + sum(100 + 4 - 6 for _ in [0]) + sum(50 - 7 for _ in kota)
    national = sum(sel.series(element, provinces, ["2025"])[p].get("2025") or 0 for p in provinces)
    assert national == expected, (national, expected)
    print(f"[{vendor}] national total after the edits matches: {national}")


def main() -> None:
    started = time.perf_counter()
    import_regions(read_regions())
    print(
        f"[{vendor}] {Region.objects.count():,} regions loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    combo = OptionCombo.objects.get(combo__code="default", combo__agency=None)
    kendari = Agency.objects.create(
        name="Bench Kota Kendari",
        slug="bench-kendari",
        kind="kota",
        region=Region.objects.get(code="74.71"),
    )
    print(f"[{vendor}] Kota Kendari: {len(sel.agency_regions(kendari, 4))} kelurahan")
    pivot_bench(kendari, combo)
    if os.environ.get("BENCH_ONLY") != "pivot":
        national_bench(combo)


if __name__ == "__main__":
    main()
