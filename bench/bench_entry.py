"""Village entry form: open the form (goal under 500 ms p95) and save one cell (under 150 ms p95).

Demo-sized: Kota Kendari's 65 kelurahan, a monthly dataset of 40 elements (30 by sex, 10
without disaggregation: 70 cells), two validation rules, 24 months of history for every
village. Measured with Django's test client as the village operator (the full request:
middleware, permission checks, lock, grid, previous period, rules, outlier check, audit
and rollup refresh on save).

Run: .venv/bin/python bench/bench_entry.py
     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_entry .venv/bin/python bench/bench_entry.py
"""

from __future__ import annotations

import json
import random
import statistics
import time
from decimal import Decimal

from _django import setup

vendor = setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from padu.accounts.choices import Role  # noqa: E402
from padu.accounts.models import Membership, User  # noqa: E402
from padu.databank import periods  # noqa: E402
from padu.databank.models import (  # noqa: E402
    Category,
    CategoryCombo,
    CategoryOption,
    DataElement,
    Dataset,
    DatasetElement,
    DataValue,
    OptionCombo,
    ValidationRule,
)
from padu.evaluation.permissions import today_in  # noqa: E402
from padu.organizations.choices import AgencyKind  # noqa: E402
from padu.organizations.models import Agency, Region  # noqa: E402
from padu.organizations.regions_import import import_regions, read_regions  # noqa: E402

FORM_GOAL_MS, CELL_GOAL_MS = 500.0, 150.0
OPENS, SAVES = 40, 200


def seed() -> tuple[User, Dataset, str, str, list[tuple[int, int]]]:
    import_regions(read_regions(only=["74.71"]))
    agency = Agency.objects.create(
        name="Bench Kendari",
        slug="bench",
        kind=AgencyKind.KOTA,
        region_id="74.71",
        timezone="Asia/Makassar",
    )
    villages = list(Region.objects.filter(code__startswith="74.71.", level=4).order_by("code"))
    sex = Category.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    combo = CategoryCombo.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    combo.categories.add(sex)
    for pos, code in enumerate(["L", "P"], 1):
        option = CategoryOption.objects.create(category=sex, code=code, name=code, position=pos)
        OptionCombo.objects.create(combo=combo, code=code, name=code, position=pos).options.add(
            option
        )
    default = CategoryCombo.objects.get(code="default", agency=None)
    dataset = Dataset.objects.create(
        agency=agency, code="BENCH", name="Bench", period_type="monthly", close_after_days=0
    )
    elements = []
    for i in range(40):
        element = DataElement.objects.create(
            agency=agency,
            code=f"E{i:02d}",
            name=f"Elemen {i}",
            category_combo=combo if i < 30 else default,
            min_value=Decimal(0),
        )
        DatasetElement.objects.create(dataset=dataset, element=element, position=i)
        elements.append(element)
    ValidationRule.objects.create(
        dataset=dataset, name="r1", left="#{E00}", operator=">=", right="#{E01}"
    )
    ValidationRule.objects.create(
        dataset=dataset, name="r2", left="#{E02.L} + #{E02.P}", operator="<=", right="#{E03}"
    )
    cells = [
        (e.pk, oc.pk)
        for e in elements
        for oc in OptionCombo.objects.filter(combo=e.category_combo).order_by("position")
    ]
    month = periods.containing(today_in(agency), periods.MONTHLY)
    history, current = [], month
    for _ in range(24):
        current = current.previous()
        history.append(current.code)
    rng = random.Random(1)
    batch = [
        DataValue(
            element_id=e,
            option_combo_id=c,
            region_id=v.code,
            period=p,
            value=Decimal(rng.randint(50, 150)),
        )
        for v in villages
        for p in history
        for e, c in cells
    ]
    DataValue.objects.bulk_create(batch, batch_size=5000)
    operator = User.objects.create_user(username="operator", password="x" * 12)
    Membership.objects.create(
        user=operator, agency=agency, role=Role.VILLAGE_OPERATOR, region=villages[0]
    )
    print(f"seeded {len(villages)} villages, {len(cells)} cells, {len(batch):,} history values")
    return operator, dataset, villages[0].code, month.code, cells


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(name: str, samples: list[float], goal: float) -> None:
    p50, p95 = statistics.median(samples), pct(samples, 0.95)
    print(
        f"{name:<12} n={len(samples):<4} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"goal {goal:.0f} ms  p95/goal {p95 / goal:.2f}"
    )


def main() -> None:
    operator, dataset, region, month, cells = seed()
    client = Client()
    client.force_login(operator)
    form_url = reverse("databank:entry_form", args=[dataset.pk, region, month])
    cell_url = reverse("databank:entry_cell", args=[dataset.pk, region, month])
    rng = random.Random(2)
    for _ in range(3):  # warm up
        client.get(form_url)
    saves: list[float] = []
    for i in range(SAVES):
        element, combo = cells[i % len(cells)]
        body = json.dumps({"element": element, "combo": combo, "value": str(rng.randint(50, 150))})
        start = time.perf_counter()
        response = client.post(cell_url, body, content_type="application/json")
        saves.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
    opens: list[float] = []
    for _ in range(OPENS):
        start = time.perf_counter()
        response = client.get(form_url)
        opens.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    # The floor under a cell save: the shared write path alone (upsert, audit, rollups).
    from padu.databank.services_values import ValueRow, write_values

    floor: list[float] = []
    for i in range(100):
        element, combo = cells[i % len(cells)]
        row = ValueRow(element, combo, region, month, Decimal(rng.randint(50, 150)))
        start = time.perf_counter()
        write_values(rows=[row], user=operator, source="bench")
        floor.append((time.perf_counter() - start) * 1000)
    print(f"database: {vendor}")
    report("form open", opens, FORM_GOAL_MS)
    report("cell save", saves, CELL_GOAL_MS)
    report("write_values", floor, CELL_GOAL_MS)
    print(
        f"cell save p50 / write_values p50: "
        f"{statistics.median(saves) / statistics.median(floor):.2f} "
        "(the rest is the request, permission, lock, type, outlier and rule checks)"
    )


if __name__ == "__main__":
    main()
