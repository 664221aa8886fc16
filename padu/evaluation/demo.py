"""Demo evaluation: Kota Kendari's 2025 SPBE result (59/2020, closed) and its 2026 Pemdi
self-assessment half-way (8/2026, see demo_pemdi); Konawe Selatan the same on a smaller scale."""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from padu.accounts.models import User
from padu.organizations.models import Agency, Unit

from . import services
from .choices import AssessmentStatus, EvidenceKind, EvidenceReview, PeriodStatus, Stage
from .models import Assessment, Evidence, EvidenceFile, EvidenceLink, Instrument, Period
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


def demo_file(evidence: Evidence, title: str, creator: User) -> EvidenceFile:
    """Store a small PDF named after the title as the evidence's first version."""
    content = _pdf(title)
    stored = EvidenceFile(
        evidence=evidence,
        version=1,
        original_name=f"{title[:60]}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=creator,
    )
    stored.file.save(f"{title[:40].replace(' ', '-')}.pdf", ContentFile(content), save=False)
    stored.save()
    return stored


def _evidence(agency: Agency, units: dict[str, Unit], creator: User) -> dict[int, list[Evidence]]:
    """The evidence library, by the 59/2020 indicator numbers it supported in 2025."""
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
        demo_file(ev, title, creator)
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


def link_evidence(period: Period, by_indicator: dict[int, list[Evidence]], creator: User) -> None:
    """Link evidence to a closed period's indicators at their external level (history: bulk,
    no audit rows)."""
    EvidenceLink.objects.bulk_create(
        EvidenceLink(assessment=a, evidence=ev, level=a.external_level or 1, added_by=creator)
        for a in period.assessments.select_related("indicator").filter(slot=1)
        for ev in by_indicator.get(a.indicator.number, [])
    )


# Konawe Selatan: the OPDs other than Diskominfo that led 2025 indicators, and its evidence.
KONSEL_LEADS = {12: "Bappeda", 13: "Bappeda", 32: "Bappeda", 45: "Dinkes"}
KONSEL_EVIDENCE = [
    ("Perbup Konawe Selatan No. 8 Tahun 2024 tentang Arsitektur SPBE", "Diskominfo", [1, 11]),
    ("Dokumen RKPD 2025 Konawe Selatan (belanja TIK)", "Bappeda", [13, 32]),
    ("Laporan Pemanfaatan Aplikasi Puskesmas 2025", "Dinkes", [45]),
]


def _konsel_2025(agency: Agency, instrument: Instrument, admin: User) -> Period:
    """The second agency's closed 2025 SPBE period, in bulk (a smaller copy of Kendari's)."""
    units = {u.acronym: u for u in agency.units.all()}
    period = services.create_period(
        actor=admin,
        agency=agency,
        year=2025,
        instrument=instrument,
        windows={Stage.SELF_ASSESSMENT: (datetime.date(2025, 2, 3), datetime.date(2025, 3, 14))},
        copy_assignments=False,
    )
    rows = list(period.assessments.select_related("indicator"))
    for a in rows:
        level = max(1, EXTERNAL_2025[a.indicator.number - 1] - 1)
        a.lead_unit = units[KONSEL_LEADS.get(a.indicator.number, "Diskominfo")]
        a.claimed_level = a.validated_level = a.external_level = level
        a.status = AssessmentStatus.ACCEPTED
    Assessment.objects.bulk_update(
        rows, ["lead_unit", "claimed_level", "validated_level", "external_level", "status"]
    )
    by_indicator: dict[int, list[Evidence]] = {}
    for title, unit, numbers in KONSEL_EVIDENCE:
        ev = Evidence.objects.create(
            agency=agency,
            owner_unit=units[unit],
            title=title,
            kind=EvidenceKind.REPORT,
            document_date=datetime.date(2025, 3, 1),
            created_by=admin,
        )
        demo_file(ev, title, admin)
        for n in numbers:
            by_indicator.setdefault(n, []).append(ev)
    link_evidence(period, by_indicator, admin)
    from .index import official_index

    period.external_index = official_index(period, "external")
    period.status = PeriodStatus.CLOSED
    period.save(update_fields=["external_index", "status"])
    return period


def _seed_konsel(agency: Agency, instrument: Instrument, admin: User) -> None:
    from . import demo_pemdi

    _konsel_2025(agency, instrument, admin)
    demo_pemdi.seed_pemdi_year(
        agency,
        {"koordinator": admin},
        claims=demo_pemdi.KONSEL_CLAIMS,
        index_results=demo_pemdi.KONSEL_INDEX_RESULTS,
    )


@transaction.atomic
def seed_evaluation(agency: Agency, people: dict[str, User], second: Agency | None = None) -> None:
    """Load the bundled instruments and the demo periods (once): Kendari's history, 2025 on
    59/2020 and 2026 on 8/2026; the second agency's 2025 and 2026 on a smaller scale."""
    from . import demo_pemdi
    from .instrument_loader import load_bundled_instruments

    load_bundled_instruments()
    instrument = Instrument.objects.get(agency__isnull=True, code="permenpanrb-59-2020")
    if second is not None and not Period.objects.filter(agency=second).exists():
        _seed_konsel(second, instrument, people["admin.konsel"])
    if Period.objects.filter(agency=agency).exists():
        return
    units = {u.acronym: u for u in agency.units.all()}
    pics = {"Dinkes": people["opd.dinkes"], "Disdikbud": people["opd.disdik"]}
    last = _year_2025(agency, instrument, units, pics)
    link_evidence(last, _evidence(agency, units, people["koordinator"]), people["koordinator"])
    demo_pemdi.seed_pemdi_year(
        agency,
        people,
        claims=demo_pemdi.KENDARI_CLAIMS,
        index_results=demo_pemdi.INDEX_RESULTS,
        pics=pics,
    )
    from . import demo_history, services_history

    demo_history.seed_history(agency)
    services_history.load_published_results()
    from .demo_recommendations import seed_recommendations

    seed_recommendations(agency, people)
