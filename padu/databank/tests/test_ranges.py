"""Allowed ranges written as people write them, and the import error report in Indonesian."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.databank.imports import Problem
from padu.databank.imports.validate import ElementSpec, _range_reason
from padu.databank.models import DataElement
from padu.databank.ranges import plain, range_text
from padu.databank.selectors_import import _hint
from padu.databank.services_import import error_report


@pytest.mark.parametrize(
    "low,high,text",
    [
        ("0", "100", "0 \u2013 100"),
        ("0", None, "≥ 0"),
        (None, "100", "≤ 100"),
        (None, None, ""),
        ("0.000000", "100.000000", "0 \u2013 100"),
        ("-2.50", "1E+3", "-2.5 \u2013 1000"),
    ],
)
def test_range_text(low: str | None, high: str | None, text: str) -> None:
    def d(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    assert range_text(d(low), d(high)) == text


def test_plain_drops_trailing_zeros() -> None:
    assert [plain(Decimal(v)) for v in ("0.000000", "12.50", "100.000000")] == ["0", "12.5", "100"]


def test_an_out_of_range_reason_with_no_maximum() -> None:
    spec = ElementSpec(1, "PDD", "integer", {}, min_value=Decimal("0.000000"))
    with translation.override("en"):
        assert _range_reason(spec, "-3") == "-3 is outside the allowed range ≥ 0."


@pytest.mark.django_db
def test_the_template_hint_with_no_maximum(population: DataElement) -> None:
    population.unit_of_measure = "jiwa"
    assert population.min_value == 0 and population.max_value is None
    with translation.override("en"):
        assert _hint(population, ()) == "Whole number; jiwa; ≥ 0"
    population.min_value, population.max_value = None, Decimal("100.000000")
    with translation.override("en"):
        assert _hint(population, ()) == "Whole number; jiwa; ≤ 100"


@pytest.mark.django_db
def test_the_element_page_shows_the_range_without_trailing_zeros(
    client: Client, population: DataElement, viewer: Any
) -> None:
    population.min_value, population.max_value = Decimal("0.5"), Decimal("100")
    population.save()
    population.refresh_from_db()  # as stored: 0.500000 and 100.000000
    client.force_login(viewer)
    url = reverse("databank:element_detail", args=[population.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "0,5 \u2013 100" in page and "000000" not in page
    population.max_value = None
    population.save()
    page = client.get(url).content.decode()
    assert "≥ 0,5" in page and "0,5 \u2013" not in page


def test_the_error_report_header_is_in_the_active_language() -> None:
    problems = [Problem(line=2, column="kode_elemen", code="unknown_element", reason="x")]
    with translation.override("id"):
        lines = error_report(problems).decode("utf-8-sig").splitlines()
    assert lines[0] == "baris,kolom,kode,alasan"
    with translation.override("en"):
        lines = error_report(problems).decode("utf-8-sig").splitlines()
    assert lines[0] == "row,column,code,reason"
    assert lines[1] == "2,kode_elemen,unknown_element,x"
