"""Entry service: types, min/max with comment, locks with reasons, region scope, submit."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from padu.audit.models import AuditEvent
from padu.databank import periods, services_entry
from padu.databank.choices import SubmissionStatus, ValueStatus
from padu.databank.models import (
    DataElement,
    DatasetElement,
    DataValue,
    LockException,
    Option,
    OptionSet,
    Submission,
    ValidationRule,
    ValueAudit,
)
from padu.databank.services_values import ValueRow, write_values

pytest_plugins = ["padu.databank.tests.fixtures_entry"]
pytestmark = pytest.mark.django_db


def save(
    user: Any,
    dataset: Any,
    region: Any,
    period: str,
    cell: tuple[int, int],
    raw: str,
    comment: str | None = None,
) -> services_entry.CellResult:
    return services_entry.save_cell(
        user=user,
        dataset=dataset,
        region=region,
        period=period,
        element_id=cell[0],
        combo_id=cell[1],
        raw=raw,
        comment=comment,
    )


# --- parse_value (pure) --------------------------------------------------------------------


def el(value_type: str, **kw: Any) -> DataElement:
    return DataElement(code="X", name="X", value_type=value_type, **kw)


@pytest.mark.parametrize("raw,expected", [("12", Decimal(12)), (" 1 200 ", Decimal(1200))])
def test_integer_accepts_whole_numbers(raw: str, expected: Decimal) -> None:
    assert services_entry.parse_value(el("integer"), raw) == (expected, "")


@pytest.mark.parametrize("raw", ["1.5", "abc", "1e400x", "NaN"])
def test_integer_refuses_fractions_and_text(raw: str) -> None:
    with pytest.raises(ValidationError):
        services_entry.parse_value(el("integer"), raw)


def test_decimal_accepts_a_comma() -> None:
    assert services_entry.parse_value(el("decimal"), "2,5") == (Decimal("2.5"), "")


@pytest.mark.parametrize("raw", ["-1", "100.5"])
def test_percentage_lies_between_0_and_100(raw: str) -> None:
    with pytest.raises(ValidationError):
        services_entry.parse_value(el("percentage"), raw)


def test_yes_no_reads_indonesian_words() -> None:
    assert services_entry.parse_value(el("boolean"), "Ya") == (Decimal(1), "")
    assert services_entry.parse_value(el("boolean"), "tidak") == (Decimal(0), "")
    with pytest.raises(ValidationError):
        services_entry.parse_value(el("boolean"), "mungkin")


def test_option_must_be_in_the_list() -> None:
    assert services_entry.parse_value(el("option"), "A", ["A", "B"]) == (None, "A")
    with pytest.raises(ValidationError):
        services_entry.parse_value(el("option"), "C", ["A", "B"])


def test_blank_is_no_value() -> None:
    assert services_entry.parse_value(el("integer"), "  ") == (None, "")


def test_outlier_by_modified_z_score() -> None:
    sample = [Decimal(v) for v in (100, 102, 98, 101, 99, 100)]
    assert services_entry.is_outlier(Decimal(500), sample)
    assert not services_entry.is_outlier(Decimal(103), sample)
    assert not services_entry.is_outlier(Decimal(500), sample[:3])  # too few to judge


def test_outlier_with_a_constant_history_uses_the_mean_deviation() -> None:
    sample = [Decimal(100)] * 5 + [Decimal(101)]
    assert services_entry.is_outlier(Decimal(200), sample)
    assert not services_entry.is_outlier(Decimal(100), [Decimal(100)] * 6)


# --- save_cell -----------------------------------------------------------------------------


def test_operator_saves_a_cell_of_their_village(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    result = save(village_operator, dataset, kambu, month, cells["lahir"], "7")
    assert result.value == "7" and result.changed
    dv = DataValue.objects.get(region=kambu, period=month, element_id=cells["lahir"][0])
    assert dv.value == Decimal(7)
    audit = ValueAudit.objects.get(region=kambu, period=month)
    assert (audit.old_value, audit.new_value, audit.source) == ("", "7", "entry")
    assert Submission.objects.get(dataset=dataset, region=kambu, period=month).status == "open"


def test_saving_the_same_value_again_writes_no_audit(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    save(village_operator, dataset, kambu, month, cells["lahir"], "7")
    result = save(village_operator, dataset, kambu, month, cells["lahir"], "7")
    assert not result.changed
    assert ValueAudit.objects.count() == 1


def test_operator_of_another_region_is_refused(
    village_operator: Any, dataset: Any, alolama: Any, month: str, cells: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        save(village_operator, dataset, alolama, month, cells["lahir"], "7")
    assert not DataValue.objects.exists()


def test_type_error_names_the_reason_and_saves_nothing(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as info:
        save(village_operator, dataset, kambu, month, cells["imun"], "120")
    assert "100" in str(info.value)
    assert not DataValue.objects.exists()


def test_value_below_minimum_needs_a_comment(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as info:
        save(village_operator, dataset, kambu, month, cells["pdd_l"], "-3")
    assert info.value.code == "needs_comment"
    assert not DataValue.objects.exists()
    result = save(village_operator, dataset, kambu, month, cells["pdd_l"], "-3", "koreksi data")
    assert result.warnings and result.comment == "koreksi data"
    assert DataValue.objects.get().comment == "koreksi data"


def test_cell_outside_the_form_is_refused(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        save(village_operator, dataset, kambu, month, (cells["lahir"][0], cells["pdd_l"][1]), "1")


def test_wrong_period_type_is_refused(
    village_operator: Any, dataset: Any, kambu: Any, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        save(village_operator, dataset, kambu, "2026Q1", cells["lahir"], "1")


def test_expired_period_is_refused_with_the_reason(
    village_operator: Any, dataset: Any, kambu: Any, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as info:
        save(village_operator, dataset, kambu, "202001", cells["lahir"], "1")
    assert info.value.code == "locked"
    assert "expired" in str(info.value) or "kedaluwarsa" in str(info.value)


def test_lock_exception_reopens_an_expired_period(
    village_operator: Any, dataset: Any, kambu: Any, cells: dict[str, Any]
) -> None:
    LockException.objects.create(
        dataset=dataset,
        region=kambu,
        period="202001",
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Data terlambat",
    )
    assert save(village_operator, dataset, kambu, "202001", cells["lahir"], "1").changed


def test_submitted_form_is_locked_for_entry(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period=month, status="submitted")
    with pytest.raises(ValidationError) as info:
        save(village_operator, dataset, kambu, month, cells["lahir"], "1")
    assert info.value.code == "locked"


def test_outlier_is_a_warning_not_a_refusal(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    current = periods.parse(month)
    rows = []
    for i in range(6):
        current = current.previous()
        rows.append(ValueRow(*cells["lahir"], kambu.code, current.code, Decimal(10 + i % 2)))
    write_values(rows=rows, user=None, source="test")
    result = save(village_operator, dataset, kambu, month, cells["lahir"], "500")
    assert result.changed and any("Unusual" in w or "biasa" in w for w in result.warnings)


def test_rule_violation_is_a_warning(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    ValidationRule.objects.create(
        dataset=dataset,
        name="Lahir <= penduduk",
        left="#{LAHIR}",
        operator="<=",
        right="#{PDD}",
        message="Kelahiran melebihi jumlah penduduk",
    )
    save(village_operator, dataset, kambu, month, cells["pdd_l"], "2")
    result = save(village_operator, dataset, kambu, month, cells["lahir"], "9")
    assert "Kelahiran melebihi jumlah penduduk" in result.warnings


def test_option_element_checks_its_list(
    agency: Any, village_operator: Any, dataset: Any, kambu: Any, month: str, births: Any
) -> None:
    option_set = OptionSet.objects.create(agency=agency, code="KLS", name="Kelas")
    Option.objects.create(option_set=option_set, code="A", name="A")
    element = DataElement.objects.create(
        agency=agency,
        code="KLS",
        name="Kelas",
        value_type="option",
        category_combo=births.category_combo,
        option_set=option_set,
        aggregation="none",
    )
    DatasetElement.objects.create(dataset=dataset, element=element, position=9)
    combo = element.category_combo.option_combos.get().pk
    assert save(village_operator, dataset, kambu, month, (element.pk, combo), "A").value == "A"
    with pytest.raises(ValidationError):
        save(village_operator, dataset, kambu, month, (element.pk, combo), "Z")


# --- submit --------------------------------------------------------------------------------


def test_submit_needs_compulsory_cells(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    DatasetElement.objects.filter(dataset=dataset, element_id=cells["pdd_l"][0]).update(
        compulsory=True
    )
    save(village_operator, dataset, kambu, month, cells["pdd_l"], "5")
    with pytest.raises(ValidationError):
        services_entry.submit_form(
            user=village_operator, dataset=dataset, region=kambu, period=month
        )
    save(village_operator, dataset, kambu, month, cells["pdd_p"], "6")
    submission = services_entry.submit_form(
        user=village_operator, dataset=dataset, region=kambu, period=month
    )
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == village_operator
    assert AuditEvent.objects.filter(object_type="databank.submission").exists()


def test_submit_notifies_the_walidata(
    village_operator: Any,
    data_custodian: Any,
    dataset: Any,
    kambu: Any,
    month: str,
    cells: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from padu.accounts.models import Notification

    save(village_operator, dataset, kambu, month, cells["lahir"], "1")
    with django_capture_on_commit_callbacks(execute=True):
        services_entry.submit_form(
            user=village_operator, dataset=dataset, region=kambu, period=month
        )
    assert Notification.objects.filter(user=data_custodian).exists()


def test_submit_refuses_out_of_range_value_without_comment(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    # written by an import that skipped the comment: submit still catches it
    write_values(
        rows=[ValueRow(*cells["pdd_l"], kambu.code, month, Decimal(-1))], user=None, source="test"
    )
    with pytest.raises(ValidationError):
        services_entry.submit_form(
            user=village_operator, dataset=dataset, region=kambu, period=month
        )


def test_fixing_a_returned_cell_clears_its_returned_state(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    save(village_operator, dataset, kambu, month, cells["lahir"], "3")
    Submission.objects.filter(region=kambu).update(status="returned")
    DataValue.objects.update(status=ValueStatus.RETURNED, return_reason="implausible")
    with pytest.raises(ValidationError):
        services_entry.submit_form(
            user=village_operator, dataset=dataset, region=kambu, period=month
        )
    save(village_operator, dataset, kambu, month, cells["lahir"], "4")
    assert DataValue.objects.get().status == ValueStatus.ENTERED
    services_entry.submit_form(user=village_operator, dataset=dataset, region=kambu, period=month)
