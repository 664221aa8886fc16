"""XLSX workbook and PDF report of a full period: 47 indicators, 40 OPDs, 2,000 evidence items
attached (half links, half stored files), comments, a plan and recommendations; seconds through
the download views (goal: each under 10 s).

Run: make bench, or .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import datetime
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
from padu.evaluation.choices import AssessmentStatus, EvidenceKind, Stage  # noqa: E402
from padu.evaluation.instrument_loader import load_bundled_instruments  # noqa: E402
from padu.evaluation.models import (  # noqa: E402
    Assessment,
    Comment,
    Evidence,
    EvidenceFile,
    EvidenceLink,
    Instrument,
    PlanStep,
    Recommendation,
    TargetPlan,
)
from padu.evaluation.permissions import today_in  # noqa: E402
from padu.organizations.choices import AgencyKind, UnitKind  # noqa: E402
from padu.organizations.models import Agency, Unit  # noqa: E402
from padu.organizations.regions_import import import_regions, read_regions  # noqa: E402

GOAL_SECONDS = 10.0
EVIDENCE = 2000


def seed() -> tuple[User, int]:
    import_regions(read_regions(only=["74.71"]))
    load_bundled_instruments()
    agency = Agency.objects.create(
        name="Pemerintah Kota Bench",
        slug="kota-bench",
        kind=AgencyKind.KOTA,
        region_id="74.71",
        timezone="Asia/Makassar",
    )
    units = Unit.objects.bulk_create(
        Unit(agency=agency, name=f"Dinas Bench {i:02d}", acronym=f"D{i:02d}", kind=UnitKind.DINAS)
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
    assessments = list(period.assessments.order_by("indicator__number", "slot"))
    statuses = list(AssessmentStatus.values)
    for i, a in enumerate(assessments):
        a.lead_unit = units[i % 40]
        a.claimed_level = 1 + i % 5
        a.validated_level = 1 + (i + 1) % 5 if i % 2 else None
        a.external_level = 1 + (i + 2) % 5 if i % 3 == 0 else None
        a.status = statuses[i % len(statuses)]
        a.explanation = f"Penjelasan capaian indikator {i}. " * 8
        a.return_reason = "=Lengkapi bukti" if a.status == AssessmentStatus.RETURNED else ""
    Assessment.objects.bulk_update(
        assessments,
        [
            "lead_unit",
            "claimed_level",
            "validated_level",
            "external_level",
            "status",
            "explanation",
            "return_reason",
        ],
    )
    evidence = Evidence.objects.bulk_create(
        Evidence(
            agency=agency,
            owner_unit=units[i % 40],
            title=f"Bukti dukung nomor {i} tentang penyelenggaraan SPBE",
            kind=EvidenceKind.REPORT,
            url=f"https://example.go.id/bukti/{i}" if i % 2 else "",
            document_number=f"{i}/SPBE/2026",
            document_date=datetime.date(2026, 1 + i % 12, 1 + i % 28),
        )
        for i in range(EVIDENCE)
    )
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            evidence=e,
            version=1,
            file=f"evidence/{agency.pk}/{e.pk}/1-bukti.pdf",
            original_name="bukti.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
        )
        for e in evidence
        if not e.url
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(assessment=assessments[i % len(assessments)], evidence=e, level=1 + i % 5)
        for i, e in enumerate(evidence)
    )
    Comment.objects.bulk_create(
        Comment(assessment=a, author=user, body=f"Catatan reviu {n} untuk indikator")
        for a in assessments
        for n in range(3)
    )
    plan = TargetPlan.objects.create(
        period=period,
        name="Target 3,00",
        series="self",
        target_index=Decimal("3.00"),
        baseline_index=Decimal("2.5"),
        planned_index=Decimal("3.01"),
        total_effort=20,
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan,
            assessment=a,
            from_level=a.claimed_level or 1,
            to_level=(a.claimed_level or 1) + 1,
            gain=Decimal("0.02"),
            effort=1,
            unit=a.lead_unit,
        )
        for a in assessments
        if (a.claimed_level or 1) < 5
    )
    Recommendation.objects.bulk_create(
        Recommendation(period=period, indicator=a.indicator, text=f"Rekomendasi {a.pk}")
        for a in assessments[:30]
    )
    return user, period.pk


def measure(client: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds, len(response.content), len(ctx.captured_queries)


def main() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    user, period_pk = seed()
    client = Client()
    client.force_login(user)
    client.get(f"/evaluasi/laporan/periode/{period_pk}/")  # warm templates and caches
    for name, suffix in [("XLSX", "xlsx"), ("PDF", "pdf")]:
        url = f"/evaluasi/laporan/periode/{period_pk}/{suffix}/"
        seconds, size, queries = measure(client, url)
        print(
            f"{vendor} report {name}: {seconds:.2f} s (goal {GOAL_SECONDS:.0f} s, ratio "
            f"{seconds / GOAL_SECONDS:.2f}), {size / 1024:.0f} KiB, {queries} queries, "
            f"{EVIDENCE} evidence"
        )


if __name__ == "__main__":
    main()
