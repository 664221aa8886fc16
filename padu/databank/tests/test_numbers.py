"""Typed numbers as written in Indonesia: thousands groups, decimal comma, malformed input.

The entry form and the bulk import share `numbers.parse_number`; both paths are checked here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from padu.databank import services_entry
from padu.databank.imports import RawRow
from padu.databank.imports.validate import Catalog, ElementSpec, validate
from padu.databank.models import DataValue
from padu.databank.numbers import parse_number

pytest_plugins = ["padu.databank.tests.fixtures_entry"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.000", 1000),
        ("12.500", 12500),
        ("1.000.000", 1000000),
        ("1,000", 1000),
        ("1,000,000", 1000000),
        ("-2.500", -2500),
        (" 1 200 ", 1200),
        ("12", 12),
        ("1.000,00", 1000),
    ],
)
def test_whole_numbers_read_thousands_groups(raw: str, expected: int) -> None:
    assert parse_number(raw, whole=True) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1,5", "1.5", "0.125", "1.000,5", "12,50"])
def test_a_decimal_part_in_a_whole_number_is_an_error(raw: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match="not a whole number") as exc:
        parse_number(raw, whole=True)
    assert raw in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1.000.000", "1000000"),
        ("1,000,000", "1000000"),
        ("95,5", "95.5"),
        ("95.5", "95.5"),
        ("0,125", "0.125"),
        ("1,000", "1"),  # a single separator stays the decimal separator
        ("-3,25", "-3.25"),
    ],
)
def test_decimals_read_the_last_separator_as_the_decimal_one(raw: str, expected: str) -> None:
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    ["1.00.0", "1..2", "1,2,3", "12.34,5", "1.234,5.6", "1,23.4", "0.000.000", ",", "1.2.3,4"],
)
def test_malformed_groups_are_errors_naming_the_value(raw: str) -> None:
    for whole in (False, True):
        with translation.override("en"), pytest.raises(ValueError) as exc:
            parse_number(raw, whole=whole)
        assert f"“{raw}”" in str(exc.value)
        assert "not a number" in str(exc.value)


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "1e400x", "1.000 rupiah", ""])
def test_text_is_not_a_number(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_entry_parse_value_uses_the_shared_reader() -> None:
    integer = services_entry.DataElement(code="X", name="X", value_type="integer")
    decimal = services_entry.DataElement(code="X", name="X", value_type="decimal")
    assert services_entry.parse_value(integer, "12.500") == (Decimal(12500), "")
    assert services_entry.parse_value(decimal, "1.234,5") == (Decimal("1234.5"), "")
    with pytest.raises(ValidationError):
        services_entry.parse_value(integer, "1,5")
    with pytest.raises(ValidationError):
        services_entry.parse_value(decimal, "1,2,3")


@pytest.mark.django_db
def test_operator_typing_a_thousand_saves_a_thousand(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    element_id, combo_id = cells["pdd_l"]
    services_entry.save_cell(
        user=village_operator,
        dataset=dataset,
        region=kambu,
        period=month,
        element_id=element_id,
        combo_id=combo_id,
        raw="1.000",
    )
    dv = DataValue.objects.get(region=kambu, period=month, element_id=element_id)
    assert dv.value == Decimal(1000)


@pytest.mark.django_db
def test_operator_typing_a_fraction_in_a_whole_number_cell_is_refused(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    element_id, combo_id = cells["pdd_l"]
    with pytest.raises(ValidationError, match="1,5"):
        services_entry.save_cell(
            user=village_operator,
            dataset=dataset,
            region=kambu,
            period=month,
            element_id=element_id,
            combo_id=combo_id,
            raw="1,5",
        )
    assert not DataValue.objects.filter(region=kambu, period=month).exists()


def _catalog() -> Catalog:
    return Catalog(
        dataset_code="DS",
        period_type="monthly",
        elements={
            "PDD": ElementSpec(1, "PDD", "integer", {"default": 1}),
            "RATA": ElementSpec(2, "RATA", "decimal", {"default": 2}),
        },
        regions={"R"},
        allowed={"R"},
    )


def _row(line: int, element: str, value: str, period: str = "202501") -> RawRow:
    return RawRow(line, "R", element, "", period, value, "", False)


def test_import_reads_thousands_groups_like_the_entry_form() -> None:
    checked = validate(
        [
            _row(2, "PDD", "12.500"),
            _row(3, "RATA", "1.234,5"),
            _row(4, "RATA", "95,5", "202502"),
        ],
        _catalog(),
    )
    assert checked.ok
    assert [r[4] for r in checked.rows] == [Decimal(12500), Decimal("1234.5"), Decimal("95.5")]


def test_import_reports_fractions_and_malformed_groups() -> None:
    with translation.override("en"):
        checked = validate([_row(2, "PDD", "1,5"), _row(3, "RATA", "1.00.0")], _catalog())
    assert [(p.line, p.code) for p in checked.errors] == [(2, "value_type"), (3, "value_type")]
    assert "“1,5” is not a whole number" in checked.errors[0].reason
    assert "“1.00.0” is not a number" in checked.errors[1].reason


@pytest.mark.parametrize(
    ("raw", "whole", "expected"),
    [
        ("1.125", False, "1.125"),
        ("1.000", True, "1"),
        ("-2.5", False, "-2.5"),
        ("3e2", True, "300"),
    ],
)
def test_a_machine_number_has_a_dot_decimal_and_no_groups(
    raw: str, whole: bool, expected: str
) -> None:
    assert parse_number(raw, whole=whole, machine=True) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1,5", "1.000,5", "1.000.000", "1 000,5"])
def test_a_machine_number_with_grouping_or_a_comma_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not a number"), translation.override("en"):
        parse_number(raw, machine=True)


def test_numbers_a_program_wrote_are_not_read_as_thousands() -> None:
    """1.125 in an Excel number cell or a DHIS2 file is one and an eighth: in a whole-number
    element it is an error, never 1125."""
    rows = [RawRow(2, "R", "PDD", "", "202501", "1.125", "", False, True),
            RawRow(3, "R", "RATA", "", "202501", "1.125", "", False, True)]  # fmt: skip
    with translation.override("en"):
        checked = validate(rows, _catalog())
    assert [(p.line, p.code) for p in checked.errors] == [(2, "value_type")]
    assert checked.rows[0][4] == Decimal("1.125")


def test_excel_number_cells_and_dhis2_files_are_marked_as_machine_numbers() -> None:
    from padu.databank.imports import parse
    from padu.databank.imports.templates import TemplateRow, to_dvs_csv, to_xlsx

    rows = [TemplateRow("R", "R", "PDD", "P", "", "", "202501", "12")]
    assert [r.machine for r in parse(to_dvs_csv(rows), "dvs_csv").rows] == [True]
    assert [r.machine for r in parse(to_xlsx(rows, "DS", "DS"), "xlsx").rows] == [True]
    assert [r.machine for r in parse(
        b"kode_wilayah,kode_elemen,kode_rincian,periode,nilai\r\nR,PDD,,202501,1.000\r\n", "csv"
    ).rows] == [False]  # fmt: skip
