"""Pemdi (8/2026) on one indicator: decimal claims and validations, the reason for a
validated figure, and results recorded from another agency's index."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from padu.accounts.models import Notification, User
from padu.audit.models import AuditEvent
from padu.evaluation import external_indices as ext
from padu.evaluation import services_assessment as svc
from padu.evaluation.choices import Stage
from padu.evaluation.index import official_index
from padu.evaluation.models import Assessment, Period
from padu.evaluation.tests.pemdi import make_pemdi_period
from padu.evaluation.values import check_reach, read_value
from padu.organizations.models import Agency, Unit

from .factories import (
    EvidenceFactory,
    close_stage,
    criteria_up_to,
    make_instrument,
    make_period,
    open_stage,
)

pytestmark = pytest.mark.usefixtures("english")

D = Decimal
TEXT = "Capaian sesuai bukti dukung terlampir."


# --- reading and checking values (pure) ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1,26", D("1.26")), ("1.26", D("1.26")), (" 2,5 ", D("2.50")), ("5", D("5.00")), ("", None)],
)
def test_values_are_read_the_indonesian_way_or_not(typed: str, value: Decimal | None) -> None:
    assert read_value(typed, label="Nilai") == value


@pytest.mark.parametrize(
    ("typed", "fault"),
    [
        ("1,2,6", "is not a number"),
        ("abc", "is not a number"),
        ("-1,5", "is not a number"),
        ("1.261", "more than two decimals"),
        ("0,5", "outside"),
        ("5,01", "outside"),
    ],
)
def test_malformed_values_are_refused_naming_the_field(typed: str, fault: str) -> None:
    with pytest.raises(ValidationError) as exc:
        read_value(typed, label="Claimed value")
    assert exc.value.messages[0].startswith("Claimed value: ")
    assert fault in exc.value.messages[0]


@pytest.mark.parametrize(
    ("value", "level", "ok"),
    [
        ("2.00", 2, True),
        ("2.99", 2, True),
        ("3.00", 2, False),
        ("1.99", 2, False),
        ("5.00", 5, True),
    ],
)
def test_a_claimed_value_lies_within_its_level(value: str, level: int, ok: bool) -> None:
    if ok:
        check_reach(D(value), level, label="v", max_level=5)
    else:
        with pytest.raises(ValidationError, match="not within level"):
            check_reach(D(value), level, label="v", max_level=5)


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture
def pemdi(agency: Agency, units: dict[str, Unit]) -> Period:
    return make_pemdi_period(agency, lead_unit=units["dinkes"])


def of(period: Period, code: str) -> Assessment:
    return period.assessments.select_related("indicator", "period__instrument").get(
        indicator__code=code
    )


def save(
    actor: User, a: Assessment, level: int | None, value: Decimal | None, why: str = ""
) -> Assessment:
    a = Assessment.objects.get(pk=a.pk)
    return svc.save_self_assessment(
        actor=actor,
        assessment=a,
        checked=criteria_up_to(a.indicator, level or 1) if level else [],
        claimed_level=level,
        claimed_value=value,
        justification=why,
        explanation=TEXT,
        expected_revision=a.revision,
    )


# --- self-assessment ------------------------------------------------------------------


def test_opd_claims_a_decimal_value_within_the_level_with_a_justification(
    pemdi: Period, dinkes_admin: User
) -> None:
    a = save(dinkes_admin, of(pemdi, "IK1"), 2, D("2.40"), "Dua dari lima OPD sudah menerapkan.")
    a.refresh_from_db()
    assert (a.claimed_level, a.claimed_value) == (2, D("2.40"))
    assert a.claim_justification == "Dua dari lima OPD sudah menerapkan."


def test_a_value_that_is_not_the_whole_level_needs_a_justification(
    pemdi: Period, dinkes_admin: User
) -> None:
    a = of(pemdi, "IK1")
    with pytest.raises(ValidationError) as exc:
        save(dinkes_admin, a, 2, D("2.40"))
    assert "claim_justification" in exc.value.message_dict
    a.refresh_from_db()
    assert a.claimed_level is None and a.claimed_value is None


@pytest.mark.parametrize("value", ["3.00", "1.99", "5.01", "0.50"])
def test_a_value_out_of_the_claimed_levels_reach_is_refused(
    pemdi: Period, dinkes_admin: User, value: str
) -> None:
    a = of(pemdi, "IK1")
    with pytest.raises(ValidationError) as exc:
        save(dinkes_admin, a, 2, D(value), "alasan")
    assert "claimed_value" in exc.value.message_dict
    a.refresh_from_db()
    assert a.claimed_value is None and a.revision == 0


def test_a_value_without_a_level_is_refused(pemdi: Period, dinkes_admin: User) -> None:
    with pytest.raises(ValidationError, match="choose the claimed level first"):
        save(dinkes_admin, of(pemdi, "IK1"), None, D("1.50"), "alasan")


def test_a_level_alone_is_submitted_and_counts_as_its_whole_value(
    pemdi: Period, dinkes_admin: User
) -> None:
    a = save(dinkes_admin, of(pemdi, "IK1"), 3, None)
    a = svc.submit_assessment(actor=dinkes_admin, assessment=a)
    assert a.claimed_value is None and a.claimed_level == 3
    assert a.claim_justification == ""


def test_a_whole_level_instrument_refuses_a_decimal_value(
    agency: Agency, units: dict[str, Unit], dinkes_admin: User
) -> None:
    period = make_period(agency=agency, instrument=make_instrument(), lead_unit=units["dinkes"])
    a = period.assessments.select_related("indicator").get(indicator__number=1)
    with pytest.raises(ValidationError, match="scores whole levels"):
        save(dinkes_admin, a, 2, D("2.40"), "alasan")
    a.refresh_from_db()
    assert a.claimed_level is None


@pytest.mark.parametrize("code", ["IK5", "IK6", "IK7", "IK18"])
def test_external_index_indicators_are_not_self_assessed(
    pemdi: Period, dinkes_admin: User, coordinator: User, code: str
) -> None:
    a = of(pemdi, code)
    for actor in (dinkes_admin, coordinator):
        with pytest.raises(ValidationError, match="not self-assessed"):
            save(actor, a, 2, None)
        with pytest.raises(ValidationError, match="not self-assessed"):
            svc.submit_assessment(actor=actor, assessment=a)


# --- review -----------------------------------------------------------------------------


def submitted(period: Period, owner: User, level: int, value: Decimal | None) -> Assessment:
    a = save(owner, of(period, "IK1"), level, value, "Sebagian OPD sudah menerapkan.")
    a = svc.submit_assessment(actor=owner, assessment=a)
    close_stage(period, Stage.SELF_ASSESSMENT)
    open_stage(period, Stage.INTERNAL_REVIEW)
    return Assessment.objects.get(pk=a.pk)


def test_assessor_validates_at_a_different_decimal_with_a_reason(
    pemdi: Period, dinkes_admin: User, assessor: User
) -> None:
    a = submitted(pemdi, dinkes_admin, 2, D("2.40"))
    a = svc.accept_assessment(
        actor=assessor, assessment=a, validated_value=D("1.26"), reason="Bukti OPD kedua belum ada."
    )
    a.refresh_from_db()
    assert (a.validated_level, a.validated_value) == (1, D("1.26"))
    assert a.validation_reason == "Bukti OPD kedua belum ada."
    note = Notification.objects.filter(user=dinkes_admin).latest("id")
    assert note.title == "Indicator IK1 accepted at value 1.26"
    assert "Bukti OPD kedua belum ada." in note.body
    event = AuditEvent.objects.filter(object_id=str(a.pk)).latest("id")
    assert event.reason == "Bukti OPD kedua belum ada."


def test_a_validated_value_different_from_the_claim_needs_a_reason(
    pemdi: Period, dinkes_admin: User, assessor: User
) -> None:
    a = submitted(pemdi, dinkes_admin, 2, D("2.40"))
    with pytest.raises(ValidationError) as exc:
        svc.accept_assessment(actor=assessor, assessment=a, validated_value=D("2.30"))
    assert "validation_reason" in exc.value.message_dict
    a.refresh_from_db()
    assert a.validated_value is None and a.status == "submitted"


def test_the_claimed_value_is_accepted_without_a_reason(
    pemdi: Period, dinkes_admin: User, assessor: User
) -> None:
    a = submitted(pemdi, dinkes_admin, 2, None)
    a = svc.accept_assessment(actor=assessor, assessment=a, validated_value=D("2.00"))
    assert (a.validated_level, a.validated_value, a.validation_reason) == (2, D("2.00"), "")


def test_a_level_instrument_needs_a_reason_for_another_level_and_refuses_decimals(
    agency: Agency, units: dict[str, Unit], dinkes_admin: User, assessor: User
) -> None:
    period = make_period(agency=agency, instrument=make_instrument(), lead_unit=units["dinkes"])
    a = period.assessments.select_related("indicator").get(indicator__number=1)
    a = svc.submit_assessment(actor=dinkes_admin, assessment=save(dinkes_admin, a, 3, None))
    close_stage(period, Stage.SELF_ASSESSMENT)
    open_stage(period, Stage.INTERNAL_REVIEW)
    with pytest.raises(ValidationError, match="differs from the claim"):
        svc.accept_assessment(actor=assessor, assessment=a, validated_level=2)
    with pytest.raises(ValidationError, match="scores whole levels"):
        svc.accept_assessment(
            actor=assessor, assessment=a, validated_level=3, validated_value=D("3.00")
        )
    a = svc.accept_assessment(actor=assessor, assessment=a, validated_level=2, reason="Kurang.")
    assert (a.validated_level, a.validated_value, a.validation_reason) == (2, None, "Kurang.")


def test_reopening_clears_the_validated_value_and_reason(
    pemdi: Period, dinkes_admin: User, assessor: User, coordinator: User
) -> None:
    a = submitted(pemdi, dinkes_admin, 2, D("2.40"))
    a = svc.accept_assessment(actor=assessor, assessment=a, validated_value=D("1.90"), reason="x")
    a = svc.reopen_assessment(actor=coordinator, assessment=a, reason="Dinilai ulang.")
    assert (a.validated_level, a.validated_value, a.validation_reason) == (None, None, "")


# --- external indices -------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 20)


def record(actor: User, a: Assessment, **changes: object) -> Assessment:
    data: dict[str, object] = {
        "value": D("2.75"),
        "source": "EPSS (BPS) 2026",
        "date": TODAY,
        "evidence": None,
    }
    data.update(changes)
    return ext.record_index_result(actor=actor, assessment=a, **data)  # type: ignore[arg-type]


def test_koordinator_records_ik7_and_the_index_moves_by_weight_times_the_gain(
    pemdi: Period, coordinator: User, units: dict[str, Unit]
) -> None:
    a = of(pemdi, "IK7")
    before = {s: official_index(pemdi, s) for s in ("self", "validated", "external")}
    from padu.evaluation.index import result_for

    exact_before = result_for(pemdi, list(pemdi.assessments.select_related("indicator")), "self")
    letter = EvidenceFactory(owner_unit=units["diskominfo"], title="Surat BPS hasil EPSS 2026")
    a = record(coordinator, a, evidence=letter)
    assert a.index_value == D("2.75") and a.index_evidence == letter
    assert a.index_recorded_by == coordinator and a.index_recorded_at is not None
    exact_after = result_for(pemdi, list(pemdi.assessments.select_related("indicator")), "self")
    weight = a.indicator.weight
    assert exact_after.index - exact_before.index == weight * (D("2.75") - D("1.00")) / 100
    assert all(official_index(pemdi, s) > before[s] for s in before)
    event = AuditEvent.objects.filter(object_id=str(a.pk)).latest("id")
    assert event.after["index_value"] == "2.75"
    status = ext.index_status(a)
    assert status is not None and (status.counts_at, status.is_default) == (D("2.75"), False)


def test_an_index_result_without_a_source_is_refused(pemdi: Period, coordinator: User) -> None:
    a = of(pemdi, "IK7")
    with pytest.raises(ValidationError) as exc:
        record(coordinator, a, source="  ")
    assert "source" in exc.value.message_dict
    a.refresh_from_db()
    assert a.index_value is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": D("5.01")}, "value"),
        ({"value": D("0.99")}, "value"),
        ({"value": D("1.261")}, "value"),
        ({"date": None}, "date"),
        ({"date": datetime.date(2100, 1, 1)}, "date"),
    ],
)
def test_bad_index_results_are_refused(
    pemdi: Period, coordinator: User, changes: dict[str, object], field: str
) -> None:
    a = of(pemdi, "IK7")
    with pytest.raises(ValidationError) as exc:
        record(coordinator, a, **changes)
    assert field in exc.value.message_dict
    assert Assessment.objects.get(pk=a.pk).index_value is None


def test_evidence_of_another_agency_is_refused(
    pemdi: Period, coordinator: User, other_unit: Unit
) -> None:
    with pytest.raises(ValidationError, match="this agency's library"):
        record(coordinator, of(pemdi, "IK7"), evidence=EvidenceFactory(owner_unit=other_unit))


@pytest.mark.parametrize("persona", ["dinkes_admin", "assessor", "viewer", "outsider", "leader"])
def test_only_the_koordinator_records_an_index_result(
    pemdi: Period, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    a = of(pemdi, "IK7")
    with pytest.raises(PermissionDenied):
        record(user, a)
    with pytest.raises(PermissionDenied):
        ext.clear_index_result(actor=user, assessment=a)


def test_an_indicator_assessed_from_evidence_takes_no_index_result(
    pemdi: Period, coordinator: User
) -> None:
    with pytest.raises(ValidationError, match="assessed from evidence"):
        record(coordinator, of(pemdi, "IK1"))


def test_clearing_the_result_goes_back_to_the_default_and_is_audited(
    pemdi: Period, coordinator: User
) -> None:
    a = record(coordinator, of(pemdi, "IK7"))
    a = ext.clear_index_result(actor=coordinator, assessment=a)
    assert a.index_value is None and a.index_source == "" and a.index_date is None
    assert ext.index_status(a) is not None and ext.index_status(a).is_default  # type: ignore[union-attr]
    event = AuditEvent.objects.filter(object_id=str(a.pk)).latest("id")
    assert event.before["index_value"] == "2.75" and event.after["index_value"] is None
    with pytest.raises(ValidationError, match="No index result"):
        ext.clear_index_result(actor=coordinator, assessment=a)


# --- assignment ----------------------------------------------------------------------


def test_the_assignment_refuses_a_lead_unit_for_an_external_index_indicator(
    agency: Agency, units: dict[str, Unit], coordinator: User
) -> None:
    from padu.evaluation import services

    period = make_pemdi_period(agency)
    a = of(period, "IK7")
    with pytest.raises(ValidationError, match="not assigned to a unit"):
        services.assign_assessments(
            actor=coordinator,
            period=period,
            rows=[services.AssignmentRow(assessment_id=a.pk, lead_unit=units["dinkes"])],
        )
    a.refresh_from_db()
    assert a.lead_unit is None


def test_copied_assignments_skip_external_index_indicators(
    agency: Agency, units: dict[str, Unit]
) -> None:
    from padu.evaluation import services

    old = make_pemdi_period(agency, lead_unit=units["dinkes"], year=2026)
    new = make_pemdi_period(agency, year=2027)
    services.copy_assignments_from(old, new)
    assert of(new, "IK1").lead_unit == units["dinkes"]
    assert of(new, "IK7").lead_unit is None
