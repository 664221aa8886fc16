"""LHE recommendations: permission cases of every page first, then parsing, services, carry-over."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.audit.models import AuditEvent
from padu.evaluation import services_recommendations as svc
from padu.evaluation.choices import RecommendationStatus as S
from padu.evaluation.models import Indicator, Instrument, Period, Recommendation
from padu.evaluation.recommendations_import import (
    ImportFileError,
    parse_date,
    parse_rows,
    read_table,
)
from padu.evaluation.selectors_recommendations import indicator_recommendations

from .factories import make_instrument

LOGIN = reverse("accounts:login")


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture
def last_year(agency, instrument) -> Period:
    return Period.objects.create(agency=agency, year=2025, instrument=instrument, status="closed")


def _rec(period: Period, number: int = 1, **kw: Any) -> Recommendation:
    defaults: dict[str, Any] = {"text": f"Rekomendasi indikator {number}", "status": S.OPEN}
    defaults.update(kw)
    return Recommendation.objects.create(
        period=period, indicator=period.instrument.indicators.get(number=number), **defaults
    )


@pytest.fixture
def rec(period, units) -> Recommendation:
    """A 2026 recommendation on indicator 1 owned by Dinkes."""
    return _rec(period, 1, owner_unit=units["dinkes"], text="Tetapkan Arsitektur SPBE.")


@pytest.fixture
def other_rec(other_period) -> Recommendation:
    return _rec(other_period, 1)


def _csv_upload(text: str, name: str = "rekomendasi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- permissions: every page ---------------------------------------------------------

PERIOD_PAGES = [
    "evaluation:recommendation_list",
    "evaluation:recommendation_create",
    "evaluation:recommendation_import",
]
REC_PAGES = ["evaluation:recommendation_edit", "evaluation:recommendation_follow_up"]


@pytest.mark.parametrize(
    "name",
    [
        *PERIOD_PAGES,
        "evaluation:recommendation_carry",
        *REC_PAGES,
        "evaluation:recommendation_delete",
    ],
)
def test_anonymous_is_sent_to_login(client: Client, rec, name: str) -> None:
    pk = (
        rec.period_id
        if "edit" not in name and "follow" not in name and "delete" not in name
        else rec.pk
    )
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_another_agency_gets_404_for_a_period(client: Client, period, outsider, name: str) -> None:
    client.force_login(outsider)
    assert client.get(reverse(name, args=[period.pk])).status_code == 404


@pytest.mark.parametrize("name", REC_PAGES)
def test_another_agency_gets_404_for_a_recommendation(
    client: Client, rec, outsider, name: str
) -> None:
    client.force_login(outsider)
    assert client.get(reverse(name, args=[rec.pk])).status_code == 404
    assert (
        client.post(reverse("evaluation:recommendation_delete", args=[rec.pk])).status_code == 404
    )


def test_koordinator_does_not_see_another_agencys_recommendation(
    client: Client, other_rec, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:recommendation_edit", args=[other_rec.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "leader", "assessor"])
def test_read_only_users_see_the_list_but_may_not_write(
    client: Client, rec, last_year, persona: str, request
) -> None:
    client.force_login(request.getfixturevalue(persona))
    period = rec.period
    assert (
        client.get(reverse("evaluation:recommendation_list", args=[period.pk])).status_code == 200
    )
    for name in ("evaluation:recommendation_create", "evaluation:recommendation_import"):
        assert client.get(reverse(name, args=[period.pk])).status_code == 403
    assert (
        client.post(reverse("evaluation:recommendation_carry", args=[period.pk])).status_code == 403
    )
    for name in REC_PAGES:
        assert client.get(reverse(name, args=[rec.pk])).status_code == 403
    assert (
        client.post(reverse("evaluation:recommendation_delete", args=[rec.pk])).status_code == 403
    )
    assert Recommendation.objects.filter(pk=rec.pk).exists()


def test_opd_admin_updates_the_follow_up_of_its_own_unit(client: Client, rec, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    url = reverse("evaluation:recommendation_follow_up", args=[rec.pk])
    assert client.get(url).status_code == 200
    data = {
        "action": "Menyusun rancangan Perwali.",
        "status": S.IN_PROGRESS,
        "target_on": "2026-09-30",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.target_on) == (S.IN_PROGRESS, datetime.date(2026, 9, 30))
    assert AuditEvent.objects.filter(
        object_type="evaluation.recommendation", action="update"
    ).exists()
    # ...but not the koordinator's form.
    assert client.get(reverse("evaluation:recommendation_edit", args=[rec.pk])).status_code == 403


def test_opd_admin_may_not_follow_up_another_units_recommendation(
    client: Client, rec, disdik_admin
) -> None:
    client.force_login(disdik_admin)
    url = reverse("evaluation:recommendation_follow_up", args=[rec.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "x", "status": S.DONE}).status_code == 403
    rec.refresh_from_db()
    assert rec.status == S.OPEN


@pytest.mark.parametrize("persona", ["coordinator", "admin_user"])
def test_koordinator_and_agency_admin_open_every_page(
    client: Client, rec, persona: str, request
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name in PERIOD_PAGES:
        assert client.get(reverse(name, args=[rec.period_id])).status_code == 200
    for name in REC_PAGES:
        assert client.get(reverse(name, args=[rec.pk])).status_code == 200


def test_carry_is_post_only(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    assert (
        client.get(reverse("evaluation:recommendation_carry", args=[period.pk])).status_code == 405
    )


# --- pages ---------------------------------------------------------------------------


def test_koordinator_adds_a_recommendation(client: Client, period, coordinator, units) -> None:
    client.force_login(coordinator)
    indicator = period.instrument.indicators.get(number=2)
    data = {
        "indicator": indicator.pk,
        "text": "Susun Peta Rencana SPBE.",
        "owner_unit": units["diskominfo"].pk,
        "action": "",
        "target_on": "2026-12-31",
        "status": S.OPEN,
    }
    response = client.post(reverse("evaluation:recommendation_create", args=[period.pk]), data)
    assert response.status_code == 302
    rec = Recommendation.objects.get(period=period)
    assert (rec.indicator, rec.owner_unit, rec.created_by) == (
        indicator,
        units["diskominfo"],
        coordinator,
    )
    assert AuditEvent.objects.filter(
        object_type="evaluation.recommendation", action="create"
    ).exists()


def test_form_shows_the_reason_next_to_the_field(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    indicator = period.instrument.indicators.get(number=1)
    data = {"indicator": indicator.pk, "text": "Teks", "target_on": "2025-06-01", "status": S.OPEN}
    response = client.post(reverse("evaluation:recommendation_create", args=[period.pk]), data)
    assert response.status_code == 200
    assert "target_on" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_koordinator_edits_and_deletes(client: Client, rec, coordinator, units) -> None:
    client.force_login(coordinator)
    data = {
        "indicator": rec.indicator_id,
        "text": "Teks baru",
        "owner_unit": units["disdik"].pk,
        "action": "Rapat koordinasi",
        "target_on": "",
        "status": S.IN_PROGRESS,
    }
    assert (
        client.post(reverse("evaluation:recommendation_edit", args=[rec.pk]), data).status_code
        == 302
    )
    rec.refresh_from_db()
    assert (rec.text, rec.owner_unit, rec.status) == ("Teks baru", units["disdik"], S.IN_PROGRESS)
    assert (
        client.post(reverse("evaluation:recommendation_delete", args=[rec.pk])).status_code == 302
    )
    assert not Recommendation.objects.filter(pk=rec.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="evaluation.recommendation", action="delete"
    ).exists()


def test_list_filters_and_exports_csv(client: Client, period, rec, viewer, units) -> None:
    _rec(period, 2, status=S.DONE, action="Selesai", owner_unit=units["disdik"])
    client.force_login(viewer)
    url = reverse("evaluation:recommendation_list", args=[period.pk])
    assert len(client.get(url).context["items"]) == 2
    assert [r.pk for r in client.get(url, {"status": S.OPEN}).context["items"]] == [rec.pk]
    assert [r.pk for r in client.get(url, {"unit": units["dinkes"].pk}).context["items"]] == [
        rec.pk
    ]
    assert len(client.get(url, {"indicator": 2}).context["items"]) == 1
    assert len(client.get(url, {"status": "bogus", "unit": "x"}).context["items"]) == 2
    response = client.get(url, {"format": "csv", "status": S.OPEN})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 2
    assert "Tetapkan Arsitektur SPBE." in lines[1]
    assert "Dinas Kesehatan" in lines[1]


def test_list_query_count_does_not_grow_with_rows(
    client: Client, period, units, viewer, django_assert_max_num_queries
) -> None:
    for n in range(10):
        _rec(period, 1 + n % 2, owner_unit=units["dinkes"])
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        client.get(reverse("evaluation:recommendation_list", args=[period.pk]))


def test_import_page_checks_then_imports(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:recommendation_import", args=[period.pk])
    content = "indikator,rekomendasi,opd,tanggal target\n1,Audit TIK,Dinkes,2026-10-01\n"
    response = client.post(url, {"file": _csv_upload(content), "dry_run": "on"})
    assert response.status_code == 200
    assert len(response.context["result"].rows) == 1
    assert not Recommendation.objects.exists()
    response = client.post(url, {"file": _csv_upload(content)})
    assert response.status_code == 302
    assert Recommendation.objects.get().text == "Audit TIK"


def test_import_page_lists_bad_rows_and_applies_nothing(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("evaluation:recommendation_import", args=[period.pk])
    content = "indikator,rekomendasi,opd\n1,Baik,Dinkes\n99,Teks,Dinkes\n2,,Dinkes\n"
    response = client.post(url, {"file": _csv_upload(content)})
    assert response.status_code == 200
    assert len(response.context["errors"]) == 2
    assert not Recommendation.objects.exists()
    broken = SimpleUploadedFile("r.xlsx", b"not a workbook")
    response = client.post(url, {"file": broken})
    assert len(response.context["errors"]) == 1
    assert not Recommendation.objects.exists()


def test_carry_button_copies_last_years_open_recommendations(
    client: Client, period, last_year, coordinator
) -> None:
    _rec(last_year, 1)
    _rec(last_year, 2, status=S.DONE)
    client.force_login(coordinator)
    url = reverse("evaluation:recommendation_carry", args=[period.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert period.recommendations.count() == 1


def test_carry_without_an_earlier_period_says_so(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("evaluation:recommendation_carry", args=[period.pk]), follow=True
    )
    assert "earlier period" in response.content.decode() or response.status_code == 200
    assert not Recommendation.objects.exists()


def test_indicator_page_shows_current_and_previous_recommendations(
    client: Client, period, last_year, rec, viewer
) -> None:
    _rec(last_year, 1, text="Rekomendasi lama yang masih terbuka")
    client.force_login(viewer)
    a = period.assessments.get(indicator__number=1)
    response = client.get(reverse("evaluation:assessment_detail", args=[a.pk]))
    html = response.content.decode()
    assert "Tetapkan Arsitektur SPBE." in html
    assert "Rekomendasi lama yang masih terbuka" in html


# --- parsing (pure) ------------------------------------------------------------------

INDICATORS = {"1": 101, "2": 102, "ik3": 103}
UNITS = {"dinkes": 7, "dinas kesehatan": 7, "diskominfo": 8}
EARLIEST = datetime.date(2026, 1, 1)


def _parse(rows: list[list[str]]) -> Any:
    return parse_rows(rows, indicators=INDICATORS, units=UNITS, earliest=EARLIEST)


def test_parse_reads_good_rows_with_any_header_order_and_case() -> None:
    result = _parse(
        [
            ["Rekomendasi", "Tanggal Target", "OPD", "Indikator"],
            ["Tetapkan arsitektur", "30/06/2026", "DINKES", "1"],
            ["Audit TIK", "", "", "IK3"],
            ["", "", "", ""],
        ]
    )
    assert result.ok
    assert [(r.line, r.indicator_id, r.unit_id, r.target_on) for r in result.rows] == [
        (2, 101, 7, datetime.date(2026, 6, 30)),
        (3, 103, None, None),
    ]


def test_parse_names_every_bad_row(english) -> None:
    result = _parse(
        [
            ["indikator", "rekomendasi", "opd", "tanggal target"],
            ["99", "Teks", "", ""],
            ["1", "", "", ""],
            ["1", "Teks", "Dinas Rahasia", ""],
            ["1", "Teks", "", "besok"],
            ["1", "Teks", "", "2025-12-31"],
            ["", "Teks", "", ""],
            ["2", "Baik", "Dinas Kesehatan", "2026-02-01"],
        ]
    )
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert [e.line for e in result.errors] == [2, 3, 4, 5, 6, 7]
    assert "indicator 99" in messages[0]
    assert "empty" in messages[1]
    assert "Dinas Rahasia" in messages[2]
    assert "besok" in messages[3]
    assert "before the start" in messages[4]
    assert len(result.rows) == 1


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["indikator", "opd"], ["1", "Dinkes"]],
        [["indikator", "rekomendasi"]],
    ],
)
def test_parse_refuses_a_file_without_the_needed_columns_or_rows(rows) -> None:
    with pytest.raises(ImportFileError):
        _parse(rows)


def test_parse_date_formats() -> None:
    assert parse_date("2026-03-01") == datetime.date(2026, 3, 1)
    assert parse_date("01/03/2026") == datetime.date(2026, 3, 1)
    assert parse_date("01-03-2026") == datetime.date(2026, 3, 1)
    assert parse_date("2026-03-01 00:00:00") == datetime.date(2026, 3, 1)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("31/02/2026")


def test_read_table_reads_csv_with_semicolons_and_bom() -> None:
    content = "\ufeffindikator;rekomendasi\n1;Teks, dengan koma\n".encode()
    assert read_table("x.CSV", content) == [
        ["indikator", "rekomendasi"],
        ["1", "Teks, dengan koma"],
    ]


def test_read_table_reads_xlsx_dates_and_numbers() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["indikator", "rekomendasi", "tanggal target"])
    ws.append([1, "Manajemen Risiko SPBE", datetime.datetime(2026, 8, 17)])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read_table("r.xlsx", buffer.getvalue())
    assert table[1] == ["1", "Manajemen Risiko SPBE", "2026-08-17"]


def test_read_table_refuses_formulas_and_merged_cells_naming_where() -> None:
    """A computed cell would import whatever Excel last cached (or nothing, for a file
    written by a program); a merged cell hides which row its value belongs to."""
    from openpyxl import Workbook

    def workbook(change) -> bytes:  # type: ignore[no-untyped-def]
        wb = Workbook()
        ws = wb.active
        ws.append(["indikator", "rekomendasi"])
        ws.append([1, "Susun arsitektur"])
        ws.append([2, "Tetapkan kebijakan"])
        change(ws)
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    with translation.override("en"), pytest.raises(ImportFileError, match="B3 holds a formula"):
        read_table("r.xlsx", workbook(lambda ws: ws.__setitem__("B3", '=CONCAT("a","b")')))
    with translation.override("en"), pytest.raises(ImportFileError, match="Row 2 has merged"):
        read_table("r.xlsx", workbook(lambda ws: ws.merge_cells("A2:B2")))
    assert read_table("r.xlsx", workbook(lambda ws: None))[2] == ["2", "Tetapkan kebijakan"]


def test_read_table_refuses_a_csv_that_is_not_utf8_naming_the_line() -> None:
    content = "indikator,rekomendasi\n1,Susun arsitektur\n2,Kebijakan kota\u00e9\n".encode("cp1252")
    with translation.override("en"), pytest.raises(ImportFileError, match=r"Line 3: .*UTF-8"):
        read_table("r.csv", content)


@pytest.mark.parametrize(
    ("name", "content"), [("r.xlsx", b"garbage"), ("r.pdf", b"%PDF"), ("r.xlsx", b"PK\x03\x04junk")]
)
def test_read_table_refuses_broken_or_foreign_files(name: str, content: bytes) -> None:
    with pytest.raises(ImportFileError):
        read_table(name, content)


# --- services ------------------------------------------------------------------------


def test_create_checks_text_unit_date_and_indicator(
    period, coordinator, units, other_unit, english
) -> None:
    foreign = make_instrument(code="lain").indicators.get(number=1)
    with pytest.raises(ValidationError) as exc:
        svc.create_recommendation(
            actor=coordinator,
            period=period,
            indicator=foreign,
            text="  ",
            owner_unit=other_unit,
            target_on=datetime.date(2025, 12, 31),
        )
    assert set(exc.value.message_dict) == {"text", "indicator", "owner_unit", "target_on"}
    assert not Recommendation.objects.exists()


def test_only_the_koordinator_creates_edits_and_deletes(rec, dinkes_admin, viewer) -> None:
    for user in (dinkes_admin, viewer):
        with pytest.raises(PermissionDenied):
            svc.create_recommendation(
                actor=user, period=rec.period, indicator=rec.indicator, text="x"
            )
        with pytest.raises(PermissionDenied):
            svc.delete_recommendation(actor=user, recommendation=rec)


def test_follow_up_done_needs_an_action(rec, dinkes_admin) -> None:
    with pytest.raises(ValidationError) as exc:
        svc.update_follow_up(
            actor=dinkes_admin, recommendation=rec, action="", status=S.DONE, target_on=None
        )
    assert "action" in exc.value.message_dict


def test_follow_up_writes_one_audit_row(rec, dinkes_admin) -> None:
    svc.update_follow_up(
        actor=dinkes_admin,
        recommendation=rec,
        action="Perwali ditetapkan",
        status=S.DONE,
        target_on=None,
    )
    event = AuditEvent.objects.get(object_type="evaluation.recommendation", action="update")
    assert event.after["status"] == S.DONE
    assert event.actor == dinkes_admin


def test_follow_up_refused_to_an_opd_without_the_unit(rec, disdik_admin) -> None:
    with pytest.raises(PermissionDenied):
        svc.update_follow_up(
            actor=disdik_admin, recommendation=rec, action="x", status=S.IN_PROGRESS, target_on=None
        )


def _instrument_like(base: Instrument, code: str, recode: dict[int, str]) -> Instrument:
    """A copy of `base`'s indicators (same numbers) with some codes changed."""
    inst = make_instrument(code=code)
    for ind in inst.indicators.all():
        if ind.number in recode:
            Indicator.objects.filter(pk=ind.pk).update(code=recode[ind.number])
    return inst


def test_carry_copies_open_ones_idempotently(period, last_year, coordinator, units) -> None:
    open_rec = _rec(last_year, 1, owner_unit=units["dinkes"], target_on=datetime.date(2025, 11, 1))
    going = _rec(
        last_year,
        2,
        status=S.IN_PROGRESS,
        action="Sedang disusun",
        target_on=datetime.date(2026, 3, 1),
    )
    _rec(last_year, 1, status=S.DONE)
    _rec(last_year, 2, status=S.NOT_APPLICABLE)
    first = svc.carry_recommendations(from_period=last_year, to_period=period, user=coordinator)
    assert len(first.copied) == 2
    copies = {r.carried_from_id: r for r in period.recommendations.all()}
    assert set(copies) == {open_rec.pk, going.pk}
    assert copies[open_rec.pk].target_on is None  # a 2025 date cannot stand in 2026
    assert copies[going.pk].target_on == datetime.date(2026, 3, 1)
    assert copies[going.pk].status == S.IN_PROGRESS
    assert copies[going.pk].owner_unit is None and copies[open_rec.pk].owner_unit == units["dinkes"]
    second = svc.carry_recommendations(from_period=last_year, to_period=period, user=coordinator)
    assert (len(second.copied), second.already) == (0, 2)
    assert period.recommendations.count() == 2


def test_carry_matches_by_number_and_code_and_skips_with_a_reason(
    agency, last_year, coordinator, english
) -> None:
    inst = _instrument_like(last_year.instrument, "baru", {2: "2a"})
    target = Period.objects.create(agency=agency, year=2027, instrument=inst)
    _rec(last_year, 1)
    _rec(last_year, 2)
    result = svc.carry_recommendations(from_period=last_year, to_period=target, user=coordinator)
    assert [r.indicator.instrument_id for r in result.copied] == [inst.pk]
    assert [r.indicator.number for r in result.copied] == [1]
    assert len(result.skipped) == 1
    assert "not in the 2027 instrument" in result.skipped[0][1]


def test_carry_refuses_other_agencies_and_later_periods(
    period, last_year, other_period, coordinator
) -> None:
    with pytest.raises(ValidationError):
        svc.carry_recommendations(from_period=period, to_period=last_year, user=coordinator)
    with pytest.raises((ValidationError, PermissionDenied)):
        svc.carry_recommendations(from_period=other_period, to_period=period, user=coordinator)


def test_import_refuses_rows_of_another_period(period, coordinator) -> None:
    from padu.evaluation.recommendations_import import ImportRow

    foreign = make_instrument(code="lain").indicators.get(number=1)
    with pytest.raises(ValidationError):
        svc.import_recommendations(
            actor=coordinator,
            period=period,
            rows=[ImportRow(2, foreign.pk, "Teks", None, None)],
        )
    assert not Recommendation.objects.exists()


# --- selector for the indicator page -------------------------------------------------


def test_indicator_panel_hides_previous_ones_once_carried(
    period, last_year, coordinator, django_assert_num_queries
) -> None:
    old = _rec(last_year, 1)
    _rec(last_year, 1, status=S.DONE)
    _rec(last_year, 2)
    a = period.assessments.select_related("period", "indicator").get(indicator__number=1)
    with django_assert_num_queries(1):
        panel = indicator_recommendations(a)
    assert (panel.current, [r.pk for r in panel.previous]) == ([], [old.pk])
    svc.carry_recommendations(from_period=last_year, to_period=period, user=coordinator)
    panel = indicator_recommendations(a)
    assert [r.carried_from_id for r in panel.current] == [old.pk]
    assert panel.previous == []


# --- demo ----------------------------------------------------------------------------


def test_demo_has_2025_recommendations_carried_into_2026(db) -> None:
    from padu.core.demo import seed_demo
    from padu.organizations.models import Agency

    seed_demo()
    kendari = Agency.objects.get(slug="kota-kendari")
    last, current = (Period.objects.get(agency=kendari, year=y) for y in (2025, 2026))
    statuses = set(last.recommendations.values_list("status", flat=True))
    assert statuses == {S.OPEN, S.IN_PROGRESS, S.DONE, S.NOT_APPLICABLE}
    assert last.recommendations.count() >= 10
    carried = current.recommendations.filter(carried_from__isnull=False)
    open_last = last.recommendations.filter(status__in=[S.OPEN, S.IN_PROGRESS]).count()
    assert carried.count() == open_last
    assert AuditEvent.objects.filter(
        object_type="evaluation.recommendation", actor__username="opd.dinkes"
    ).exists()
    # Seeding again changes nothing.
    seed_demo()
    assert current.recommendations.count() == open_last


# --- later additions: sorting, panel links, bulk import --------------------------------


def test_list_sorts_by_target_date_and_ignores_unknown_sorts(
    client: Client, period, viewer
) -> None:
    late = _rec(period, 1, target_on=datetime.date(2026, 12, 1))
    early = _rec(period, 2, target_on=datetime.date(2026, 2, 1))
    client.force_login(viewer)
    url = reverse("evaluation:recommendation_list", args=[period.pk])
    assert [r.pk for r in client.get(url, {"sort": "target_on"}).context["items"]] == [
        early.pk,
        late.pk,
    ]
    assert [r.pk for r in client.get(url, {"sort": "-target_on"}).context["items"]] == [
        late.pk,
        early.pk,
    ]
    assert [r.pk for r in client.get(url, {"sort": "password"}).context["items"]] == [
        late.pk,
        early.pk,
    ]


def test_indicator_panel_offers_follow_up_only_to_the_owner_opd(
    client: Client, period, rec, dinkes_admin, disdik_admin
) -> None:
    a = period.assessments.get(indicator__number=1)
    url = reverse("evaluation:assessment_detail", args=[a.pk])
    link = reverse("evaluation:recommendation_follow_up", args=[rec.pk])
    client.force_login(dinkes_admin)
    assert link in client.get(url).content.decode()
    client.force_login(disdik_admin)
    assert link not in client.get(url).content.decode()


def test_import_of_many_rows_writes_one_audit_row_each(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    lines = ["indikator;rekomendasi;opd;tanggal target"]
    lines += [
        f"{1 + n % 2};Rekomendasi {n};Dinas Kesehatan;{1 + n % 28:02d}/07/2026" for n in range(60)
    ]
    upload = _csv_upload("\n".join(lines))
    url = reverse("evaluation:recommendation_import", args=[period.pk])
    assert client.post(url, {"file": upload}).status_code == 302
    assert period.recommendations.count() == 60
    assert period.recommendations.filter(owner_unit__acronym="Dinkes").count() == 60
    assert (
        AuditEvent.objects.filter(object_type="evaluation.recommendation", action="create").count()
        == 60
    )


def test_import_page_reads_an_xlsx_file(client: Client, period, coordinator) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Indikator", "Rekomendasi", "OPD", "Tanggal Target"])
    ws.append([2, "Susun Peta Rencana SPBE", "Dinas Kesehatan", datetime.datetime(2026, 5, 2)])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("lhe.xlsx", buffer.getvalue())
    client.force_login(coordinator)
    url = reverse("evaluation:recommendation_import", args=[period.pk])
    assert client.post(url, {"file": upload}).status_code == 302
    rec = period.recommendations.get()
    assert (rec.indicator.number, rec.target_on) == (2, datetime.date(2026, 5, 2))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekomendasi.xlsx", b"indikator,rekomendasi\n1,Susun arsitektur\n"),  # CSV named XLSX
        ("rekomendasi.csv", b"PK\x03\x04not really a zip"),  # a ZIP named CSV
        ("rekomendasi.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel"),  # .xls named CSV
        ("rekomendasi.csv", b"indikator\x00rekomendasi"),  # binary
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name: str, content: bytes) -> None:
    from padu.evaluation.recommendations_import import ImportFileError, read_table

    with pytest.raises(ImportFileError):
        read_table(name, content)
