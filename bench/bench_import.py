"""Bulk import end to end: parse + validate + upsert + audit, against a raw COPY; the rollup
refresh that follows (its own transaction, after the values are committed) is timed apart.

200,000 values (1,000 villages x 10 elements x 2 cells x 10 months) as a DHIS2-style data
value set CSV go through `services_import.process` (what an import job runs), first into an
empty table, then again unchanged (idempotent: nothing written), then with 10% changed. The
anchor is a raw COPY of the same rows into a bare table (PostgreSQL) or executemany (SQLite).
Goal: >= 100,000 values/s end to end on PostgreSQL and >= 1/3 of the raw COPY's speed.
On PostgreSQL a second anchor, the "store floor", times the two INSERT ... SELECT statements
(values and audit rows, into copies of the real tables with their indexes) with no Python.

    .venv/bin/python bench/bench_import.py                # SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_import \
        .venv/bin/python bench/bench_import.py            # PostgreSQL (database emptied)
    BENCH_VALUES=50000 ...                                # smaller run
"""

from __future__ import annotations

import io
import os
import time

from _django import reset_postgres, setup

GOAL = 100_000


def build(n_values: int) -> tuple[object, object, bytes, list[tuple[object, ...]]]:
    from padu.accounts.choices import Role
    from padu.accounts.models import Membership, User
    from padu.databank.models import (
        Category,
        CategoryCombo,
        CategoryOption,
        DataElement,
        Dataset,
        DatasetElement,
        OptionCombo,
    )
    from padu.organizations.choices import AgencyKind, RegionKind, RegionLevel
    from padu.organizations.models import Agency, Region

    months, elements, cells = 10, 10, 2
    villages = max(1, n_values // (months * elements * cells))
    Region.objects.bulk_create(
        [
            Region(code="74", name="Sultra", level=RegionLevel.PROVINCE, kind=RegionKind.PROVINSI),
            Region(code="74.71", name="Kendari", level=RegionLevel.REGENCY,
                   kind=RegionKind.KOTA, parent_id="74"),
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    districts = (villages + 19) // 20
    Region.objects.bulk_create(
        [
            Region(code=f"74.71.{d:02d}", name=f"Kec {d}", level=RegionLevel.DISTRICT,
                   kind=RegionKind.KECAMATAN, parent_id="74.71")
            for d in range(1, districts + 1)
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    codes = [f"74.71.{v // 20 + 1:02d}.{1001 + v % 20}" for v in range(villages)]
    Region.objects.bulk_create(
        [
            Region(code=c, name=f"Kel {c}", level=RegionLevel.VILLAGE,
                   kind=RegionKind.KELURAHAN, parent_id=c.rsplit(".", 1)[0])
            for c in codes
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    agency = Agency.objects.create(
        name="Kota Kendari", slug="kendari", kind=AgencyKind.KOTA, region_id="74.71"
    )
    user = User.objects.create_user(username="walidata", password="x")
    Membership.objects.create(user=user, agency=agency, role=Role.DATA_CUSTODIAN)
    sex = Category.objects.create(agency=agency, code="JK", name="JK")
    combo = CategoryCombo.objects.create(agency=agency, code="JK", name="JK")
    combo.categories.add(sex)
    ocs = []
    for pos, code in enumerate(["L", "P"][:cells]):
        opt = CategoryOption.objects.create(category=sex, code=code, name=code, position=pos)
        oc = OptionCombo.objects.create(combo=combo, code=code, name=code, position=pos)
        oc.options.add(opt)
        ocs.append(oc)
    ds = Dataset.objects.create(
        agency=agency, code="BENCH", name="Bench", period_type="monthly", close_after_days=0
    )
    els = []
    for i in range(elements):
        kind = ("sum", "last", "average")[i % 3]
        e = DataElement.objects.create(
            agency=agency, code=f"E{i:02d}", name=f"E{i}", category_combo=combo, aggregation=kind
        )
        DatasetElement.objects.create(dataset=ds, element=e, position=i)
        els.append(e)
    buf = io.StringIO()
    buf.write("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n")
    raw = []
    n = 0
    for code in codes:
        for e in els:
            for oc in ocs:
                for m in range(1, months + 1):
                    value = (n * 7919) % 1000
                    buf.write(f"{e.code},2025{m:02d},{code},{oc.code},,{value}\n")
                    raw.append((e.pk, oc.pk, code, f"2025{m:02d}", value))
                    n += 1
    return ds, user, buf.getvalue().encode(), raw


def raw_anchor(rows: list[tuple[object, ...]]) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_bare")
        cur.execute(
            "CREATE TABLE bench_bare (element_id integer, option_combo_id integer, "
            "region_id varchar(13), period varchar(8), value numeric(20,6))"
        )
        start = time.perf_counter()
        if connection.vendor == "postgresql":
            data = "".join(f"{e}\t{c}\t{r}\t{p}\t{v}\n" for e, c, r, p, v in rows)
            with cur.cursor.copy("COPY bench_bare FROM STDIN") as copy:
                copy.write(data)
        else:
            cur.executemany("INSERT INTO bench_bare VALUES (%s, %s, %s, %s, %s)", rows)
        took = time.perf_counter() - start
        cur.execute("DROP TABLE bench_bare")
    return took


def store_floor(rows: list[tuple[object, ...]]) -> float:
    """PostgreSQL only: what storing the rows costs with no Python at all, i.e. one
    INSERT ... SELECT into an empty copy of the value table and one into a copy of the audit
    table, each with the real tables' columns and indexes, from rows already on the server.
    The import cannot be faster than this (it also parses, checks, compares and counts)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_src (e integer, c integer, r varchar(13), p varchar(8),"
            " v numeric(20,6)) ON COMMIT DROP"
        )
        data = "".join(f"{e}\t{c}\t{r}\t{p}\t{v}\n" for e, c, r, p, v in rows)
        with cur.cursor.copy("COPY bench_src FROM STDIN") as copy:
            copy.write(data)
        for table in ("databank_datavalue", "databank_valueaudit"):  # logged, like the real ones
            cur.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
        start = time.perf_counter()
        cur.execute(
            "INSERT INTO bench_databank_datavalue (element_id, option_combo_id, region_id,"
            " period, value, text, comment, status, return_reason, return_comment,"
            " updated_by_id, created_at, updated_at) SELECT e, c, r, p, v, '', '', 'entered',"
            " '', '', 1, now(), now() FROM bench_src"
        )
        cur.execute(
            "INSERT INTO bench_databank_valueaudit (element_id, option_combo_id, region_id,"
            " period, old_value, new_value, user_id, at, reason, source) SELECT e, c, r, p,"
            " '', v::text, 1, now(), '', 'import:floor' FROM bench_src"
        )
        took = time.perf_counter() - start
        cur.execute("DROP TABLE bench_databank_datavalue, bench_databank_valueaudit")
    return took


def main() -> None:
    reset_postgres()
    vendor = setup()
    n_values = int(os.environ.get("BENCH_VALUES", "200000"))
    from padu.databank.models import AggregateValue, DataValue, ValueAudit
    from padu.databank.services_import import process

    ds, user, data, rows = build(n_values)
    n = len(rows)
    print(f"{vendor}: {n:,} values, {len(data) / 1e6:.1f} MB DVS CSV")

    from padu.databank import rollups

    refresh_pending = rollups.refresh_pending
    rollup_time = [0.0]

    def timed_refresh(pending_id: int | None) -> int:
        start = time.perf_counter()
        try:
            return refresh_pending(pending_id)
        finally:
            rollup_time[0] = time.perf_counter() - start

    rollups.refresh_pending = timed_refresh  # type: ignore[assignment]

    def run(label: str, payload: bytes) -> float:
        """The import proper (parse, validate, upsert, audit: the values are committed and
        visible), then the rollup refresh that follows it in its own transaction."""
        rollup_time[0] = 0.0
        start = time.perf_counter()
        out = process(data=payload, fmt="dvs_csv", dataset=ds, user=user, dry_run=False,
                      source="import:bench")  # fmt: skip
        total = time.perf_counter() - start
        assert out.ok, out.errors[:3]
        took = total - rollup_time[0]
        r = out.result
        rate = n / took
        print(
            f"  {label:<22} {took:6.2f} s  {rate:>10,.0f} values/s  ({rate / GOAL:.2f}x goal)"
            f"  created {r.created:,} updated {r.updated:,} unchanged {r.unchanged:,}"
        )
        print(f"  {'  then rollups':<22} {rollup_time[0]:6.2f} s  (all done: {total:.2f} s, "
              f"{n / total:,.0f} values/s)")  # fmt: skip
        return took

    first = run("first import", data)
    audits = ValueAudit.objects.count()
    run("re-import (same)", data)
    assert ValueAudit.objects.count() == audits, "a re-import wrote audit rows"
    changed = data.replace(b",L,,1", b",L,,2")  # about 10% of the values change
    run("re-import (10% changed)", changed)
    print(f"  rows: {DataValue.objects.count():,} values, {ValueAudit.objects.count():,} audit, "
          f"{AggregateValue.objects.count():,} aggregates")  # fmt: skip
    anchor = raw_anchor(rows)
    anchor_rate = n / anchor
    label = "raw COPY" if vendor == "postgresql" else "raw executemany"
    print(f"  {label:<22} {anchor:6.2f} s  {anchor_rate:>10,.0f} values/s")
    print(f"  first import / raw = {anchor / first:.2f} (goal >= 0.33)")
    if vendor == "postgresql":
        floor = store_floor(rows)
        print(
            f"  {'store floor':<22} {floor:6.2f} s  {n / floor:>10,.0f} values/s  (the value"
            f" and audit INSERTs alone, no Python; first import / floor = {floor / first:.2f})"
        )


if __name__ == "__main__":
    main()
