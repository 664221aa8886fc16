"""Metadata completeness: which Satu Data fields are missing, as a percentage and a list."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from padu.databank.completeness_metadata import (
    dataset_completeness,
    dataset_metadata_gaps,
    element_completeness,
    element_metadata_gaps,
)


def element(**kw: Any) -> SimpleNamespace:
    base = {
        "code": "PDD",
        "name": "Jumlah penduduk",
        "concept": "Penduduk",
        "definition": "Orang yang berdomisili",
        "classification": "Jenis kelamin",
        "measure": "Jumlah",
        "unit_of_measure": "jiwa",
        "producer_id": 1,
        "value_type": "integer",
        "option_set_id": None,
    }
    return SimpleNamespace(**{**base, **kw})


def dataset(**kw: Any) -> SimpleNamespace:
    base = {
        "description": "Penduduk per kelurahan",
        "producer_id": 1,
        "licence": "CC-BY-4.0",
        "group": "Kependudukan",
        "tags": "penduduk",
    }
    return SimpleNamespace(**{**base, **kw})


def test_a_complete_element_has_no_gaps() -> None:
    assert element_metadata_gaps(element()) == []
    assert element_completeness(element()).percent == Decimal(100)


def test_missing_element_fields_are_named() -> None:
    gaps = element_metadata_gaps(element(concept="", unit_of_measure="  ", producer_id=None))
    assert len(gaps) == 3
    assert any("konsep" in g.lower() for g in gaps)
    assert any("satuan" in g.lower() for g in gaps)
    assert any("produsen" in g.lower() for g in gaps)


def test_element_percentage_rounds() -> None:
    result = element_completeness(element(concept="", definition="", classification=""))
    assert (result.filled, result.total) == (4, 7)
    assert result.percent == Decimal(57)


def test_an_option_element_needs_an_option_list() -> None:
    gaps = element_metadata_gaps(element(value_type="option"))
    assert len(gaps) == 1
    assert element_metadata_gaps(element(value_type="option", option_set_id=3)) == []


def test_a_complete_dataset_with_complete_elements_is_publishable() -> None:
    assert dataset_metadata_gaps(dataset(), [element(), element(code="KK")]) == []
    assert dataset_completeness(dataset(), [element()]).complete


def test_a_dataset_without_elements_is_incomplete() -> None:
    gaps = dataset_metadata_gaps(dataset(), [])
    assert len(gaps) == 1


def test_dataset_gaps_include_element_gaps_with_the_code() -> None:
    result = dataset_completeness(
        dataset(description="", licence=""), [element(), element(code="KK", measure="")]
    )
    assert len(result.gaps) == 3
    assert "KK" in result.gaps[-1] and "ukuran" in result.gaps[-1].lower()
    assert (result.filled, result.total) == (4 + 7 + 6, 6 + 7 + 7)
    assert result.percent == Decimal(85)


def test_elements_are_read_from_the_dataset_when_not_given(dataset_with_elements: Any) -> None:
    assert dataset_completeness(dataset_with_elements).total == 6 + 3 * 7


def test_gaps_are_translated(settings: Any) -> None:
    from django.utils import translation

    with translation.override("id"):
        gaps = element_metadata_gaps(element(concept=""))
    assert gaps and "konsep" in gaps[0].lower()


@pytest.fixture
def dataset_with_elements(dataset: Any) -> Any:
    return dataset
