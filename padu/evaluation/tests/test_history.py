"""History reads and the demo history: periods across instruments, concordance, charts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from padu.evaluation.charts import SeriesIn, line_chart
from padu.evaluation.demo_history import seed_history
from padu.evaluation.history import agency_history, compare_periods, concordance
from padu.evaluation.index import official_index
from padu.evaluation.instrument_loader import load_bundled_instruments
from padu.evaluation.models import Period


def test_a_line_breaks_where_a_year_has_no_value() -> None:
    chart = line_chart(
        [2019, 2020, 2021],
        [SeriesIn("x", {2019: Decimal(1), 2021: Decimal(5)})],
        width=144,
        height=100,
    )
    line = chart.lines[0]
    assert line.path == "M44.0 68.0 M128.0 16.0"
    assert [p.label for p in line.points] == ["x 2019: 1.00", "x 2021: 5.00"]
    assert [label for _x, label in chart.x_ticks] == ["2019", "2020", "2021"]


def test_the_concordance_reads_both_ways() -> None:
    forward = concordance("permenpanrb-5-2018", "permenpanrb-59-2020")
    backward = concordance("permenpanrb-59-2020", "permenpanrb-5-2018")
    assert forward is not None and backward is not None
    assert forward[(29, 1)] == (34, 1) and backward[(34, 1)] == (29, 1)
    assert forward[(35, 3)] == (47, 1)
    assert concordance("permenpanrb-5-2018", "pemdi") is None


@pytest.fixture
def kendari_history(agency, units) -> dict[int, Period]:  # type: ignore[no-untyped-def]
    load_bundled_instruments()
    seed_history(agency)
    return {p.year: p for p in Period.objects.filter(agency=agency)}


def test_demo_history_lands_2022_on_the_published_index(kendari_history, agency) -> None:
    assert sorted(kendari_history) == [2019, 2021, 2022, 2023, 2024]
    p2022 = kendari_history[2022]
    assert p2022.external_index == Decimal("2.02")
    assert official_index(p2022, "external") == Decimal("2.02")
    assert kendari_history[2019].instrument.code == "permenpanrb-5-2018"
    assert seed_history(agency) == []  # runs once


def test_compare_5_2018_with_59_2020_uses_the_concordance(kendari_history) -> None:
    old, new = kendari_history[2019], kendari_history[2022]
    comparison = compare_periods(old, new)
    assert not comparison.same_instrument and comparison.by_concordance
    pairs = {(r.a.label if r.a else None, r.b.label if r.b else None): r for r in comparison.rows}
    finance = pairs[("29. Layanan Manajemen Keuangan", "34. Layanan Keuangan")]
    a_level = finance.a.levels["external"] if finance.a else None
    b_level = finance.b.levels["external"] if finance.b else None
    assert a_level is not None and b_level is not None
    assert finance.deltas["external"] == b_level - a_level
    assert ("35. Layanan Publik Instansi Pemerintah (3)", "47. Layanan Publik Sektoral 3") in pairs
    assert (None, "11. Arsitektur SPBE Instansi Pusat/Pemerintah Daerah") in pairs
    # 37 rows of 5/2018 + 47 of 59/2020, 20 of them paired
    assert comparison.unmatched == 37 + 47 - 2 * 20


def test_history_charts_domains_by_name_across_instruments(kendari_history, agency) -> None:
    history = agency_history(agency, Period.objects.filter(agency=agency))
    assert [s.key for s in history.sections] == ["spbe"]
    spbe = history.sections[0]
    assert spbe.group_names[:4] == [
        "Kebijakan Internal SPBE",
        "Tata Kelola SPBE",
        "Manajemen SPBE",
        "Layanan SPBE",
    ]
    row_2019 = next(r for r in history.rows if r.year == 2019)
    assert "Manajemen SPBE" not in row_2019.domains and "Layanan SPBE" in row_2019.domains
    lines = {line.label: line for line in spbe.group_chart.lines}
    assert len(lines["Layanan SPBE"].points) == 5
    assert len(lines["Manajemen SPBE"].points) == 4
