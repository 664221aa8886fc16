"""The what-if simulator on a Pemdi (8/2026) period, from the demo, on a 390 px phone: values
typed as 2,40 move the index by exactly weight x change / 100, figures rounded half to even
(an exact 1,605 shows 1,60), a malformed entry such as 1,2,6 is refused on its row."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from padu.core.demo import DemoLogin
from padu.evaluation import services
from padu.evaluation.choices import Stage
from padu.evaluation.index import item_value, shape_for
from padu.evaluation.instrument_loader import load_bundled_instruments
from padu.evaluation.models import Assessment, Period
from padu.evaluation.scoring import compute, round_published
from padu.organizations.models import Agency

from .conftest import login, shot

pytestmark = pytest.mark.browser


def pemdi_period() -> Period:
    """The demo's Pemdi period (2026 once the demo runs 8/2026), else one opened for 2027."""
    agency = Agency.objects.get(name__icontains="Kendari")
    found = Period.objects.filter(agency=agency, instrument__value_scale="decimal").first()
    if found is not None:
        return found
    if services.default_instrument(2027) is None:
        load_bundled_instruments()
    day = datetime.date
    windows = {
        Stage.SELF_ASSESSMENT: (day(2027, 2, 1), day(2027, 3, 12)),
        Stage.INTERNAL_REVIEW: (day(2027, 3, 15), day(2027, 4, 2)),
        Stage.RESULTS: (day(2027, 11, 1), day(2027, 12, 31)),
    }
    return services.create_period(
        actor=None, agency=agency, year=2027, instrument=None, windows=windows
    )


def number(text: str) -> Decimal:
    """A figure shown in Indonesian ("1,605", "+0,06") as a Decimal."""
    assert "." not in text, text
    return Decimal(text.strip().replace(",", "."))


def test_typed_pemdi_values_move_the_index_exactly_and_a_bad_entry_is_refused(
    new_page: Callable[[], Any], demo: list[DemoLogin]
) -> None:
    period = pemdi_period()
    assert period.instrument.is_decimal and period.instrument.rounding == "half_even"
    rows = {a.indicator.number: a for a in period.assessments.select_related("indicator")}
    # Self-assessed values that make the exact index 1.605 (published 1,60 half to even):
    # every other indicator at 1.00, IK20 (weight 15) at 5.00 and IK1 (weight 5) at 1.10.
    for a in rows.values():
        external = a.indicator.external_default is not None
        a.claimed_value = None if external else Decimal("1.00")
        a.claimed_level = None if external else 1
        a.index_value = None
    rows[20].claimed_value, rows[20].claimed_level = Decimal("5.00"), 5
    rows[1].claimed_value = Decimal("1.10")
    Assessment.objects.bulk_update(rows.values(), ["claimed_value", "claimed_level", "index_value"])
    shape = shape_for(period.instrument)

    def exact_index() -> Decimal:
        values = {
            (a.indicator.number, a.slot): item_value(a, "claimed_level") for a in rows.values()
        }
        return compute(shape, values).index

    assert exact_index() == Decimal("1.605")

    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "pimpinan")
    page.goto(reverse("evaluation:simulator", args=[period.pk]))
    index = page.locator("[data-testid=sim-index]")
    exact = page.locator("[data-testid=sim-exact]")
    page.wait_for_function(
        "document.querySelector('[data-testid=sim-index]')?.textContent.trim() !== '—'"
    )
    assert index.inner_text() == "1,60"  # half to even; half up would show 1,61
    assert exact.inner_text() == "1,605"
    assert page.inner_text("[data-testid=sim-delta]") == "+0,00"
    assert page.inner_text("[data-testid=sim-aspect-AS1]") == "1,05"
    assert page.locator("[data-testid=external-index]").count() == 4
    assert page.input_value(f"#sim_{rows[1].pk}") == "1,10"

    # Type 2,40 on IK8 (weight 4, starting at 1,00): the exact index moves by 4 x 1.40 / 100.
    target = rows[8]
    weight = target.indicator.weight
    page.fill(f"#sim_{target.pk}", "2,40")
    expected = Decimal("1.605") + weight * (Decimal("2.40") - Decimal("1.00")) / 100
    assert number(exact.inner_text()) - Decimal("1.605") == weight * Decimal("1.40") / 100
    assert number(exact.inner_text()) == expected == Decimal("1.661")
    assert number(index.inner_text()) == round_published(expected, "half_even")
    assert page.inner_text("[data-testid=sim-delta]") == "+0,06"
    rows[8].claimed_value = Decimal("2.40")
    aspect = compute(
        shape, {(a.indicator.number, a.slot): item_value(a, "claimed_level") for a in rows.values()}
    ).aspects["AS3"]
    shown = number(page.inner_text("[data-testid=sim-aspect-AS3]"))
    assert shown == round_published(aspect, "half_even")
    assert page.locator("[data-testid=sim-predicate]").inner_text() == "Cukup"

    # "1,2,6" on IK9 is refused on its row, and not used: the index stays where it was.
    bad = rows[9]
    page.fill(f"#sim_{bad.pk}", "1,2,6")
    error = page.locator(f"[data-sim-error='{bad.pk}']")
    assert error.is_visible() and "1,00" in error.inner_text() and "5,00" in error.inner_text()
    assert page.get_attribute(f"#sim_{bad.pk}", "aria-invalid") == "true"
    assert number(exact.inner_text()) == Decimal("1.661")
    # "1.26" with a point is taken as well, and clears the row's message.
    page.fill(f"#sim_{bad.pk}", "1.26")
    assert not error.is_visible()
    assert (
        number(exact.inner_text())
        == Decimal("1.661") + bad.indicator.weight * Decimal("0.26") / 100
    )

    # Fits a 390 px phone: inputs at least 44 px high, the page does not scroll sideways.
    box = page.locator(f"#sim_{bad.pk}").bounding_box()
    assert box is not None and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "evaluation-simulator-pemdi")
    assert Assessment.objects.get(pk=target.pk).claimed_value == Decimal("1.00")  # nothing saved
