"""Agency dashboard and indicator page for 40 OPDs, 47 indicators and 2,000 evidence items:
SQL queries and median render time (goal: at most 15 queries and under 50 ms each).

Run: make bench, or BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench .venv/bin/python bench/bench_evaluation_pages.py
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

from _django import setup

vendor = setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from padu.accounts.choices import Role  # noqa: E402
from padu.accounts.models import Membership, User  # noqa: E402
from padu.evaluation import services  # noqa: E402
from padu.evaluation.choices import EvidenceKind, Stage  # noqa: E402
from padu.evaluation.instrument_loader import load_bundled_instruments  # noqa: E402
from padu.evaluation.models import Evidence, EvidenceLink, Instrument  # noqa: E402
from padu.evaluation.permissions import today_in  # noqa: E402
from padu.organizations.choices import AgencyKind, UnitKind  # noqa: E402
from padu.organizations.models import Agency, Unit  # noqa: E402
from padu.organizations.regions_import import import_regions, read_regions  # noqa: E402


def seed() -> tuple[User, int, int]:
    import_regions(read_regions(only=["74.71"]))
    load_bundled_instruments()
    agency = Agency.objects.create(
        name="Bench Kota",
        slug="bench",
        kind=AgencyKind.KOTA,
        region_id="74.71",
        timezone="Asia/Makassar",
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
        windows={
            Stage.SELF_ASSESSMENT: (
                today - datetime.timedelta(days=5),
                today + datetime.timedelta(days=5),
            )
        },
    )
    assessments = list(period.assessments.all())
    for i, a in enumerate(assessments):
        a.lead_unit = units[i % 40]
        a.claimed_level = 1 + i % 5
    type(assessments[0]).objects.bulk_update(assessments, ["lead_unit", "claimed_level"])
    evidence = Evidence.objects.bulk_create(
        Evidence(
            agency=agency,
            owner_unit=units[i % 40],
            title=f"Bukti {i}",
            kind=EvidenceKind.REPORT,
            url=f"https://example.go.id/{i}",
        )
        for i in range(2000)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(assessment=assessments[i % len(assessments)], evidence=e, level=1 + i % 5)
        for i, e in enumerate(evidence[:400])
    )
    pemdi = services.create_period(
        actor=user,
        agency=agency,
        year=2027,
        instrument=Instrument.objects.get(
            code="permenpanrb-8-2026", version=2, agency__isnull=True
        ),
        windows={
            Stage.SELF_ASSESSMENT: (
                today - datetime.timedelta(days=5),
                today + datetime.timedelta(days=5),
            )
        },
    )
    rows = list(pemdi.assessments.select_related("indicator"))
    for i, a in enumerate(rows):
        a.lead_unit = units[i % 40]
        a.claimed_level = 1 + i % 4
        a.claimed_value = Decimal(a.claimed_level) + Decimal(i % 90) / 100
        a.validated_value = a.claimed_value
        a.validated_level = a.claimed_level
    type(rows[0]).objects.bulk_update(
        rows, ["lead_unit", "claimed_level", "claimed_value", "validated_level", "validated_value"]
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(assessment=rows[i % len(rows)], evidence=e, level=1 + i % 5)
        for i, e in enumerate(evidence[400:800])
    )
    return user, period.pk, assessments[0].pk, pemdi.pk, rows[0].pk


def measure(client: Client, url: str, runs: int = 30) -> tuple[int, float]:
    client.get(url)  # warm caches and templates
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return queries, statistics.median(times)


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep one connection, as a pooled production server does, so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user, period_pk, assessment_pk, pemdi_pk, pemdi_assessment_pk = seed()
    client = Client()
    client.force_login(user)
    for name, url, query_goal, ms_goal in [
        ("dashboard", f"/evaluasi/periode/{period_pk}/", 15, 50.0),
        ("indicator page", f"/evaluasi/indikator/{assessment_pk}/", 15, 50.0),
        ("Pemdi dashboard", f"/evaluasi/periode/{pemdi_pk}/", 15, 50.0),
        ("Pemdi indicator page", f"/evaluasi/indikator/{pemdi_assessment_pk}/", 15, 50.0),
    ]:
        queries, median_ms = measure(client, url)
        print(
            f"{vendor} {name}: {queries} queries (goal <= {query_goal}), median {median_ms:.1f} ms "
            f"(goal {ms_goal:.0f} ms, ratio {median_ms / ms_goal:.2f})"
        )


if __name__ == "__main__":
    main()
