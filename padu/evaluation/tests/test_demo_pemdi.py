"""The demo's evaluation: 2025 closed on 59/2020, 2026 on 8/2026 half-way, for both agencies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from padu.evaluation.choices import AssessmentStatus as S
from padu.evaluation.choices import PeriodStatus
from padu.evaluation.index import official_index
from padu.evaluation.migration_pemdi import reuse_suggestions
from padu.evaluation.models import Assessment, EvidenceLink, Period, TargetPlan
from padu.organizations.models import Agency


@pytest.mark.django_db
def test_demo_runs_2026_on_pemdi_with_decimals_indices_carry_over_and_a_plan() -> None:
    from padu.core.demo import seed_demo

    seed_demo()
    kendari = Agency.objects.get(slug="kota-kendari")
    last = Period.objects.get(agency=kendari, year=2025)
    current = Period.objects.select_related("instrument").get(agency=kendari, year=2026)
    assert last.instrument.code == "permenpanrb-59-2020"
    assert last.status == PeriodStatus.CLOSED and last.external_index is not None
    assert (current.instrument.code, current.instrument.version) == ("permenpanrb-8-2026", 2)
    assert current.instrument.is_decimal

    rows = {a.indicator.number: a for a in current.assessments.select_related("indicator")}
    # Decimal claims and validations, one validated differently with a reason.
    assert rows[12].claimed_value == rows[12].validated_value == Decimal("1.26")
    assert rows[14].validated_value == Decimal("2.40") and rows[14].status == S.ACCEPTED
    ik2 = rows[2]
    assert (ik2.claimed_value, ik2.validated_value) == (Decimal("2.60"), Decimal("2.40"))
    assert ik2.claimed_level == 2 and ik2.validated_level == 2 and ik2.validation_reason
    statuses = {a.status for a in rows.values()}
    assert {S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.RETURNED} <= statuses
    assert any(a.claimed_value is None for a in rows.values() if not a.indicator.is_external_index)
    # External indices: IK7 (BPS) and IK6 (BIG) recorded with source, date and letter; IK5, IK18 not.
    assert rows[7].index_value == Decimal("2.34") and "EPSS" in rows[7].index_source
    assert rows[7].index_date is not None and rows[7].index_evidence is not None
    assert rows[6].index_value is not None and "BIG" in rows[6].index_source
    assert rows[5].index_value is None and rows[18].index_value is None
    assert all(rows[n].lead_unit_id is None for n in (5, 6, 7, 18))
    # Leads suggested from 2025's SPBE leads: audit from Inspektorat, services from the OPDs.
    assert rows[9].lead_unit.acronym == "Inspektorat"
    assert rows[3].lead_unit.acronym == "BKPSDM"
    assert rows[20].lead_unit.acronym == "Diskominfo"  # ties go to the unit coordinating SPBE
    assert {"Dinkes", "Disdikbud"} <= {u.acronym for u in rows[20].supporting_units.all()}
    assert {"opd.dinkes", "opd.disdik"} <= {u.username for u in rows[20].pics.all()}
    # Evidence carried over from 2025 through the mapping, and more left to reuse.
    assert EvidenceLink.objects.filter(assessment__period=last).exists()
    assert EvidenceLink.objects.filter(assessment=rows[1]).count() >= 2
    suggestions = reuse_suggestions(current, [rows[20], rows[4]])
    assert {e.evidence.title for e in suggestions[rows[20].pk].pending} >= {
        "Tangkapan layar SIMPUS",
        "Video demo PPDB Online",
    }
    # A plan towards a target above today's self-assessment index, in 0.01 steps.
    plan = TargetPlan.objects.get(period=current)
    assert plan.target_index > official_index(current, "self")
    assert plan.steps.exclude(to_value=None).exists()
    # The second agency: the same on a smaller scale.
    konsel = Agency.objects.get(slug="kabupaten-konawe-selatan")
    assert Period.objects.get(agency=konsel, year=2025).status == PeriodStatus.CLOSED
    small = Period.objects.get(agency=konsel, year=2026)
    assert small.instrument_id == current.instrument_id
    assert Assessment.objects.filter(period=small, validated_value=Decimal("1.65")).exists()
    assert Assessment.objects.filter(period=small, index_value__isnull=False).count() == 1
    assert TargetPlan.objects.filter(period=small).exists()
    # Seeding again changes nothing.
    counts = (Period.objects.count(), EvidenceLink.objects.count(), TargetPlan.objects.count())
    seed_demo()
    assert (
        Period.objects.count(),
        EvidenceLink.objects.count(),
        TargetPlan.objects.count(),
    ) == counts
