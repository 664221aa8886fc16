"""Demo evaluation for Kota Kendari: last year's result and a 2026 self-assessment half-way."""

from __future__ import annotations

import datetime
import hashlib
import random

from django.core.files.base import ContentFile
from django.db import transaction

from padu.accounts.models import User
from padu.organizations.models import Agency, Unit

from . import services, services_assessment
from .choices import AssessmentStatus, EvidenceKind, EvidenceReview, PeriodStatus, Stage
from .models import Assessment, Criterion, Evidence, EvidenceFile, Instrument, Period
from .permissions import today_in

# Lead unit (by acronym) per indicator number of PermenPANRB 59/2020.
LEAD_UNITS = {
    **dict.fromkeys([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20], "Diskominfo"),
    **dict.fromkeys([21, 22, 23, 24, 26, 27, 28, 42, 43], "Diskominfo"),
    9: "Inspektorat",
    29: "Inspektorat",
    30: "Inspektorat",
    31: "Inspektorat",
    39: "Inspektorat",
    13: "Bappeda",
    32: "Bappeda",
    33: "BPKAD",
    34: "BPKAD",
    38: "BPKAD",
    35: "Setda",
    25: "BKPSDM",
    36: "BKPSDM",
    41: "BKPSDM",
    37: "Dispusip",
    40: "Bag. Organisasi",
    44: "Bag. Hukum",
    45: "Dinkes",
    46: "Disdikbud",
    47: "DPMPTSP",
}
SERVICES = {
    45: "Layanan Kesehatan (SIMPUS)",
    46: "Layanan Pendidikan (PPDB Online)",
    47: "Layanan Perizinan Berusaha (SiCantik)",
}
# Last year's national (LHE) levels, giving an index a little above 2.5.
EXTERNAL_2025 = [
    2,
    2,
    2,
    2,
    3,
    2,
    2,
    2,
    1,
    3,
    2,
    2,
    2,
    2,
    2,
    3,
    3,
    2,
    3,
    2,
    1,
    2,
    2,
    2,
    2,
    1,
    1,
    2,
    1,
    1,
    1,
    3,
    4,
    4,
    3,
    3,
    3,
    3,
    2,
    3,
    3,
    4,
    3,
    3,
    3,
    3,
    3,
]

EVIDENCE = [
    (
        "Perwali Kendari No. 12 Tahun 2023 tentang Arsitektur SPBE",
        EvidenceKind.REGULATION,
        "12/2023",
        "Diskominfo",
        [1, 11],
    ),
    (
        "Perwali Kendari No. 31 Tahun 2024 tentang Peta Rencana SPBE",
        EvidenceKind.REGULATION,
        "31/2024",
        "Diskominfo",
        [2, 12],
    ),
    (
        "SK Wali Kota tentang Tim Koordinasi SPBE 2026",
        EvidenceKind.DECREE,
        "100.3.3/45/2026",
        "Diskominfo",
        [10, 19],
    ),
    (
        "SOP Manajemen Keamanan Informasi",
        EvidenceKind.SOP,
        "SOP-KOMINFO/07/2025",
        "Diskominfo",
        [8, 22],
    ),
    (
        "Laporan Audit Keamanan SPBE 2023",
        EvidenceKind.REPORT,
        "LHA/INSP/2023/11",
        "Inspektorat",
        [31],
    ),
    ("Notulen Rapat Reviu Arsitektur SPBE", EvidenceKind.MINUTES, "", "Diskominfo", [1]),
    ("Tangkapan layar SIMPUS", EvidenceKind.SCREENSHOT, "", "Dinkes", [45]),
    (
        "Dokumen RKPD 2026 (keterpaduan anggaran SPBE)",
        EvidenceKind.PLANNING,
        "RKPD-2026",
        "Bappeda",
        [13, 32],
    ),
]
LINKS = [
    (
        "Portal Satu Data Kendari",
        EvidenceKind.APP_LINK,
        "https://data.kendarikota.go.id",
        "Diskominfo",
        [43],
    ),
    (
        "Video demo PPDB Online",
        EvidenceKind.DEMO_VIDEO,
        "https://ppdb.kendarikota.go.id/demo",
        "Disdikbud",
        [46],
    ),
]


def _pdf(title: str) -> bytes:
    """A tiny valid PDF with the title, so downloads open in any viewer."""
    text = title.encode("latin-1", "replace")[:80]
    stream = b"BT /F1 12 Tf 50 750 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def _tick_to(assessment: Assessment, level: int) -> list[int]:
    return list(
        Criterion.objects.filter(
            level__indicator=assessment.indicator, level__level__lte=level
        ).values_list("pk", flat=True)
    )


def _assign(period: Period, units: dict[str, Unit], pics: dict[str, User]) -> None:
    rows = []
    for a in period.assessments.select_related("indicator"):
        acronym = LEAD_UNITS.get(a.indicator.number, "Diskominfo")
        pic = pics.get(acronym)
        rows.append(
            services.AssignmentRow(
                assessment_id=a.pk,
                lead_unit=units[acronym],
                supporting_units=[units["Diskominfo"]] if acronym != "Diskominfo" else [],
                pics=[pic] if pic else [],
                service_name=SERVICES.get(a.indicator.number, ""),
                due_on=today_in(period.agency)
                + datetime.timedelta(days=14 + a.indicator.number % 10),
            )
        )
    services.assign_assessments(actor=None, period=period, rows=rows)


def _year_2025(
    agency: Agency, instrument: Instrument, units: dict[str, Unit], pics: dict[str, User]
) -> Period:
    windows: dict[str, tuple[datetime.date, datetime.date]] = {
        Stage.SELF_ASSESSMENT: (datetime.date(2025, 2, 3), datetime.date(2025, 3, 14)),
        Stage.INTERNAL_REVIEW: (datetime.date(2025, 3, 17), datetime.date(2025, 4, 4)),
        Stage.RESULTS: (datetime.date(2025, 11, 1), datetime.date(2025, 12, 31)),
    }
    period = services.create_period(
        actor=None,
        agency=agency,
        year=2025,
        instrument=instrument,
        windows=windows,
        copy_assignments=False,
    )
    _assign(period, units, pics)
    changed = []
    for a in period.assessments.select_related("indicator"):
        external = EXTERNAL_2025[a.indicator.number - 1]
        a.claimed_level = min(5, external + 1)
        a.validated_level = external if a.indicator.number % 3 else min(5, external + 1)
        a.external_level = external
        a.status = AssessmentStatus.ACCEPTED
        changed.append(a)
    Assessment.objects.bulk_update(
        changed, ["claimed_level", "validated_level", "external_level", "status"]
    )
    from .index import official_index

    period.external_index = official_index(period, "external")
    period.status = PeriodStatus.CLOSED
    period.save(update_fields=["external_index", "status"])
    return period


def _evidence(agency: Agency, units: dict[str, Unit], creator: User) -> dict[int, list[Evidence]]:
    by_indicator: dict[int, list[Evidence]] = {}
    for title, kind, number, unit, indicators in EVIDENCE:
        ev = Evidence.objects.create(
            agency=agency,
            owner_unit=units[unit],
            title=title,
            kind=kind,
            document_number=number,
            document_date=datetime.date(2023 if "2023" in title else 2025, 6, 1),
            is_audit="Audit" in title,
            created_by=creator,
            review_status=EvidenceReview.ACCEPTED if "Perwali" in title else EvidenceReview.PENDING,
        )
        content = _pdf(title)
        stored = EvidenceFile(
            evidence=ev,
            version=1,
            original_name=f"{title[:60]}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=creator,
        )
        stored.file.save(f"{title[:40].replace(' ', '-')}.pdf", ContentFile(content), save=False)
        stored.save()
        for n in indicators:
            by_indicator.setdefault(n, []).append(ev)
    for title, kind, url, unit, indicators in LINKS:
        ev = Evidence.objects.create(
            agency=agency,
            owner_unit=units[unit],
            title=title,
            kind=kind,
            url=url,
            created_by=creator,
        )
        for n in indicators:
            by_indicator.setdefault(n, []).append(ev)
    return by_indicator


def _year_2026(
    agency: Agency, instrument: Instrument, people: dict[str, User], units: dict[str, Unit]
) -> Period:
    today = today_in(agency)
    windows: dict[str, tuple[datetime.date, datetime.date]] = {
        Stage.SELF_ASSESSMENT: (
            today - datetime.timedelta(days=30),
            today + datetime.timedelta(days=30),
        ),
        Stage.INTERNAL_REVIEW: (
            today - datetime.timedelta(days=10),
            today + datetime.timedelta(days=45),
        ),
        Stage.DOCUMENT_REVIEW: (
            today + datetime.timedelta(days=50),
            today + datetime.timedelta(days=80),
        ),
    }
    period = services.create_period(
        actor=people["koordinator"],
        agency=agency,
        year=2026,
        instrument=instrument,
        windows=windows,
    )
    evidence = _evidence(agency, units, people["koordinator"])
    rng = random.Random(2026)
    coordinator, assessor = people["koordinator"], people["asesor"]
    assessments = list(
        period.assessments.select_related(
            "indicator", "period__agency", "period__instrument"
        ).prefetch_related("period__windows", "supporting_units", "pics")
    )
    for a in assessments:
        n = a.indicator.number
        if n % 5 == 0 and n not in (45, 46, 47):
            continue  # not started yet
        target = min(5, EXTERNAL_2025[n - 1] + rng.choice([0, 1, 1]))
        a = services_assessment.save_self_assessment(
            actor=coordinator,
            assessment=a,
            checked=_tick_to(a, target),
            claimed_level=target,
            justification="Bukti dukung terlampir mendukung tingkat ini.",
            explanation=f"Capaian {a.indicator.name} tahun 2026 sesuai bukti dukung terlampir.",
            expected_revision=a.revision,
        )
        for ev in evidence.get(n, []):
            services_assessment.attach_evidence(
                actor=coordinator, assessment=a, evidence=ev, level=target
            )
        if n % 4 == 1 and a.lead_unit and a.lead_unit.acronym != "Inspektorat":
            a = services_assessment.submit_assessment(actor=coordinator, assessment=a)
            if n % 12 == 1:
                services_assessment.accept_assessment(
                    actor=assessor, assessment=a, validated_level=target
                )
            elif n % 12 == 5:
                services_assessment.return_assessment(
                    actor=assessor,
                    assessment=a,
                    reason="Bukti reviu berumur lebih dari 2 tahun; lampirkan laporan reviu terbaru.",
                )
    first = next(a for a in assessments if a.indicator.number == 1)
    services_assessment.add_comment(
        actor=people["asesor"],
        assessment=first,
        body="Mohon lampirkan notulen reviu kebijakan terbaru.",
    )
    return period


@transaction.atomic
def seed_evaluation(agency: Agency, people: dict[str, User]) -> None:
    """Load the bundled instruments and the Kendari periods (once)."""
    from .instrument_loader import load_bundled_instruments

    load_bundled_instruments()
    if Period.objects.filter(agency=agency).exists():
        return
    instrument = Instrument.objects.get(agency__isnull=True, code="permenpanrb-59-2020")
    units = {u.acronym: u for u in agency.units.all()}
    pics = {"Dinkes": people["opd.dinkes"], "Disdikbud": people["opd.disdik"]}
    _year_2025(agency, instrument, units, pics)
    _year_2026(agency, instrument, people, units)
    from . import demo_history, services_history

    demo_history.seed_history(agency)
    services_history.load_published_results()
    from .demo_recommendations import seed_recommendations

    seed_recommendations(agency, people)
