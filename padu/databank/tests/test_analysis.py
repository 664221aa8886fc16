"""Pivot figures per aggregation type against hand-computed values; chart/map geometry."""

from __future__ import annotations

from decimal import Decimal as D

from padu.databank import charts_analysis as charts
from padu.databank import selectors_analysis as sel
from padu.databank.selectors_analysis import PivotSpec

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

ALOLAMA, KAMBU = "74.71.01.1001", "74.71.10.1001"


def _cells(table: sel.Pivot) -> dict[tuple[str, str], list[D | None]]:
    return {(r.labels[0], r.labels[1]): r.cells for r in table.rows}


def _pivot(agency, analysis_data, **kw) -> sel.Pivot:
    elements = list(analysis_data.values())
    spec = PivotSpec(
        element_ids=tuple(e.pk for e in elements),
        level=kw.pop("level", 4),
        period_type=kw.pop("period_type", "quarterly"),
        start=kw.pop("start", "2025Q1"),
        end=kw.pop("end", "2025Q1"),
        **kw,
    )
    return sel.pivot(agency, elements, spec)


def test_totals_per_aggregation_type_at_village_level(agency, analysis_data) -> None:
    cells = _cells(_pivot(agency, analysis_data))
    alolama, kambu = f"Alolama ({ALOLAMA})", f"Kambu ({KAMBU})"
    assert cells[("Jumlah kelahiran", alolama)] == [D(7)]  # sum: 3 + 4
    assert cells[("Jumlah kelahiran", kambu)] == [D(6)]
    assert cells[("Jumlah penduduk", alolama)] == [D(213)]  # last per cell: 102 + 111
    assert cells[("Jumlah penduduk", kambu)] == [D(110)]
    assert cells[("Cakupan imunisasi", alolama)] == [D(85)]  # average of 80, 90
    # Weighted over cells: L = avg(80, 70) over 2 values, P = 90 over 1 -> (150 + 90) / 3.
    assert cells[("Imunisasi per JK", alolama)] == [D(80)]


def test_totals_at_city_level_weight_averages_by_reporting_leaves(agency, analysis_data) -> None:
    cells = _cells(_pivot(agency, analysis_data, level=2))
    city = "Kota Kendari (74.71)"
    assert cells[("Jumlah kelahiran", city)] == [D(13)]
    assert cells[("Jumlah penduduk", city)] == [D(323)]
    assert cells[("Cakupan imunisasi", city)][0].quantize(D("0.0001")) == D("76.6667")


def test_months_and_disaggregation_cells(agency, analysis_data) -> None:
    table = _pivot(
        agency,
        analysis_data,
        period_type="monthly",
        start="202501",
        end="202503",
        disaggregated=True,
        level=3,
    )
    assert table.columns == ["202501", "202502", "202503"]
    cells = _cells(table)
    mandonga = "Mandonga (74.71.01)"
    assert cells[("Jumlah penduduk — Laki-laki", mandonga)] == [D(100), None, D(102)]
    assert cells[("Jumlah penduduk — Perempuan", mandonga)] == [D(110), None, D(111)]
    assert cells[("Jumlah kelahiran", mandonga)] == [D(3), D(4), None]


def test_columns_by_region_and_rows_nest_the_rest(agency, analysis_data) -> None:
    table = _pivot(agency, analysis_data, level=3, columns="region")
    assert table.columns == ["Mandonga (74.71.01)", "Kambu (74.71.10)"]
    assert table.row_headers == ["Element", "Period"]
    assert _cells(table)[("Jumlah kelahiran", "2025Q1")] == [D(7), D(6)]


def test_under_limits_regions(agency, analysis_data) -> None:
    table = _pivot(agency, analysis_data, under="74.71.10")
    assert {r.labels[1] for r in table.rows} == {f"Kambu ({KAMBU})"}


def test_closed_elements_only_for_custodian_and_producer(
    agency, analysis_data, viewer, data_custodian
) -> None:
    births = analysis_data["births"]
    births.access_class = "tertutup"
    births.save()
    assert births not in sel.readable_elements(viewer, agency)
    assert births in sel.readable_elements(data_custodian, agency)


def test_dashboard_tiles(agency, analysis_data) -> None:
    (tile,) = sel.dashboard_tiles(agency, [analysis_data["births"]])
    assert tile.period == "202503"
    assert tile.latest == D(1)
    assert tile.trend[-3:] == [D(3), D(9), D(1)]
    assert dict(tile.by_district) == {"Mandonga": None, "Kambu": D(1)}
    assert not tile.spark.is_empty


def test_geometry_helpers() -> None:
    assert charts.nice_max(D(13)) == D(20)
    assert charts.fmt(D("76.666667")) == "76.67"
    assert charts.breaks([D(1), D(2), D(3), D(4), D(5)]) == [D(1), D(2), D(3), D(4), D(5)]
    assert charts.color_of(None, [D(1)]) == charts.NO_DATA
    square = {"type": "Polygon", "coordinates": [[[122, -4], [123, -4], [123, -3], [122, -4]]]}
    chart = charts.choropleth([("a", "A", square)], {"a": D(5)})
    assert chart.shapes[0].path.startswith("M") and chart.legend
    bars = charts.bar_chart([("x", D(2)), ("y", None), ("z", D(4))])
    assert [b.label for b in bars.bars] == ["z", "x", "y"]


def test_incremental_rollups_match_a_rebuild(agency, analysis_data, default_combo, admin_user):
    """Random-ish edits and deletions, then the kept aggregates equal a full rebuild."""
    from padu.databank.models import AggregateValue
    from padu.databank.rollups import rebuild
    from padu.databank.services_values import ValueRow, write_values

    births, coverage = analysis_data["births"], analysis_data["coverage"]
    d = default_combo.pk
    edits = [
        [ValueRow(births.pk, d, ALOLAMA, "202501", None)],  # delete
        [ValueRow(coverage.pk, d, KAMBU, "202501", None)],  # Kambu loses its only coverage
        [
            ValueRow(births.pk, d, KAMBU, "202512", D(9)),
            ValueRow(coverage.pk, d, KAMBU, "202407", D(50)),
        ],
        [ValueRow(births.pk, d, KAMBU, "202503", D(2))],
    ]
    for rows in edits:
        write_values(rows=rows, user=admin_user, source="entry")

    def kept() -> set[tuple]:
        return set(
            AggregateValue.objects.values_list(
                "element_id", "option_combo_id", "region_id", "period", "value", "count"
            )
        )

    incremental = kept()
    rebuild()
    assert incremental == kept()


def test_grouped_totals_equal_the_pure_rule(agency, analysis_data) -> None:
    kinds = {e.pk: e.aggregation for e in analysis_data.values()}
    regions = [ALOLAMA, KAMBU, "74.71.01", "74.71.10", "74.71"]
    codes = ["202501", "202502", "202503", "2025Q1", "2025S1", "2025"]
    pure = {k: c.value for k, c in sel.totals(kinds, sel.read_cells(kinds, regions, codes)).items()}
    grouped = sel.read_totals(kinds, regions, codes)
    assert grouped.keys() == pure.keys()
    for key, value in pure.items():
        assert grouped[key] == value.quantize(D("0.000001")), key
