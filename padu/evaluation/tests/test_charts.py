"""Line chart axis: a few labels whatever the range, written in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from padu.evaluation.charts import MAX_TICKS, SeriesIn, line_chart, tick_step


@pytest.mark.parametrize(
    ("span", "step"),
    [("1", "0.5"), ("4", "0.5"), ("5", "1"), ("8", "1"), ("9", "2"), ("100", "20"),
     ("508993", "100000"), ("1000000", "200000")],
)  # fmt: skip
def test_tick_step_is_round_and_keeps_labels_few(span: str, step: str) -> None:
    assert tick_step(Decimal(span)) == Decimal(step)
    assert Decimal(span) / tick_step(Decimal(span)) <= MAX_TICKS


def test_a_population_axis_has_a_handful_of_grouped_labels() -> None:
    """A trend of 500,000 people once drew a label at every whole number up to a million."""
    with translation.override("id"):
        chart = line_chart(
            ["2025S1", "2025S2"],
            [SeriesIn("Penduduk", {"2025S1": Decimal(508993), "2025S2": Decimal(511648)})],
            y_min=Decimal(0),
            y_max=Decimal(1000000),
        )
    labels = [label for _y, label in chart.y_ticks]
    assert labels == ["0", "200.000", "400.000", "600.000", "800.000", "1.000.000"]


def test_the_index_axis_keeps_its_half_steps_in_each_language() -> None:
    series = [SeriesIn("Indeks", {2024: Decimal("2.51")})]
    with translation.override("id"):
        assert [label for _y, label in line_chart([2024], series).y_ticks][:3] == ["1", "1,5", "2"]
    with translation.override("en"):
        assert [label for _y, label in line_chart([2024], series).y_ticks][:3] == ["1", "1.5", "2"]
