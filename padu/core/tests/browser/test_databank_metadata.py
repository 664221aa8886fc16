"""Data bank metadata: the walidata creates a data element and adds it to a dataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.databank.models import DataElement, Dataset

from .conftest import login, shot, t

pytestmark = pytest.mark.browser


def test_walidata_creates_an_element_and_adds_it_to_a_dataset(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    page = new_page()
    login(page, "walidata")
    page.goto("/data/")
    assert (
        page.locator("[data-testid=databank-datasets]")
        .get_by_text("Kesehatan Ibu dan Anak")
        .is_visible()
    )
    shot(page, "databank-home")
    page.goto("/data/elemen/")
    page.get_by_role("link", name=t("New data element")).first.click()
    page.fill("#id_code", "ASI")
    page.fill("#id_name", "Cakupan ASI eksklusif")
    page.fill("#id_concept", "ASI eksklusif")
    page.fill("#id_definition", "Persentase bayi 0-6 bulan yang hanya mendapat ASI.")
    page.fill("#id_classification", "Tanpa klasifikasi")
    page.fill("#id_measure", "Persentase")
    page.fill("#id_unit_of_measure", "persen")
    page.select_option("#id_value_type", "percentage")
    page.select_option("#id_aggregation", "average")
    page.select_option("#id_producer", label="Dinkes")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    assert page.get_by_text(t("The data element has been created.")).is_visible()
    assert page.locator("[data-testid=metadata-completeness] .big-number").inner_text() == "100%"
    shot(page, "databank-element")

    dataset = Dataset.objects.get(code="KIA")
    page.goto(f"/data/dataset/{dataset.pk}/")
    form = page.locator("[data-testid=add-element]")
    form.locator("select[name=element]").select_option(label="ASI Cakupan ASI eksklusif")
    form.locator("input[name=compulsory]").check()
    form.get_by_role("button", name=t("Add to dataset")).click()
    assert page.get_by_text(t("The element has been added to the dataset.")).is_visible()
    row = page.locator("[data-testid=dataset-elements] tr", has_text="ASI")
    assert row.get_by_text("Cakupan ASI eksklusif").is_visible()
    shot(page, "databank-dataset")
    element = DataElement.objects.get(code="ASI")
    item = dataset.dataset_elements.get(element=element)
    assert item.compulsory
    assert item.position == dataset.dataset_elements.count() - 1
