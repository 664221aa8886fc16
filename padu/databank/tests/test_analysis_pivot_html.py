"""The fast pivot paths give what the plain ones gave: the flat grid the same figures as the
totals read, the one-pass table body the same cells as the template loop with floatformat."""

from __future__ import annotations

import random
import re
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation

from padu.databank import selectors_analysis as sel
from padu.databank.selectors_analysis import Pivot, PivotRow, PivotSpec
from padu.databank.templatetags.databank_pivot import figure_formatter, pivot_rows

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

# The template loop the tag replaces, kept here as the reference.
REFERENCE = Template(
    "{% for row in table.rows %}<tr>"
    '{% for label in row.labels %}<th scope="row">{{ label }}</th>{% endfor %}'
    "{% for v in row.cells %}"
    '<td>{% if v is None %}—{% else %}{{ v|floatformat:"-2g" }}{% endif %}</td>'
    "{% endfor %}</tr>{% endfor %}"
)


def _compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _corpus() -> list[D | None]:
    rng = random.Random(7)
    fixed = [
        "0", "-0", "0.000000", "-0.000000", "-0.004", "-0.005", "0.005", "0.004999",
        "1", "7.000000", "12.5", "999.994", "999.995", "999999.995", "-999.995", "1000",
        "-1234567.891", "1234.005000", "2.675", "76.666667", "100.000001", "-1",
        "123456789012345678.999999", "-123456789012345678.000000", "0.01", "-0.01",
    ]  # fmt: skip
    values: list[D | None] = [D(v) for v in fixed] + [None]
    for _ in range(3000):
        digits = rng.choice([1, 3, 4, 7, 10, 18])
        whole = rng.randrange(10**digits) * rng.choice([1, -1])
        frac = rng.choice([0, 0, rng.randrange(10**6), rng.randrange(100) * 10**4 + 5000])
        values.append(D(f"{whole}.{frac:06d}").copy_sign(D(whole or 1)))
    return values


@pytest.mark.parametrize("language", ["id", "en"])
def test_figures_read_as_floatformat_minus_two_grouped(language) -> None:
    values = _corpus()
    with translation.override(language):
        figure = figure_formatter()
        for value in [*values, *values]:  # twice: the second pass reads the remembered text
            expected = "—" if value is None else floatformat(value, "-2g")
            assert figure(value) == expected, value


@pytest.mark.parametrize("language", ["id", "en"])
def test_table_body_matches_the_template_loop(language) -> None:
    values = _corpus()
    rows = [
        PivotRow(['<b>Jumlah & "rata\'"</b>', f"Kel {i} (74.71.01.{i})"], values[i : i + 12])
        for i in range(0, len(values), 12)
    ]
    table = Pivot(row_headers=["Element", "Region"], columns=[], rows=rows)
    with translation.override(language):
        expected = REFERENCE.render(Context({"table": table}))
        assert _compact(pivot_rows(table)) == _compact(expected)
    assert "&lt;b&gt;Jumlah &amp; &quot;rata&#x27;&quot;&lt;/b&gt;" in expected


def test_table_body_of_rows_without_columns() -> None:
    table = Pivot(row_headers=["Element", "Region"], columns=[], rows=[PivotRow(["a", "b"], [])])
    assert pivot_rows(table) == '<tr><th scope="row">a</th><th scope="row">b</th></tr>'


@pytest.mark.parametrize("columns", ["period", "region", "element"])
@pytest.mark.parametrize("level", [2, 3, 4])
def test_pivot_places_every_total_where_the_totals_read_says(
    agency, analysis_data, columns, level
) -> None:
    elements = list(analysis_data.values())
    spec = PivotSpec(
        tuple(e.pk for e in elements), level, "monthly", "202501", "202503", columns=columns
    )
    table = sel.pivot(agency, elements, spec)
    regions = sel.agency_regions(agency, level)
    codes = ["202501", "202502", "202503"]
    totals = sel.read_totals(
        {e.pk: e.aggregation for e in elements}, [r.code for r in regions], codes
    )
    names = {e.pk: e.name for e in elements}
    labels = {r.code: f"{r.name} ({r.code})" for r in regions}
    found = {}
    for row in table.rows:
        for column, value in zip(table.columns, row.cells, strict=True):
            named = dict(zip(table.row_headers, row.labels, strict=True))
            named[{"period": "Period", "region": "Region", "element": "Element"}[columns]] = column
            found[(named["Element"], named["Region"], named["Period"])] = value
    expected = {(names[e], labels[r], p): v for (e, r, p), v in totals.items()}
    assert totals and {k: v for k, v in found.items() if v is not None} == expected
    assert table.filled == len(expected)
    assert len(found) == len(elements) * len(regions) * len(codes)


def test_code_range_read_keeps_only_the_asked_level(agency, analysis_data, monkeypatch) -> None:
    elements = list(analysis_data.values())
    spec = PivotSpec(tuple(e.pk for e in elements), 4, "quarterly", "2025Q1", "2025Q1")
    by_list = sel.pivot(agency, elements, spec)
    monkeypatch.setattr(sel, "_RANGE_ABOVE", 0)  # read the kelurahan as one code range
    by_range = sel.pivot(agency, elements, spec)
    assert by_range == by_list and by_range.filled == by_list.filled > 0
    kinds = {e.pk: e.aggregation for e in elements}
    wide = sel.read_totals(kinds, ["74.71.01.1001", "74.71.10.1001"], ["2025Q1"])
    assert {r for _e, r, _p in wide} == {"74.71.01.1001", "74.71.10.1001"}


def test_pivot_page_shows_formatted_figures(client, analysis_data, viewer) -> None:
    client.force_login(viewer)
    coverage = analysis_data["coverage"]
    query = f"?elements={coverage.pk}&level=2&period_type=yearly&start=2025&end=2025"
    body = client.get(reverse("databank:pivot") + query, HTTP_ACCEPT_LANGUAGE="id")
    assert body.status_code == 200
    # (80 + 90 + 60) / 3 reporting values = 76.666667, shown with a decimal comma.
    assert b"<td>76,67</td>" in body.content
