"""Data bank entry end to end: the operator of Kelurahan Kambu fills and submits a monthly
form (autosave per cell, surviving a lost connection), the walidata returns one value with a
reason, the operator fixes it and resubmits, the walidata accepts and the form locks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from padu.core.demo import DemoLogin
from padu.databank import periods
from padu.databank.models import (
    CategoryCombo,
    DataElement,
    Dataset,
    DatasetElement,
    DataValue,
    Submission,
)
from padu.evaluation.permissions import today_in
from padu.organizations.models import Agency

from .conftest import Problems, login, shot

pytestmark = pytest.mark.browser
KAMBU = "74.71.10.1001"


def make_form() -> tuple[Dataset, str]:
    """A small monthly dataset of our own, so the test does not depend on the demo's data."""
    agency = Agency.objects.get(region_id="74.71")
    default = CategoryCombo.objects.get(code="default", agency=None)
    dataset = Dataset.objects.create(
        agency=agency, code="UJI_ISIAN", name="Uji isian kelurahan", period_type="monthly"
    )
    for pos, (code, name) in enumerate([("UJI_LAHIR", "Kelahiran"), ("UJI_MATI", "Kematian")]):
        element = DataElement.objects.create(
            agency=agency, code=code, name=name, category_combo=default, min_value=Decimal(0)
        )
        DatasetElement.objects.create(
            dataset=dataset, element=element, position=pos, compulsory=True
        )
    month = periods.containing(today_in(agency), periods.MONTHLY).code
    return dataset, month


def fill(page: Any, testid: str, value: str) -> None:
    """Type into a cell once autosave listens, and wait until the server has it."""
    page.wait_for_selector("#entry-form[data-ready]", state="attached")
    cell = page.locator(f"[data-testid={testid}]")
    cell.fill(value)
    wait_saved(page, testid)


def wait_saved(page: Any, testid: str) -> None:
    state = page.locator(f"[data-testid={testid}]").locator("xpath=ancestor::td")
    state = state.locator(".cell-state")
    page.wait_for_function(
        "el => ['saved', 'error'].includes(el.dataset.state)",
        arg=state.element_handle(),
        timeout=30_000,
    )
    assert state.get_attribute("data-state") == "saved", state.inner_text()


def test_operator_enters_walidata_returns_operator_fixes_walidata_accepts(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems
) -> None:
    dataset, month = make_form()
    form_url = f"/data/isian/{dataset.pk}/{KAMBU}/{month}/"
    review_url = f"/data/isian/verifikasi/{dataset.pk}/{KAMBU}/{month}/"

    operator = new_page()
    login(operator, "operator.kambu")
    operator.goto("/data/isian/")
    operator.click(f"[data-testid='form-link-{dataset.pk}-{KAMBU}-{month}']")
    assert operator.url.endswith(form_url)
    fill(operator, "cell-UJI_LAHIR-1", "12")

    # Offline: the edit waits in localStorage and goes out when the connection is back.
    operator.context.set_offline(True)
    operator.fill("[data-testid=cell-UJI_MATI-1]", "3")
    operator.wait_for_selector("td[data-element] .cell-state[data-state=offline]")
    operator.context.set_offline(False)
    operator.wait_for_selector("td[data-element] .cell-state[data-state=saved] >> nth=1")
    problems.console_errors.clear()  # the browser logs the failed request while offline
    shot(operator, "databank-entry-form")

    operator.reload()
    assert operator.input_value("[data-testid=cell-UJI_LAHIR-1]") == "12"
    assert operator.input_value("[data-testid=cell-UJI_MATI-1]") == "3"
    with operator.expect_navigation():
        operator.click("[data-testid=submit-form]")
    assert Submission.objects.get(dataset=dataset).status == "submitted"
    assert operator.locator("[data-testid=cell-UJI_LAHIR-1]").is_disabled()

    walidata = new_page()
    login(walidata, "walidata")
    walidata.goto("/data/isian/verifikasi/")
    walidata.click(f"[data-testid='review-link-{dataset.pk}-{KAMBU}-{month}']")
    assert walidata.url.endswith(review_url)
    walidata.check("[data-testid=pick-UJI_LAHIR-1]")
    walidata.select_option("#id_reason", "implausible")
    walidata.fill("#id_comment", "Kelahiran terlalu tinggi, cek register.")
    shot(walidata, "databank-review-form")
    with walidata.expect_navigation():
        walidata.click("[data-testid=return-values]")
    assert Submission.objects.get(dataset=dataset).status == "returned"

    operator.goto(form_url)
    returned = operator.inner_text("[data-testid=returned-UJI_LAHIR-1]")
    assert "Kelahiran terlalu tinggi" in returned
    fill(operator, "cell-UJI_LAHIR-1", "2")
    with operator.expect_navigation():
        operator.click("[data-testid=submit-form]")
    assert Submission.objects.get(dataset=dataset).status == "submitted"

    walidata.goto(review_url)
    with walidata.expect_navigation():
        walidata.click("[data-testid=accept-submission]")
    assert Submission.objects.get(dataset=dataset).status == "accepted"
    assert set(
        DataValue.objects.filter(element__code__startswith="UJI_").values_list("status", flat=True)
    ) == {"accepted"}

    operator.goto(form_url)
    assert operator.locator("[data-testid=cell-UJI_LAHIR-1]").is_disabled()
    assert operator.inner_text("[data-testid=lock-reason]").strip()
    shot(operator, "databank-entry-accepted")
    walidata.goto(f"/data/isian/kelengkapan/?dataset={dataset.pk}")
    assert walidata.locator("[data-testid=completeness-board]").is_visible()
    problems.assert_none()


def test_a_value_typed_before_the_script_loaded_is_saved(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems
) -> None:
    """On a slow connection the operator may type before entry.js has arrived; the value is
    still sent once the script runs, not silently dropped."""
    dataset, month = make_form()
    operator = new_page()
    login(operator, "operator.kambu")
    operator.route("**/js/entry*.js", lambda route: route.abort())
    operator.goto(f"/data/isian/{dataset.pk}/{KAMBU}/{month}/")
    operator.fill("[data-testid=cell-UJI_MATI-1]", "7")
    assert operator.get_attribute("#entry-form", "data-ready") is None
    script = operator.get_attribute("script[src*='js/entry']", "src")
    operator.unroute("**/js/entry*.js")
    operator.add_script_tag(url=script)
    wait_saved(operator, "cell-UJI_MATI-1")
    assert DataValue.objects.get(element__code="UJI_MATI", period=month).value == Decimal(7)
    problems.console_errors.clear()  # the aborted script load
    problems.assert_none()


def test_the_before_submitting_list_stays_while_a_compulsory_cell_is_empty(
    new_page: Callable[[], Any], demo: list[DemoLogin], problems: Problems
) -> None:
    """Filling one of two compulsory cells leaves the list up; it goes when both are filled."""
    dataset, month = make_form()
    operator = new_page()
    login(operator, "operator.kambu")
    operator.goto(f"/data/isian/{dataset.pk}/{KAMBU}/{month}/")
    blocking = operator.locator("[data-testid=blocking]")
    assert blocking.is_visible()
    fill(operator, "cell-UJI_LAHIR-1", "12")
    assert blocking.is_visible()
    fill(operator, "cell-UJI_MATI-1", "3")
    assert blocking.is_hidden()
    operator.fill("[data-testid=cell-UJI_MATI-1]", "")
    assert blocking.is_visible()
    wait_saved(operator, "cell-UJI_MATI-1")
    problems.assert_none()
