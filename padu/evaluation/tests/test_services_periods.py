"""Period services: opening, copying last year's assignment, bulk assignment, LHE results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from padu.audit.models import AuditEvent
from padu.evaluation import services
from padu.evaluation.choices import Stage
from padu.evaluation.models import Assessment, Period

WINDOWS = {Stage.SELF_ASSESSMENT: (datetime.date(2027, 2, 1), datetime.date(2027, 3, 1))}


def test_opening_copies_last_years_assignment_by_indicator_number(
    period, instrument, coordinator, units
) -> None:
    first = period.assessments.get(indicator__number=1)
    first.service_name = "PPDB"
    first.save()
    first.supporting_units.add(units["disdik"])
    first.pics.add(coordinator)
    new = services.create_period(
        actor=coordinator, agency=period.agency, year=2027, instrument=instrument, windows=WINDOWS
    )
    copied = new.assessments.get(indicator__number=1)
    assert copied.lead_unit == units["dinkes"]
    assert copied.service_name == "PPDB"
    assert list(copied.supporting_units.all()) == [units["disdik"]]
    assert list(copied.pics.all()) == [coordinator]
    assert new.windows.get().stage == Stage.SELF_ASSESSMENT


@pytest.mark.parametrize(
    ("year", "windows", "field"),
    [
        (2026, WINDOWS, "year"),
        (
            2027,
            {Stage.INTERNAL_REVIEW: (datetime.date(2027, 3, 2), datetime.date(2027, 3, 9))},
            Stage.SELF_ASSESSMENT,
        ),
        (
            2027,
            {Stage.SELF_ASSESSMENT: (datetime.date(2027, 3, 1), datetime.date(2027, 2, 1))},
            Stage.SELF_ASSESSMENT,
        ),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_created(
    period, instrument, coordinator, year, windows, field
) -> None:
    before = Period.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.create_period(
            actor=coordinator,
            agency=period.agency,
            year=year,
            instrument=instrument,
            windows=windows,
        )
    assert field in excinfo.value.message_dict
    assert Period.objects.count() == before


def test_bulk_assignment_is_all_or_nothing(period, coordinator, units, other_unit) -> None:
    a1, a2 = period.assessments.order_by("indicator__number")
    rows = [
        services.AssignmentRow(a1.pk, units["disdik"]),
        services.AssignmentRow(a2.pk, other_unit),
    ]
    with pytest.raises(ValidationError):
        services.assign_assessments(actor=coordinator, period=period, rows=rows)
    assert set(period.assessments.values_list("lead_unit", flat=True)) == {units["dinkes"].pk}


def test_unchanged_rows_write_no_audit(period, coordinator, units) -> None:
    rows = [services.AssignmentRow(a.pk, units["dinkes"]) for a in period.assessments.all()]
    assert services.assign_assessments(actor=coordinator, period=period, rows=rows) == 0
    assert not AuditEvent.objects.filter(object_type="evaluation.assessment").exists()
    rows[0] = services.AssignmentRow(rows[0].assessment_id, units["disdik"])
    assert services.assign_assessments(actor=coordinator, period=period, rows=rows) == 1
    assert AuditEvent.objects.filter(object_type="evaluation.assessment").count() == 1


def test_external_levels_out_of_range_are_refused_naming_the_indicator(period, coordinator) -> None:
    a = period.assessments.get(indicator__number=2)
    with pytest.raises(ValidationError, match="2"):
        services.set_external_results(actor=coordinator, period=period, levels={a.pk: 7})
    assert Assessment.objects.get(pk=a.pk).external_level is None
    services.set_external_results(
        actor=coordinator, period=period, levels={a.pk: 3}, published_index=Decimal("2.20")
    )
    period.refresh_from_db()
    assert (Assessment.objects.get(pk=a.pk).external_level, period.external_index) == (
        3,
        Decimal("2.20"),
    )
