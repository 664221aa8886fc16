"""Demo 2026 periods on PermenPANRB 8/2026 (Pemdi): leads suggested from 2025's SPBE leads
through the mapping, decimal claims and validations, two external indices recorded, evidence
carried over from 2025, and a target plan."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone
from django.utils.formats import number_format

from padu.accounts.models import User
from padu.organizations.models import Agency

from . import services, services_assessment, services_plans
from .choices import AssessmentStatus, EvidenceKind, Stage
from .index import official_index
from .migration_pemdi import reuse_suggestions, suggested_leads
from .models import Assessment, Criterion, Evidence, Period
from .permissions import today_in

D = Decimal


@dataclass(frozen=True)
class Claim:
    """One Pemdi indicator's demo state: the claimed value and what the assessor did."""

    claimed: Decimal
    state: str = "draft"  # draft, submitted, accepted, returned
    validated: Decimal | None = None
    reason: str = ""


# Kota Kendari 2026 (IK number -> claim). Indicators not listed are not started; IK5, IK6, IK7
# and IK18 are scored from other agencies' indices (see INDEX_RESULTS).
KENDARI_CLAIMS: dict[int, Claim] = {
    1: Claim(D("2.60")),
    2: Claim(
        D("2.60"),
        "accepted",
        D("2.40"),
        "Manajemen risiko dan perubahan sudah berjalan, tetapi manajemen pengetahuan belum "
        "dibuktikan dengan dokumen 2026, sehingga nilai ditetapkan 2,40.",
    ),
    3: Claim(D("2.00")),
    8: Claim(D("1.50")),
    9: Claim(D("2.30"), "submitted"),
    10: Claim(D("2.20"), "submitted"),
    12: Claim(D("1.26"), "accepted", D("1.26")),
    13: Claim(D("3.10")),
    14: Claim(D("2.40"), "accepted", D("2.40")),
    16: Claim(D("2.20")),
    17: Claim(D("2.50")),
    19: Claim(
        D("2.15"),
        "returned",
        reason="Bukti reviu berumur lebih dari 2 tahun; lampirkan laporan reviu terbaru.",
    ),
}
KONSEL_CLAIMS: dict[int, Claim] = {
    1: Claim(D("1.80"), "accepted", D("1.65"), "Dokumen Arsitektur masih rancangan."),
    3: Claim(D("1.40")),
    13: Claim(D("2.10"), "submitted"),
}

# IK number -> (value, issuing agency's result named as its source, date, letter title).
INDEX_RESULTS: dict[int, tuple[Decimal, str, datetime.date, str]] = {
    7: (
        D("2.34"),
        "Evaluasi Penyelenggaraan Statistik Sektoral (EPSS) BPS 2026",
        datetime.date(2026, 10, 15),
        "Surat BPS Provinsi Sulawesi Tenggara tentang Hasil EPSS 2026 Kota Kendari",
    ),
    6: (
        D("1.85"),
        "Penilaian Penyelenggaraan Informasi Geospasial (BIG) 2026",
        datetime.date(2026, 9, 30),
        "Laporan Hasil Penilaian Simpul Jaringan Informasi Geospasial 2026 (BIG)",
    ),
}
KONSEL_INDEX_RESULTS: dict[int, tuple[Decimal, str, datetime.date, str]] = {
    7: (
        D("1.95"),
        "Evaluasi Penyelenggaraan Statistik Sektoral (EPSS) BPS 2026",
        datetime.date(2026, 10, 20),
        "Surat BPS tentang Hasil EPSS 2026 Kabupaten Konawe Selatan",
    ),
}
EXPLANATION = "Capaian %s tahun 2026 sesuai bukti dukung terlampir."
JUSTIFICATION = (
    "Sebagian kriteria tingkat berikutnya sudah terpenuhi; lihat bukti dukung terlampir."
)


def _windows(agency: Agency) -> dict[str, tuple[datetime.date, datetime.date]]:
    today = today_in(agency)
    day = datetime.timedelta(days=1)
    return {
        Stage.SELF_ASSESSMENT: (today - 30 * day, today + 30 * day),
        Stage.INTERNAL_REVIEW: (today - 10 * day, today + 45 * day),
        Stage.DOCUMENT_REVIEW: (today + 50 * day, today + 80 * day),
    }


def _assign(period: Period, actor: User | None, pics: dict[str, User]) -> None:
    """Leads as suggested from last year's SPBE leads (the most frequent first), the other
    suggested OPDs supporting; external-index indicators stay unassigned."""
    suggestions = suggested_leads(period)
    units = {u.pk: u for u in period.agency.units.all()}
    fallback = next((u for u in units.values() if u.acronym == "Diskominfo"), None)
    today = today_in(period.agency)
    rows = []
    for a in period.assessments.select_related("indicator"):
        if a.indicator.is_external_index:
            continue
        found = [units[s.unit.pk] for s in suggestions.get(a.indicator.number, [])]
        lead = found[0] if found else fallback
        supporting = found[1:4]
        rows.append(
            services.AssignmentRow(
                assessment_id=a.pk,
                lead_unit=lead,
                supporting_units=supporting,
                pics=[pics[u.acronym] for u in [lead, *supporting] if u and u.acronym in pics],
                due_on=today + datetime.timedelta(days=14 + a.indicator.number % 10),
            )
        )
    services.assign_assessments(actor=actor, period=period, rows=rows)


def _ticks(a: Assessment, level: int) -> list[int]:
    return list(
        Criterion.objects.filter(level__indicator=a.indicator, level__level__lte=level).values_list(
            "pk", flat=True
        )
    )


def _fill(period: Period, claims: dict[int, Claim], actor: User, assessor: User | None) -> None:
    """Self-assessments through the services (level, evidence carried over, workflow), then
    the decimal values written in one bulk update."""
    assessments = list(
        period.assessments.filter(indicator__number__in=claims)
        .select_related("indicator", "lead_unit", "period__agency", "period__instrument")
        .prefetch_related("period__windows", "supporting_units", "pics")
    )
    reuse = reuse_suggestions(period, assessments)
    decimals = []
    for a in assessments:
        claim = claims[a.indicator.number]
        level = int(claim.claimed)
        a = services_assessment.save_self_assessment(
            actor=actor,
            assessment=a,
            checked=_ticks(a, level),
            claimed_level=level,
            justification="",
            explanation=EXPLANATION % a.indicator.name,
            expected_revision=a.revision,
        )
        suggestion = reuse.get(a.pk)
        for item in suggestion.pending if suggestion else []:
            services_assessment.attach_evidence(
                actor=actor, assessment=a, evidence=item.evidence, level=level
            )
        if claim.state != "draft":
            a = services_assessment.submit_assessment(actor=actor, assessment=a)
        if claim.state == "returned" and assessor is not None:
            a = services_assessment.return_assessment(
                actor=assessor, assessment=a, reason=claim.reason
            )
        if claim.state == "accepted" and claim.validated is not None:
            if assessor is not None:
                a = services_assessment.accept_assessment(
                    actor=assessor, assessment=a, validated_level=int(claim.validated)
                )
            else:  # an agency without an internal assessor in the demo: accepted as recorded
                a.status = AssessmentStatus.ACCEPTED
                a.validated_level = int(claim.validated)
                a.reviewed_at = timezone.now()
            a.validated_value = claim.validated
            a.validation_reason = claim.reason if claim.validated != claim.claimed else ""
        a.claimed_value = claim.claimed
        if claim.claimed != level:
            a.claim_justification = JUSTIFICATION
        decimals.append(a)
    Assessment.objects.bulk_update(
        decimals,
        [
            "claimed_value",
            "claim_justification",
            "validated_value",
            "validated_level",
            "validation_reason",
            "status",
            "reviewed_at",
        ],
    )


def _record_indices(period: Period, actor: User, results: dict[int, tuple]) -> None:
    """The issuing agencies' results for two external-index indicators, each with its letter."""
    from .demo import demo_file

    diskominfo = period.agency.units.get(acronym="Diskominfo")
    rows = list(
        period.assessments.filter(indicator__number__in=results).select_related("indicator")
    )
    for a in rows:
        value, source, date, title = results[a.indicator.number]
        letter = Evidence.objects.create(
            agency=period.agency,
            owner_unit=diskominfo,
            title=title,
            kind=EvidenceKind.REPORT,
            document_date=date,
            created_by=actor,
        )
        demo_file(letter, title, actor)
        a.index_value = value
        a.index_source = source
        a.index_date = date
        a.index_evidence = letter
        a.index_recorded_by = actor
        a.index_recorded_at = timezone.now()
    Assessment.objects.bulk_update(
        rows,
        [
            "index_value",
            "index_source",
            "index_date",
            "index_evidence",
            "index_recorded_by",
            "index_recorded_at",
        ],
    )


def _plan(period: Period, actor: User) -> None:
    """A target plan on the self-assessment series, 0.30 above today's figure (to the next
    tenth): every indicator filled by its OPDs may rise by up to one level; external indices
    stay at what they count."""
    baseline = official_index(period, "self")
    target = (baseline + D("0.30")).quantize(D("0.1"), rounding=ROUND_CEILING)
    rows = services_plans.planner_rows(period, "self")
    reachable: dict[int, int | Decimal] = {
        row.assessment.pk: min(D("5.00"), D(row.current) + 1)
        for row in rows
        if not row.is_external_index
    }
    services_plans.save_plan(
        actor=actor,
        period=period,
        name=f"Menuju Indeks Pemdi {number_format(target, 2, use_l10n=True)}",
        series="self",
        rows=rows,
        reachable=reachable,
        efforts={},
        target=target,
        due_on=datetime.date(period.year, 12, 31),
    )


def seed_pemdi_year(
    agency: Agency,
    people: dict[str, User],
    *,
    claims: dict[int, Claim],
    index_results: dict[int, tuple],
    pics: dict[str, User] | None = None,
) -> Period:
    """Open the agency's 2026 period on the year's default instrument (8/2026) and fill it."""
    coordinator = people["koordinator"]
    period = services.create_period(
        actor=coordinator,
        agency=agency,
        year=2026,
        instrument=None,
        windows=_windows(agency),
        copy_assignments=False,
    )
    _assign(period, coordinator, pics or {})
    assessor = people.get("asesor")
    _fill(period, claims, coordinator, assessor)
    if assessor is not None:
        first = period.assessments.select_related("period__agency", "indicator").get(
            indicator__number=min(claims), slot=1
        )
        services_assessment.add_comment(
            actor=assessor,
            assessment=first,
            body="Mohon lampirkan notulen reviu kebijakan terbaru.",
        )
    _record_indices(period, coordinator, index_results)
    _plan(period, coordinator)
    return period
