"""The pivot in pages: each page is its slice of the whole table, read alone; the page shows
a pager only when there is more than one page, keeps the filters, and the CSV stays whole."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.urls import reverse

from padu.databank import selectors_analysis as sel
from padu.databank.selectors_analysis import PivotSpec

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

LAYOUTS = [
    (columns, level, disaggregated)
    for columns in ("period", "region", "element")
    for level in (3, 4)
    for disaggregated in (False, True)
]


def _spec(analysis_data, **kw: Any) -> PivotSpec:
    return PivotSpec(
        element_ids=tuple(e.pk for e in analysis_data.values()),
        level=kw.pop("level", 4),
        period_type=kw.pop("period_type", "monthly"),
        start=kw.pop("start", "202501"),
        end=kw.pop("end", "202503"),
        **kw,
    )


def _plain(rows: list[sel.PivotRow]) -> list[tuple[list[str], list[Any]]]:
    return [(row.labels, row.cells) for row in rows]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
@pytest.mark.parametrize(("columns", "level", "disaggregated"), LAYOUTS)
def test_pages_are_consecutive_slices_of_the_whole_table(
    agency, analysis_data, monkeypatch, size, columns, level, disaggregated
) -> None:
    elements = list(analysis_data.values())
    spec = _spec(analysis_data, level=level, columns=columns, disaggregated=disaggregated)
    whole = sel.pivot(agency, elements, spec)
    assert whole.page is None and len(whole.rows) >= 6
    monkeypatch.setattr(sel, "PAGE_ROWS", size)
    first = sel.pivot(agency, elements, spec, page=1)
    second = sel.pivot(agency, elements, spec, page=2)
    if len(whole.rows) > size:
        assert _plain(second.rows) == _plain(whole.rows[size : 2 * size])
    else:  # one page: asking for the second shows the last, the only one
        assert _plain(second.rows) == _plain(whole.rows)
    assert _plain(first.rows) == _plain(whole.rows[:size])
    assert first.page is not None and first.page.paginator.count == len(whole.rows)
    pages, number = [], 1
    while True:
        table = sel.pivot(agency, elements, spec, page=number)
        assert table.page is not None and table.page.number == number
        assert len(table.rows) <= size
        assert table.columns == whole.columns and table.row_headers == whole.row_headers
        assert table.filled == sum(v is not None for row in table.rows for v in row.cells)
        pages.append(table)
        if not table.page.has_next():
            break
        number += 1
    assert [_plain(t.rows) for t in pages] == [
        _plain(whole.rows[i : i + size]) for i in range(0, len(whole.rows), size)
    ]
    assert sum(t.filled for t in pages) == whole.filled > 0


@pytest.mark.parametrize("asked", ["999", "0", "-1"])
def test_a_page_past_either_end_is_the_last_page(agency, analysis_data, monkeypatch, asked) -> None:
    elements = list(analysis_data.values())
    spec = _spec(analysis_data)
    whole = sel.pivot(agency, elements, spec)
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    table = sel.pivot(agency, elements, spec, page=asked)
    assert table.page is not None and not table.page.has_next()
    last = (len(whole.rows) - 1) // 3 * 3
    assert _plain(table.rows) == _plain(whole.rows[last:])


def test_a_page_that_is_not_a_number_is_the_first(agency, analysis_data, monkeypatch) -> None:
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    table = sel.pivot(agency, list(analysis_data.values()), _spec(analysis_data), page="dua")
    assert table.page is not None and table.page.number == 1 and len(table.rows) == 3


def test_an_empty_table_has_one_empty_page(agency, analysis_data) -> None:
    spec = _spec(analysis_data, under="74.71.99")  # not a district of the agency: no regions
    table = sel.pivot(agency, [], spec, page=4)
    assert table.rows == [] and table.page is not None and table.page.paginator.count == 0


@pytest.mark.parametrize("columns", ["period", "region", "element"])
def test_a_page_reads_only_the_figures_of_its_rows(
    agency, analysis_data, monkeypatch, columns
) -> None:
    elements = list(analysis_data.values())
    by_name = {e.name: e.pk for e in elements}
    spec = _spec(analysis_data, columns=columns)
    read: list[tuple[set[int], set[str], set[str]]] = []
    plain = sel._read_total_rows

    def spy(element_ids, region_codes, codes):  # type: ignore[no-untyped-def]
        read.append((set(element_ids), set(region_codes), set(codes)))
        return plain(element_ids, region_codes, codes)

    monkeypatch.setattr(sel, "_read_total_rows", spy)
    monkeypatch.setattr(sel, "PAGE_ROWS", 2)
    table = sel.pivot(agency, elements, spec, page=1)
    (elements_read, regions_read, codes_read) = read[-1]
    named = [dict(zip(table.row_headers, row.labels, strict=True)) for row in table.rows]
    if columns != "element":
        assert elements_read == {by_name[n["Element"]] for n in named}
    if columns != "region":
        assert regions_read == {n["Region"].rsplit("(", 1)[1][:-1] for n in named}
    if columns != "period":
        assert codes_read == {n["Period"] for n in named}


def _url(analysis_data, **extra: str) -> str:
    query = "&".join(f"elements={e.pk}" for e in analysis_data.values())
    query += "&level=4&period_type=monthly&start=202501&end=202503"
    return f"{reverse('databank:pivot')}?{query}" + "".join(f"&{k}={v}" for k, v in extra.items())


def _body_rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def test_pager_only_when_the_table_has_more_than_one_page(
    client, analysis_data, viewer, monkeypatch
) -> None:
    client.force_login(viewer)
    client.cookies["django_language"] = "en"  # the user picked English
    html = client.get(_url(analysis_data)).content.decode()
    assert 'data-testid="pivot-pager"' not in html and "Figures shown" in html
    whole = _body_rows(html)
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    client.cookies["django_language"] = "en"  # the user picked English
    html = client.get(_url(analysis_data)).content.decode()
    assert html.count('data-testid="pivot-pager"') == 2  # above and below the table
    assert f"Rows 1\u20133 of {len(whole)}" in html and "Figures on this page" in html
    assert _body_rows(html) == whole[:3]
    (next_link,) = set(re.findall(r'href="\?([^"]*)" rel="next"', html))
    assert 'rel="prev"' not in html
    params = next_link.replace("&amp;", "&")
    assert "page=2" in params and "period_type=monthly" in params and "start=202501" in params
    assert params.count("elements=") == len(analysis_data)
    second = client.get(f"{reverse('databank:pivot')}?{params}").content.decode()
    assert _body_rows(second) == whole[3:6] and 'rel="prev"' in second


def test_page_out_of_range_shows_the_last_page(client, analysis_data, viewer, monkeypatch) -> None:
    client.force_login(viewer)
    whole = _body_rows(client.get(_url(analysis_data)).content.decode())
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    for asked in ("999", "0", "x", "9" * 40):
        response = client.get(_url(analysis_data, page=asked))
        assert response.status_code == 200
        rows = _body_rows(response.content.decode())
        if asked == "x":
            assert rows == whole[:3]
        else:
            assert rows == whole[(len(whole) - 1) // 3 * 3 :]


def test_csv_export_is_the_whole_table_whatever_the_page(
    client, analysis_data, viewer, monkeypatch
) -> None:
    client.force_login(viewer)
    whole = sel.pivot(
        viewer.memberships.first().agency, list(analysis_data.values()), _spec(analysis_data)
    )
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    page = client.get(_url(analysis_data, page="2")).content.decode()
    (export,) = set(re.findall(r'href="\?([^"]*format=csv[^"]*)"', page))
    assert "page=" not in export
    body = client.get(_url(analysis_data, page="2", format="csv")).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 1 + len(whole.rows) > 4


def test_query_count_of_a_paged_page_is_pinned(
    client, analysis_data, viewer, monkeypatch, django_assert_num_queries
) -> None:
    client.force_login(viewer)
    monkeypatch.setattr(sel, "PAGE_ROWS", 3)
    client.get(_url(analysis_data, page="2"))  # warm caches (content types, site settings)
    # session, user, memberships, the agency's region, districts, elements (form check,
    # table, form select), regions, the page's figures (one read), unread notifications
    with django_assert_num_queries(11):
        response = client.get(_url(analysis_data, page="2"))
    assert response.status_code == 200 and b'data-testid="pivot-pager"' in response.content
