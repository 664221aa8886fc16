"""Metadata checks: aggregation fits the value type, codes unique regardless of case, and
an element's shape (disaggregation, value type) is fixed once values are stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.databank import services_metadata as svc
from padu.databank.models import DataElement, Dataset, OptionSet
from padu.databank.services_values import ValueRow, write_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client: Client) -> Any:
    """The messages are checked in English here (Indonesian is checked elsewhere)."""
    client.cookies["django_language"] = "en"  # the signed-in users picked English
    with translation.override("en"):
        yield


def element_data(element: DataElement, **kw: Any) -> dict[str, Any]:
    data = {
        "code": "BARU",
        "name": "Elemen baru",
        "value_type": "integer",
        "aggregation": "sum",
        "category_combo": element.category_combo_id,
        "access_class": "terbuka",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize(
    "value_type,aggregation,ok",
    [
        ("text", "sum", False),
        ("text", "average", False),
        ("text", "last", True),
        ("text", "none", True),
        ("option", "sum", False),
        ("option", "average", False),
        ("option", "last", True),
        ("boolean", "sum", True),  # counts the "yes" answers
        ("boolean", "average", True),  # the share of "yes"
        ("integer", "average", True),
    ],
)
def test_aggregation_must_fit_the_value_type(value_type: str, aggregation: str, ok: bool) -> None:
    assert (svc.aggregation_error(value_type, aggregation) is None) is ok


def test_the_element_form_refuses_summing_text(
    client: Client, population: DataElement, data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = element_data(population, value_type="text", aggregation="sum")
    with translation.override("en"):
        response = client.post(reverse("databank:element_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    error = str(response.context["form"].errors["aggregation"])
    assert "cannot be summed or averaged" in error and "yes" in error
    assert not DataElement.objects.filter(code="BARU").exists()
    data["aggregation"] = "none"
    assert client.post(reverse("databank:element_create"), data).status_code == 302


def test_the_service_refuses_an_option_element_averaged(
    agency: Any, population: DataElement, data_custodian: Any
) -> None:
    options = OptionSet.objects.create(agency=agency, code="YT", name="Ya/Tidak")
    data = element_data(population, value_type="option", aggregation="average")
    data["category_combo"], data["option_set"] = population.category_combo, options
    with pytest.raises(ValidationError) as exc:
        svc.save_element(actor=data_custodian, agency=agency, data=data)
    assert "aggregation" in exc.value.error_dict


def test_element_codes_are_unique_regardless_of_case(
    client: Client, population: DataElement, data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = element_data(population, code="pdd")
    with translation.override("en"):
        response = client.post(reverse("databank:element_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already uses this code: PDD" in str(response.context["form"].errors["code"])
    assert not DataElement.objects.filter(code="pdd").exists()


def test_element_code_case_is_checked_by_the_service_too(
    agency: Any, population: DataElement, data_custodian: Any
) -> None:
    data = element_data(population, code="Pdd")
    data["category_combo"] = population.category_combo
    with pytest.raises(ValidationError) as exc:
        svc.save_element(actor=data_custodian, agency=agency, data=data)
    assert "PDD" in str(exc.value.error_dict["code"])


def test_an_element_may_keep_its_own_code_in_another_case(
    agency: Any, population: DataElement, data_custodian: Any
) -> None:
    data = element_data(population, code="pdd", aggregation="last")
    data["category_combo"] = population.category_combo
    svc.save_element(actor=data_custodian, agency=agency, data=data, element=population)
    population.refresh_from_db()
    assert population.code == "pdd"


def test_dataset_codes_are_unique_regardless_of_case(
    client: Client, dataset: Dataset, data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = {
        "code": "kependudukan",
        "name": "Lain",
        "period_type": "monthly",
        "collection_level": 4,
        "open_after_days": 0,
        "close_after_days": 15,
        "timely_days": 10,
        "licence": "CC-BY-4.0",
    }
    with translation.override("en"):
        response = client.post(reverse("databank:dataset_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already uses this code: KEPENDUDUKAN" in str(response.context["form"].errors["code"])
    with pytest.raises(ValidationError):
        svc.save_dataset(actor=data_custodian, agency=dataset.agency, data=data)


def test_codes_of_another_agency_do_not_count(
    agency: Any, other_agency: Any, population: DataElement
) -> None:
    assert svc.code_in_use(DataElement, agency, "pdd") == "PDD"
    assert svc.code_in_use(DataElement, other_agency, "pdd") is None


def test_value_type_cannot_change_once_values_exist(
    client: Client, population: DataElement, data_custodian: Any
) -> None:
    data = element_data(
        population, code="PDD", name="Jumlah penduduk", aggregation="last", value_type="decimal"
    )
    client.force_login(data_custodian)
    url = reverse("databank:element_edit", args=[population.pk])
    assert client.post(url, data).status_code == 302  # no values yet: allowed
    population.refresh_from_db()
    assert population.value_type == "decimal"
    cell = population.category_combo.option_combos.first()
    write_values(
        rows=[ValueRow(population.pk, cell.pk, "74.71.01.1001", "202501", Decimal(5))],
        user=data_custodian,
        source="entry",
    )
    data["value_type"] = "integer"
    with translation.override("en"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "value type cannot change" in str(response.context["form"].errors["value_type"])
    population.refresh_from_db()
    assert population.value_type == "decimal"
