"""Validation of raw rows against a catalog (pure) : each bad input gives a coded problem."""

from __future__ import annotations

from decimal import Decimal

import pytest

from padu.databank.imports import RawRow
from padu.databank.imports.validate import Catalog, ElementSpec, validate

A, B, C = "74.71.01.1001", "74.71.10.1001", "74.71.01.1002"


def catalog(**kw: object) -> Catalog:
    elements = {
        "PDD": ElementSpec(1, "PDD", "integer", {"L": 11, "P": 12}, Decimal(0), Decimal(1000)),
        "IMUN": ElementSpec(2, "IMUN", "percentage", {"default": 1}),
        "POS": ElementSpec(3, "POS", "boolean", {"default": 1}),
        "JENIS": ElementSpec(4, "JENIS", "option", {"default": 1}, options={"a": "A", "b": "B"}),
        "RATA": ElementSpec(5, "RATA", "decimal", {"default": 1}),
        "NAMA": ElementSpec(6, "NAMA", "text", {"default": 1}),
    }
    base: dict[str, object] = {
        "dataset_code": "DS",
        "period_type": "monthly",
        "elements": elements,
        "regions": {A, B, C},
        "allowed": {A, B},
    }
    base.update(kw)
    return Catalog(**base)  # type: ignore[arg-type]


def raw(line: int, element: str, value: str, cell: str = "", **kw: str) -> RawRow:
    return RawRow(
        line,
        kw.get("region", A),
        element,
        cell,
        kw.get("period", "202501"),
        value,
        kw.get("comment", ""),
        kw.get("text_cell", "") == "1",
    )


def problems(*rows: RawRow, **kw: object) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in validate(rows, catalog(**kw)).errors]


def test_good_rows_are_typed() -> None:
    checked = validate(
        [
            raw(2, "PDD", "12", "L"),
            raw(3, "IMUN", "87,5"),
            raw(4, "POS", "Ya"),
            raw(5, "JENIS", "b"),
            raw(6, "RATA", "1.1234567"),
            raw(7, "NAMA", "Pak RT"),
            raw(8, "PDD", "", "P"),
        ],
        catalog(),
    )
    assert checked.ok
    assert [r[4:6] for r in checked.rows] == [
        (Decimal(12), ""),
        (Decimal("87.5"), ""),
        (Decimal(1), ""),
        (None, "B"),
        (Decimal("1.123457"), ""),
        (None, "Pak RT"),
        (None, ""),
    ]
    assert checked.rows[0][:4] == (1, 11, A, "202501")


def test_unknown_codes() -> None:
    assert problems(
        raw(2, "XX", "1"),
        raw(3, "PDD", "1", "Z"),
        raw(4, "PDD", "1"),  # a disaggregated element needs its cell
        raw(5, "IMUN", "1", region="99.99"),
    ) == [(2, "unknown_element"), (3, "unknown_cell"), (4, "unknown_cell"), (5, "unknown_region")]


def test_operators_only_import_their_regions() -> None:
    assert problems(raw(2, "IMUN", "1", region=C)) == [(2, "not_allowed")]


@pytest.mark.parametrize("period", ["2025", "2025Q1", "202513", "2025-01", ""])
def test_period_must_be_a_code_of_the_dataset_type(period: str) -> None:
    assert problems(raw(2, "IMUN", "1", period=period)) == [(2, "bad_period")]


def test_locked_periods() -> None:
    def locked(region: str, period: str) -> str:
        return "expired" if period == "202401" else ""

    assert problems(raw(2, "IMUN", "1", period="202401"), raw(3, "IMUN", "1"), locked=locked) == [
        (2, "locked")
    ]


def test_duplicated_keys_name_the_first_row() -> None:
    checked = validate([raw(2, "PDD", "1", "L"), raw(3, "PDD", "2", "L")], catalog())
    assert [(p.line, p.code) for p in checked.errors] == [(3, "duplicate")]
    assert "2" in checked.errors[0].reason


@pytest.mark.parametrize(
    ("element", "value", "cell"),
    [
        ("PDD", "1.5", "L"),  # not whole
        ("PDD", "dua", "L"),
        ("IMUN", "101", ""),
        ("IMUN", "-1", ""),
        ("POS", "mungkin", ""),
        ("JENIS", "C", ""),
        ("RATA", "NaN", ""),
        ("RATA", "1e20", ""),
    ],
)
def test_value_type_violations(element: str, value: str, cell: str) -> None:
    assert problems(raw(2, element, value, cell)) == [(2, "value_type")]


def test_text_in_a_number_cell_is_an_error() -> None:
    assert problems(raw(2, "PDD", "12", "L", text_cell="1")) == [(2, "value_type")]


def test_out_of_range_needs_a_comment() -> None:
    assert problems(raw(2, "PDD", "2000", "L")) == [(2, "out_of_range")]
    checked = validate([raw(2, "PDD", "2000", "L", comment="pemekaran wilayah")], catalog())
    assert checked.ok
    assert [(p.line, p.code, p.warning) for p in checked.warnings] == [(2, "out_of_range", True)]
    assert checked.rows[0][6] == "pemekaran wilayah"
