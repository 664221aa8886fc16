"""Period services: opening a period, its windows, bulk assignment and the LHE results."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from padu.accounts.models import User
from padu.audit.models import AuditEvent
from padu.evaluation import services
from padu.evaluation.choices import AssessmentStatus, PeriodStatus, Stage
from padu.evaluation.models import Assessment, Instrument, Period, StageWindow
from padu.evaluation.services import AssignmentRow
from padu.organizations.models import Agency, Unit

from .factories import SERVICE_INDICATOR, make_instrument, make_period

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date
WINDOWS_2027 = {
    Stage.SELF_ASSESSMENT: (D(2027, 2, 1), D(2027, 3, 31)),
    Stage.INTERNAL_REVIEW: (D(2027, 4, 1), D(2027, 4, 30)),
}


def audit_rows(object_type: str) -> Any:
    return AuditEvent.objects.filter(object_type=object_type).order_by("id")


def by_number(period: Period) -> dict[tuple[int, int], Assessment]:
    return {
        (a.indicator.number, a.slot): a
        for a in period.assessments.select_related("indicator").prefetch_related(
            "supporting_units", "pics"
        )
    }


# --- create_period ------------------------------------------------------------------


def test_opening_a_period_creates_its_windows_and_one_assessment_per_indicator_slot(
    agency: Agency, coordinator: User
) -> None:
    instrument = make_instrument(code="two-services", service_slots=2)
    period = services.create_period(
        actor=coordinator, agency=agency, year=2027, instrument=instrument, windows=WINDOWS_2027
    )
    assert period.status == PeriodStatus.ACTIVE
    assert {w.stage: (w.starts_on, w.ends_on) for w in period.windows.all()} == WINDOWS_2027
    assert sorted(by_number(period)) == [(1, 1), (2, 1), (3, 1), (3, 2)]
    assert set(period.assessments.values_list("status", flat=True)) == {AssessmentStatus.DRAFT}


def test_opening_a_period_is_audited(
    agency: Agency, coordinator: User, tiny_instrument: Instrument
) -> None:
    period = services.create_period(
        actor=coordinator,
        agency=agency,
        year=2027,
        instrument=tiny_instrument,
        windows=WINDOWS_2027,
    )
    (row,) = audit_rows("evaluation.period")
    assert (row.action, row.object_id, row.actor, row.agency) == (
        "create",
        str(period.pk),
        coordinator,
        agency,
    )
    assert row.after["year"] == 2027


@pytest.mark.parametrize(
    ("year", "windows", "field"),
    [
        pytest.param(2026, WINDOWS_2027, "year", id="duplicate-year"),
        pytest.param(
            2027,
            {Stage.INTERNAL_REVIEW: (D(2027, 4, 1), D(2027, 4, 30))},
            Stage.SELF_ASSESSMENT,
            id="no-self-assessment-window",
        ),
        pytest.param(
            2027,
            {Stage.SELF_ASSESSMENT: (D(2027, 3, 1), D(2027, 2, 1))},
            Stage.SELF_ASSESSMENT,
            id="end-before-start",
        ),
        pytest.param(
            2027,
            {**WINDOWS_2027, Stage.SITE_VISIT: (D(2027, 6, 2), D(2027, 6, 1))},
            Stage.SITE_VISIT,
            id="any-window-ending-before-it-starts",
        ),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_created(
    tiny_period: Period, coordinator: User, year: int, windows: Any, field: str
) -> None:
    counts = (Period.objects.count(), Assessment.objects.count(), StageWindow.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        services.create_period(
            actor=coordinator,
            agency=tiny_period.agency,
            year=year,
            instrument=tiny_period.instrument,
            windows=windows,
        )
    assert field in excinfo.value.message_dict
    assert (Period.objects.count(), Assessment.objects.count(), StageWindow.objects.count()) == (
        counts
    )
    assert not audit_rows("evaluation.period").exists()


def test_an_instrument_of_another_agency_is_refused(
    agency: Agency, other_agency: Agency, coordinator: User
) -> None:
    theirs = make_instrument(agency=other_agency, code="varian-sultra")
    with pytest.raises(ValidationError) as excinfo:
        services.create_period(
            actor=coordinator, agency=agency, year=2027, instrument=theirs, windows=WINDOWS_2027
        )
    assert "instrument" in excinfo.value.message_dict
    assert not Period.objects.exists()


def test_a_new_period_defaults_to_8_2026_from_2026_and_to_59_2020_before(
    agency: Agency, coordinator: User
) -> None:
    from padu.evaluation.instrument_loader import load_bundled_instruments

    load_bundled_instruments()
    assert services.default_instrument(2027).short_title == "PermenPANRB 8/2026 (Pemdi)"
    assert services.default_instrument(2026).version == 2
    assert services.default_instrument(2025).code == "permenpanrb-59-2020"
    assert services.default_instrument(2020).code == "permenpanrb-59-2020"
    period = services.create_period(
        actor=coordinator, agency=agency, year=2027, instrument=None, windows=WINDOWS_2027
    )
    assert (period.instrument.code, period.instrument.version) == ("permenpanrb-8-2026", 2)
    assert period.instrument.is_decimal and period.assessments.count() == 20


def test_the_superseded_pemdi_draft_cannot_open_a_period_and_points_to_8_2026(
    agency: Agency, coordinator: User
) -> None:
    from padu.evaluation.instrument_loader import load_bundled_instruments

    load_bundled_instruments()
    draft = Instrument.objects.get(code="permenpanrb-8-2026", version=1)
    with pytest.raises(ValidationError) as excinfo:
        services.create_period(
            actor=coordinator, agency=agency, year=2026, instrument=draft, windows=WINDOWS_2027
        )
    message = excinfo.value.message_dict["instrument"][0]
    assert "superseded by PermenPANRB 8/2026 (Pemdi) (v2)" in message
    assert not Period.objects.exists()


def test_a_pemdi_period_takes_its_leads_from_the_spbe_year_through_the_mapping_not_by_number(
    agency: Agency, coordinator: User, units: dict[str, Unit]
) -> None:
    from padu.evaluation.instrument_loader import load_bundled_instruments

    load_bundled_instruments()
    spbe = services.create_period(
        actor=coordinator,
        agency=agency,
        year=2025,
        instrument=Instrument.objects.get(code="permenpanrb-59-2020"),
        windows={Stage.SELF_ASSESSMENT: (D(2025, 2, 1), D(2025, 3, 31))},
    )
    rows = {a.indicator.number: a for a in spbe.assessments.select_related("indicator")}
    rows[1].lead_unit = units["disdik"]  # KI Arsitektur SPBE -> IK1 only
    rows[9].lead_unit = units["dinkes"]  # KI Audit TIK -> IK9 (Audit Keamanan)
    rows[7].lead_unit = units["dinkes"]  # Sistem Penghubung -> IK16 and IK18 (external index)
    Assessment.objects.bulk_update([rows[1], rows[9], rows[7]], ["lead_unit"])
    pemdi = services.create_period(
        actor=coordinator, agency=agency, year=2026, instrument=None, windows=WINDOWS_2027
    )
    leads = {
        a.indicator.code: a.lead_unit_id for a in pemdi.assessments.select_related("indicator")
    }
    assert leads["IK1"] == units["disdik"].pk
    assert leads["IK9"] == units["dinkes"].pk and leads["IK16"] == units["dinkes"].pk
    assert leads["IK18"] is None  # scored from another agency's index: never assigned
    assert leads["IK7"] is None  # SPBE 7's lead is not IK7's: numbers differ in meaning
    assert not pemdi.assessments.filter(pics__isnull=False).exists()


def test_the_agencys_own_instrument_is_accepted(agency: Agency, coordinator: User) -> None:
    ours = make_instrument(agency=agency, code="varian-kendari")
    period = services.create_period(
        actor=coordinator, agency=agency, year=2027, instrument=ours, windows=WINDOWS_2027
    )
    assert period.assessments.count() == 3


def test_opening_copies_the_latest_previous_assignment_by_indicator_number(
    tiny_period: Period, coordinator: User, dinkes_admin: User, units: dict[str, Unit]
) -> None:
    make_period(
        agency=tiny_period.agency,
        instrument=tiny_period.instrument,
        year=2025,
        lead_unit=units["disdik"],
        service_name="PPDB",
    )
    old = by_number(tiny_period)
    old[(1, 1)].supporting_units.add(units["disdik"], units["diskominfo"])
    old[(1, 1)].pics.add(dinkes_admin)
    old[(2, 1)].lead_unit = None
    old[(2, 1)].save()
    # A new instrument version: indicator 3 is now scored for two services.
    next_version = make_instrument(code="tiny-2027", service_slots=2)

    period = services.create_period(
        actor=coordinator,
        agency=tiny_period.agency,
        year=2027,
        instrument=next_version,
        windows=WINDOWS_2027,
    )
    new = by_number(period)
    assert new[(1, 1)].indicator.instrument == next_version
    assert new[(1, 1)].lead_unit == units["dinkes"]
    assert set(new[(1, 1)].supporting_units.all()) == {units["disdik"], units["diskominfo"]}
    assert list(new[(1, 1)].pics.all()) == [dinkes_admin]
    assert new[(2, 1)].lead_unit is None
    assert (new[(3, 1)].lead_unit, new[(3, 1)].service_name) == (
        units["dinkes"],
        "Pelayanan Puskesmas",
    )
    assert (new[(3, 2)].lead_unit, new[(3, 2)].service_name) == (None, "")


def test_opening_without_copying_leaves_indicators_unassigned(
    tiny_period: Period, coordinator: User
) -> None:
    period = services.create_period(
        actor=coordinator,
        agency=tiny_period.agency,
        year=2027,
        instrument=tiny_period.instrument,
        windows=WINDOWS_2027,
        copy_assignments=False,
    )
    assert set(period.assessments.values_list("lead_unit", flat=True)) == {None}


def test_assignments_of_another_agency_are_not_copied(
    tiny_period: Period, other_agency: Agency, coordinator: User
) -> None:
    period = services.create_period(
        actor=coordinator,
        agency=other_agency,
        year=2027,
        instrument=tiny_period.instrument,
        windows=WINDOWS_2027,
    )
    assert set(period.assessments.values_list("lead_unit", flat=True)) == {None}


# --- update_windows -----------------------------------------------------------------


def current_windows(period: Period) -> dict[str, tuple[datetime.date, datetime.date]]:
    return {w.stage: (w.starts_on, w.ends_on) for w in period.windows.all()}


def test_saving_the_same_windows_writes_no_audit_row(
    tiny_period: Period, coordinator: User
) -> None:
    same = {Stage(stage): dates for stage, dates in current_windows(tiny_period).items()}
    services.update_windows(actor=coordinator, period=tiny_period, windows=same)
    assert current_windows(tiny_period) == same
    assert not audit_rows("evaluation.period").exists()


def test_changed_windows_are_saved_and_audited_with_before_and_after(
    tiny_period: Period, coordinator: User
) -> None:
    before = current_windows(tiny_period)
    start, end = before[Stage.SELF_ASSESSMENT]
    windows = {**before, Stage.SELF_ASSESSMENT: (start, end + datetime.timedelta(days=7))}
    windows[Stage.RESULTS] = (D(2026, 12, 1), D(2026, 12, 31))
    services.update_windows(actor=coordinator, period=tiny_period, windows=windows)
    assert current_windows(tiny_period) == windows
    (row,) = audit_rows("evaluation.period")
    assert row.action == "update"
    assert row.before["windows"][Stage.SELF_ASSESSMENT] == [str(start), str(end)]
    assert row.after["windows"][Stage.SELF_ASSESSMENT][1] == str(end + datetime.timedelta(days=7))
    assert Stage.RESULTS not in row.before["windows"]
    assert row.after["windows"][Stage.RESULTS] == ["2026-12-01", "2026-12-31"]


def test_bad_windows_are_refused_and_the_old_ones_kept(
    tiny_period: Period, coordinator: User
) -> None:
    before = current_windows(tiny_period)
    with pytest.raises(ValidationError):
        services.update_windows(
            actor=coordinator,
            period=tiny_period,
            windows={Stage.INTERNAL_REVIEW: (D(2026, 5, 1), D(2026, 5, 30))},
        )
    assert current_windows(tiny_period) == before
    assert not audit_rows("evaluation.period").exists()


# --- assign_assessments -------------------------------------------------------------


def unchanged_rows(period: Period) -> list[AssignmentRow]:
    return [
        AssignmentRow(
            a.pk,
            a.lead_unit,
            list(a.supporting_units.all()),
            list(a.pics.all()),
            a.service_name,
            a.due_on,
        )
        for a in by_number(period).values()
    ]


def lead_units(period: Period) -> dict[int, int | None]:
    return dict(period.assessments.values_list("indicator__number", "lead_unit"))


def test_bulk_assignment_with_a_unit_of_another_agency_saves_nothing(
    tiny_period: Period, coordinator: User, units: dict[str, Unit], other_unit: Unit
) -> None:
    a1, a2 = by_number(tiny_period)[(1, 1)], by_number(tiny_period)[(2, 1)]
    rows = [
        AssignmentRow(a1.pk, units["disdik"], [units["diskominfo"]]),
        AssignmentRow(a2.pk, units["disdik"], [other_unit]),
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.assign_assessments(actor=coordinator, period=tiny_period, rows=rows)
    assert "Indicator 2" in excinfo.value.messages[0]
    assert set(lead_units(tiny_period).values()) == {units["dinkes"].pk}
    assert not Assessment.supporting_units.through.objects.exists()
    assert not audit_rows("evaluation.assessment").exists()


def test_a_lead_unit_of_another_agency_is_refused(
    tiny_period: Period, coordinator: User, other_unit: Unit
) -> None:
    a1 = by_number(tiny_period)[(1, 1)]
    with pytest.raises(ValidationError, match="Indicator 1"):
        services.assign_assessments(
            actor=coordinator, period=tiny_period, rows=[AssignmentRow(a1.pk, other_unit)]
        )


def test_a_pic_of_another_agency_is_refused(
    tiny_period: Period, coordinator: User, units: dict[str, Unit], outsider: User
) -> None:
    """The service promises to check PICs too (see its docstring)."""
    a1 = by_number(tiny_period)[(1, 1)]
    with pytest.raises(ValidationError):
        services.assign_assessments(
            actor=coordinator,
            period=tiny_period,
            rows=[AssignmentRow(a1.pk, units["dinkes"], pics=[outsider])],
        )
    assert not Assessment.objects.get(pk=a1.pk).pics.exists()


@pytest.mark.parametrize("service_name", ["", "   "])
def test_an_indicator_naming_a_service_needs_the_service_name(
    tiny_period: Period, coordinator: User, units: dict[str, Unit], service_name: str
) -> None:
    a3 = by_number(tiny_period)[(SERVICE_INDICATOR, 1)]
    with pytest.raises(ValidationError, match=f"Indicator {SERVICE_INDICATOR}"):
        services.assign_assessments(
            actor=coordinator,
            period=tiny_period,
            rows=[AssignmentRow(a3.pk, units["disdik"], service_name=service_name)],
        )
    a3.refresh_from_db()
    assert (a3.lead_unit, a3.service_name) == (units["dinkes"], "Pelayanan Puskesmas")


def test_an_assessment_of_another_period_is_refused(
    tiny_period: Period, coordinator: User, units: dict[str, Unit]
) -> None:
    other = make_period(agency=tiny_period.agency, instrument=tiny_period.instrument, year=2025)
    foreign = other.assessments.first()
    assert foreign is not None
    with pytest.raises(ValidationError):
        services.assign_assessments(
            actor=coordinator, period=tiny_period, rows=[AssignmentRow(foreign.pk, units["disdik"])]
        )
    foreign.refresh_from_db()
    assert foreign.lead_unit is None


def test_unchanged_rows_write_no_audit_and_changed_ones_one_row_each(
    tiny_period: Period, coordinator: User, units: dict[str, Unit], disdik_admin: User
) -> None:
    rows = unchanged_rows(tiny_period)
    assert services.assign_assessments(actor=coordinator, period=tiny_period, rows=rows) == 0
    assert not audit_rows("evaluation.assessment").exists()

    a1, a3 = rows[0].assessment_id, rows[2].assessment_id
    rows[0] = AssignmentRow(a1, units["disdik"], [units["dinkes"]], [disdik_admin])
    rows[2] = AssignmentRow(a3, units["dinkes"], service_name=" Pelayanan Puskesmas Poasia ")
    assert services.assign_assessments(actor=coordinator, period=tiny_period, rows=rows) == 2

    changes = {int(r.object_id): r for r in audit_rows("evaluation.assessment")}
    assert set(changes) == {a1, a3}
    assert changes[a1].before["lead_unit"] == units["dinkes"].pk
    assert changes[a1].after == {
        "lead_unit": units["disdik"].pk,
        "supporting_units": [units["dinkes"].pk],
        "pics": [disdik_admin.pk],
        "service_name": "",
        "due_on": None,
    }
    assert changes[a3].after["service_name"] == "Pelayanan Puskesmas Poasia"
    assert Assessment.objects.get(pk=a3).service_name == "Pelayanan Puskesmas Poasia"


def test_the_lead_unit_is_not_also_a_supporting_unit(
    tiny_period: Period, coordinator: User, units: dict[str, Unit]
) -> None:
    a1 = by_number(tiny_period)[(1, 1)]
    services.assign_assessments(
        actor=coordinator,
        period=tiny_period,
        rows=[AssignmentRow(a1.pk, units["dinkes"], [units["dinkes"], units["disdik"]])],
    )
    assert list(Assessment.objects.get(pk=a1.pk).supporting_units.all()) == [units["disdik"]]


# --- set_external_results -----------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6])
def test_external_levels_out_of_range_are_refused_naming_the_indicator(
    tiny_period: Period, coordinator: User, level: int
) -> None:
    rows = by_number(tiny_period)
    levels = {rows[(1, 1)].pk: 3, rows[(2, 1)].pk: level}
    with pytest.raises(ValidationError) as excinfo:
        services.set_external_results(
            actor=coordinator, period=tiny_period, levels=levels, published_index=Decimal("2.5")
        )
    assert excinfo.value.messages == [f"Indicator 2: level {level} is outside 1-5."]
    assert set(tiny_period.assessments.values_list("external_level", flat=True)) == {None}
    tiny_period.refresh_from_db()
    assert tiny_period.external_index is None
    assert not AuditEvent.objects.exists()


def test_external_results_and_the_published_index_are_saved_and_audited(
    tiny_period: Period, coordinator: User
) -> None:
    rows = by_number(tiny_period)
    a1, a2 = rows[(1, 1)].pk, rows[(2, 1)].pk
    changed = services.set_external_results(
        actor=coordinator,
        period=tiny_period,
        levels={a1: 3, a2: None},
        published_index=Decimal("2.94"),
    )
    assert changed == 1
    assert dict(tiny_period.assessments.values_list("pk", "external_level"))[a1] == 3
    tiny_period.refresh_from_db()
    assert tiny_period.external_index == Decimal("2.94")

    (level_row,) = audit_rows("evaluation.assessment")
    assert (level_row.object_id, level_row.before, level_row.after) == (
        str(a1),
        {"external_level": None},
        {"external_level": 3},
    )
    (index_row,) = audit_rows("evaluation.period")
    assert (index_row.before, index_row.after) == (
        {"external_index": None},
        {"external_index": "2.94"},
    )

    # The same figures again change nothing and write nothing.
    assert (
        services.set_external_results(
            actor=coordinator,
            period=tiny_period,
            levels={a1: 3, a2: None},
            published_index=Decimal("2.94"),
        )
        == 0
    )
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize("index", [Decimal("0.50"), Decimal("7.25"), Decimal("123.45")])
def test_a_published_index_outside_the_instrument_is_refused(
    tiny_period: Period, coordinator: User, index: Decimal
) -> None:
    """An index is a weighted mean of levels, so it lies within the instrument's levels."""
    with pytest.raises(ValidationError):
        services.set_external_results(
            actor=coordinator, period=tiny_period, levels={}, published_index=index
        )
    assert Period.objects.get(pk=tiny_period.pk).external_index is None
