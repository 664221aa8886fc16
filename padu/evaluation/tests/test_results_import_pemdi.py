"""Pemdi (8/2026) external results through the koordinator's pages: the done-when test
(template in, index and aspects out through the API and the dashboard) and a corpus of bad
files, each refused naming row and cell with nothing applied."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation.index import shape_for
from padu.evaluation.models import Aspect, Assessment, Period
from padu.evaluation.scoring import compute

from .pemdi import (
    ASPECTS_PUBLISHED,
    ASPECTS_SHOWN,
    INDEX_EXACT,
    INDEX_PUBLISHED,
    WORKED,
    make_pemdi_period,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def pemdi_period(agency, units) -> Period:  # type: ignore[no-untyped-def]
    return make_pemdi_period(agency, units["diskominfo"])


def upload(data: bytes, name: str = "hasil.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def filled_template(client: Client, period: Period, typed: dict[int, object]) -> bytes:
    """The period's XLSX template downloaded from its page with the `nilai` cells filled."""
    response = client.get(
        reverse("evaluation:external_template", args=[period.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    number_col, value_col = header.index("indikator") + 1, header.index("nilai") + 1
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, number_col).value
        if number in typed:
            sheet.cell(row, value_col).value = typed[number]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def external_values(period: Period) -> dict[int, tuple[Decimal | None, int | None]]:
    return {
        a.indicator.number: (a.external_value, a.external_level)
        for a in Assessment.objects.filter(period=period).select_related("indicator")
    }


def test_a_full_set_of_decimal_lhe_values_reads_back_through_the_api_and_the_dashboard(
    client: Client, pemdi_period: Period, coordinator
) -> None:
    # Half typed as Indonesian text ("2,40"), half as Excel number cells (2.4).
    typed: dict[int, object] = {
        n: value.replace(".", ",") if n % 2 else float(value) for n, value in WORKED.items()
    }
    assert isinstance(typed[1], str) and isinstance(typed[2], float)
    client.force_login(coordinator)
    data = filled_template(client, pemdi_period, typed)
    target = reverse("evaluation:external_import", args=[pemdi_period.pk])
    check = client.post(target, {"file": upload(data), "action": "check"})
    assert check.context["preview"].ok and len(check.context["preview"].changes) == 20
    assert client.post(target, {"file": upload(data), "action": "apply"}).status_code == 302
    stored = external_values(pemdi_period)
    assert stored == {n: (Decimal(v), int(Decimal(v))) for n, v in WORKED.items()}

    # What the engine computes by hand from the same values.
    by_hand = compute(
        shape_for(pemdi_period.instrument), {(n, 1): Decimal(v) for n, v in WORKED.items()}
    )
    assert by_hand.index == INDEX_EXACT

    api = client.get(f"/api/v1/evaluation/periods/{pemdi_period.pk}/index/").json()
    assert (api["value_scale"], api["rounding"]) == ("decimal", "half_even")
    assert api["external"]["index"] == str(INDEX_PUBLISHED) == "1.60"
    assert Decimal(api["external"]["index_exact"]) == by_hand.index
    assert api["external"]["aspects"] == ASPECTS_PUBLISHED
    assert {k: Decimal(v) for k, v in api["external"]["aspects_exact"].items()} == by_hand.aspects
    assert api["external"]["filled"] == api["external"]["total"] == 20

    page = client.get(reverse("evaluation:period_detail", args=[pemdi_period.pk]))
    scores = page.context["scores"]
    external = next(s for s in scores.series if s.key == "external")
    assert external.index_display == "1,60"
    position = [s.key for s in scores.series].index("external")
    names = dict(
        Aspect.objects.filter(instrument=pemdi_period.instrument).values_list("name", "code")
    )
    shown = {names[g.name]: g.values[position].display for g in scores.groups}
    assert shown == ASPECTS_SHOWN
    html = page.content.decode()
    assert 'data-testid="index-external">1,60<' in html
    assert all(f"<span>{value}</span>" in html for value in ASPECTS_SHOWN.values())


def test_an_lhe_value_on_an_external_index_indicator_wins_in_the_external_series(
    client: Client, pemdi_period: Period, coordinator
) -> None:
    Assessment.objects.filter(period=pemdi_period, indicator__number=7).update(
        index_value=Decimal("2.00"), index_source="EPSS BPS 2026"
    )
    client.force_login(coordinator)
    data = filled_template(client, pemdi_period, {7: "3,34"})
    target = reverse("evaluation:external_import", args=[pemdi_period.pk])
    check = client.post(target, {"file": upload(data), "action": "check"})
    (row,) = check.context["preview"].change_rows
    assert row.label.startswith("IK7.") and "BPS" in row.index_source
    assert (row.before, row.after) == ("—", "3,34")
    client.post(target, {"file": upload(data), "action": "apply"})
    api = client.get(f"/api/v1/evaluation/periods/{pemdi_period.pk}/index/").json()
    # IK7 weighs 3: the LHE's 3.34 counts in the external series, EPSS's 2.00 in the others,
    # every other indicator at the floor 1.00 (the external-index ones at their default 1.00).
    assert (
        Decimal(api["external"]["index_exact"]) == Decimal(1) + Decimal(3) * Decimal("2.34") / 100
    )
    assert Decimal(api["self"]["index_exact"]) == Decimal(1) + Decimal(3) * Decimal("1.00") / 100


BAD_FILES = [
    # (label, text cells of the `nilai` column by indicator, line, cell, words in the reason)
    ("above five", {1: "2,40", 3: "5,01"}, 4, "F4", "di luar"),
    ("below one", {2: "0,99"}, 3, "F3", "di luar"),
    ("three decimals", {4: "1,255"}, 5, "F5", "lebih dari dua desimal"),
    ("two commas", {5: "1,2,6"}, 6, "F6", "bukan angka"),
    ("a word", {6: "dua"}, 7, "F7", "bukan angka"),
    ("a formula", {8: "=1+1"}, 9, "F9", "formula"),
]


@pytest.mark.parametrize(("label", "typed", "line", "cell", "words"), BAD_FILES)
def test_each_bad_file_is_refused_naming_row_and_cell_and_applies_nothing(
    client: Client,
    pemdi_period: Period,
    coordinator,
    label: str,
    typed: dict[int, object],
    line: int,
    cell: str,
    words: str,
) -> None:
    client.force_login(coordinator)
    data = filled_template(client, pemdi_period, {1: "2,40", **typed})
    before = AuditEvent.objects.count()
    target = reverse("evaluation:external_import", args=[pemdi_period.pk])
    response = client.post(target, {"file": upload(data), "action": "apply"})
    assert response.status_code == 200, label
    problems = response.context["preview"].problems
    assert [(p.line, p.cell) for p in problems] == [(line, cell)], label
    assert words in problems[0].reason or words == "formula"
    assert cell in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert set(external_values(pemdi_period).values()) == {(None, None)}


@pytest.mark.parametrize(
    ("text", "line", "cell"),
    [
        ("tahun,indikator,nilai\n2026,IK21,1.50\n", 2, "B2"),  # no such indicator
        ("tahun,indikator,kode,nilai\n2026,7,IK8,1.50\n", 2, "C2"),  # number and code disagree
        ("tahun,indikator,nilai\n2025,1,1.50\n", 2, "A2"),  # another year
        ("tahun,indikator,nilai\n2026,1,1.50\n2026,IK1,1.60\n", 3, "B3"),  # twice
    ],
)
def test_bad_csv_rows_name_row_and_cell(
    client: Client, pemdi_period: Period, coordinator, text: str, line: int, cell: str
) -> None:
    client.force_login(coordinator)
    target = reverse("evaluation:external_import", args=[pemdi_period.pk])
    data = SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")
    response = client.post(target, {"file": data, "action": "apply"})
    assert [(p.line, p.cell) for p in response.context["preview"].problems] == [(line, cell)]
    assert set(external_values(pemdi_period).values()) == {(None, None)}


def test_a_decimal_value_for_a_whole_level_period_is_refused(
    client: Client, period: Period, coordinator
) -> None:
    client.force_login(coordinator)
    target = reverse("evaluation:external_import", args=[period.pk])
    data = SimpleUploadedFile("hasil.csv", b"indikator;tingkat\n1;2,5\n2;3\n", "text/csv")
    response = client.post(target, {"file": data, "action": "apply"})
    (problem,) = response.context["preview"].problems
    assert (problem.line, problem.cell) == (2, "B2") and "bukan bilangan bulat" in problem.reason
    assert not Assessment.objects.filter(period=period, external_level__isnull=False).exists()


def test_a_read_only_viewer_cannot_import_into_a_pemdi_period(
    client: Client, pemdi_period: Period, viewer
) -> None:
    client.force_login(viewer)
    target = reverse("evaluation:external_import", args=[pemdi_period.pk])
    data = SimpleUploadedFile("hasil.csv", b"indikator,nilai\n1,2.40\n", "text/csv")
    assert client.post(target, {"file": data, "action": "apply"}).status_code == 403
    assert set(external_values(pemdi_period).values()) == {(None, None)}


# --- the LHE form of a Pemdi period ------------------------------------------------------


def form_url(period: Period) -> str:
    return reverse("evaluation:external_results", args=[period.pk])


def test_the_lhe_form_is_closed_to_anonymous_other_agencies_and_readers(
    client: Client, pemdi_period: Period, outsider, viewer
) -> None:
    assert client.get(form_url(pemdi_period)).status_code == 302
    client.force_login(outsider)
    assert client.get(form_url(pemdi_period)).status_code == 404
    client.force_login(viewer)
    first = pemdi_period.assessments.first()
    assert first is not None
    response = client.post(form_url(pemdi_period), {f"value_{first.pk}": "2,40"})
    assert response.status_code == 403
    assert set(external_values(pemdi_period).values()) == {(None, None)}


def test_the_koordinator_types_decimal_lhe_values_and_the_published_index(
    client: Client, pemdi_period: Period, coordinator
) -> None:
    by_number = {
        a.indicator.number: a for a in pemdi_period.assessments.select_related("indicator")
    }
    client.force_login(coordinator)
    page = client.get(form_url(pemdi_period))
    assert 'data-testid="external-values"' in page.content.decode()
    post = {f"value_{a.pk}": "" for a in by_number.values()}
    post.update({f"value_{by_number[1].pk}": "2,40", f"value_{by_number[7].pk}": "3.34"})
    response = client.post(form_url(pemdi_period), {**post, "published_index": "1,60"})
    assert response.status_code == 302
    stored = external_values(pemdi_period)
    assert stored[1] == (Decimal("2.40"), 2) and stored[7] == (Decimal("3.34"), 3)
    assert stored[2] == (None, None)
    pemdi_period.refresh_from_db()
    assert pemdi_period.external_index == Decimal("1.60")
    again = client.get(form_url(pemdi_period)).content.decode()
    assert 'value="2,40"' in again


def test_a_bad_value_in_the_lhe_form_saves_nothing(
    client: Client, pemdi_period: Period, coordinator
) -> None:
    by_number = {
        a.indicator.number: a for a in pemdi_period.assessments.select_related("indicator")
    }
    client.force_login(coordinator)
    post = {f"value_{by_number[1].pk}": "2,40", f"value_{by_number[2].pk}": "1,2,6"}
    response = client.post(form_url(pemdi_period), post)
    assert response.status_code == 200
    assert "IK2" in response.context["error"]
    assert 'value="1,2,6"' in response.content.decode()
    assert set(external_values(pemdi_period).values()) == {(None, None)}


def test_a_whole_level_recorded_without_a_value_is_shown_and_kept(
    client: Client, pemdi_period: Period, coordinator
) -> None:
    """A level set before values existed shows as 2,00 and survives saving the form."""
    Assessment.objects.filter(period=pemdi_period, indicator__number=3).update(external_level=2)
    client.force_login(coordinator)
    page = client.get(form_url(pemdi_period))
    (row,) = [(a, text) for a, text in page.context["rows"] if a.indicator.number == 3]
    assert row[1] == "2,00"
    post = {f"value_{a.pk}": text for a, text in page.context["rows"]}
    assert client.post(form_url(pemdi_period), post).status_code == 302
    assert external_values(pemdi_period)[3] == (Decimal("2.00"), 2)
