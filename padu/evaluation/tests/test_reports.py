"""Period reports: permission cases first, then the XLSX and PDF opened and read back."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from padu.core.spreadsheet import neutralise
from padu.evaluation.choices import (
    AssessmentStatus,
    EvidenceKind,
    InstrumentStatus,
    PlanStatus,
)
from padu.evaluation.index import scores_for_period
from padu.evaluation.models import (
    Aspect,
    Assessment,
    Comment,
    Domain,
    Evidence,
    EvidenceFile,
    EvidenceLink,
    Indicator,
    Instrument,
    Period,
    PlanStep,
    Recommendation,
    TargetPlan,
)
from padu.evaluation.reports.common import collect
from padu.evaluation.reports.pdf import page_count, render_html, render_pdf
from padu.evaluation.reports.xlsx import build_workbook, sheet_title
from padu.organizations.models import Agency, Unit

from .factories import BANDS

VIEWS = ["evaluation:report_index", "evaluation:report_xlsx", "evaluation:report_pdf"]


# --- permissions -------------------------------------------------------------------


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_is_sent_to_login(client: Client, period: Period, name: str) -> None:
    response = client.get(reverse(name, args=[period.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", VIEWS)
def test_another_agency_gets_404(client: Client, period: Period, outsider: Any, name: str) -> None:
    client.force_login(outsider)
    assert client.get(reverse(name, args=[period.pk])).status_code == 404


@pytest.mark.parametrize("name", VIEWS)
def test_a_role_outside_the_evaluation_gets_403(
    client: Client, period: Period, village_operator: Any, name: str
) -> None:
    client.force_login(village_operator)
    assert client.get(reverse(name, args=[period.pk])).status_code == 403


@pytest.mark.parametrize("name", VIEWS)
def test_reports_are_read_only_get_only(
    client: Client, period: Period, coordinator: Any, name: str
) -> None:
    """There is nothing to write: a POST is refused even for the koordinator."""
    client.force_login(coordinator)
    assert client.post(reverse(name, args=[period.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator", "leader"])
def test_anyone_who_sees_the_period_downloads_both(
    client: Client, period: Period, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("evaluation:report_index", args=[period.pk]))
    assert page.status_code == 200
    for name, kind, extension in [
        ("evaluation:report_xlsx", "spreadsheetml", "xlsx"),
        ("evaluation:report_pdf", "application/pdf", "pdf"),
    ]:
        url = reverse(name, args=[period.pk])
        assert url in page.content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert kind in response["Content-Type"]
        assert response["Content-Disposition"] == (
            f'attachment; filename="laporan-spbe-{period.agency.slug}-2026.{extension}"'
        )


# --- a period with two domains, a multi-slot indicator, evidence and notes -----------


def _instrument(*, domains: bool) -> Instrument:
    inst = Instrument.objects.create(
        code="laporan" if domains else "laporan-tanpa-domain",
        version=1,
        title="Instrumen laporan",
        short_title="Laporan",
        status=InstrumentStatus.VERIFIED,
        divisor=Decimal(100),
        has_domains=domains,
        predicates=BANDS,
        checksum="1" * 64,
        document="",
    )
    d1 = d2 = None
    if domains:
        d1 = Domain.objects.create(instrument=inst, code="D1", name="Kebijakan", weight=50)
        d2 = Domain.objects.create(
            instrument=inst, code="D2", name="Layanan: publik/daring", weight=50, position=1
        )
    a1 = Aspect.objects.create(instrument=inst, domain=d1, code="A1", name="Regulasi", weight=50)
    a2 = Aspect.objects.create(
        instrument=inst, domain=d2, code="A2", name="Layanan Publik", weight=50, position=1
    )
    for number, aspect, weight, slots in [(1, a1, 30, 1), (2, a1, 20, 1), (3, a2, 25, 2)]:
        Indicator.objects.create(
            instrument=inst,
            aspect=aspect,
            number=number,
            code=str(number),
            name=f"Indikator {number}",
            weight=weight,
            kind="service" if slots > 1 else "policy",
            slots=slots,
            requires_service_name=slots > 1,
        )
    return inst


LEVELS = {  # (number, slot): (claimed, validated, external)
    (1, 1): (3, 2, 2),
    (2, 1): (4, None, None),
    (3, 1): (2, 2, None),
    (3, 2): (None, None, None),
}


def _period(agency: Agency, units: dict[str, Unit], *, domains: bool) -> Period:
    period = Period.objects.create(
        agency=agency, year=2026, instrument=_instrument(domains=domains), status="active"
    )
    for ind in period.instrument.indicators.order_by("number"):
        for slot in range(1, ind.slots + 1):
            claimed, validated, external = LEVELS[(ind.number, slot)]
            Assessment.objects.create(
                period=period,
                indicator=ind,
                slot=slot,
                lead_unit=units["dinkes"],
                service_name=f"Layanan {slot}" if ind.slots > 1 else "",
                claimed_level=claimed,
                validated_level=validated,
                external_level=external,
                explanation=f"Penjelasan {ind.number}.{slot}",
            )
    return period


@pytest.fixture
def report_period(agency: Agency, units: dict[str, Unit], coordinator: Any) -> Period:
    period = _period(agency, units, domains=True)
    first = period.assessments.get(indicator__number=1)
    first.explanation = '=HYPERLINK("http://evil.example","klik")'
    first.status = AssessmentStatus.RETURNED
    first.return_reason = "Lengkapi SK tim"
    first.save()
    Comment.objects.create(assessment=first, author=coordinator, body="@SUM(1+1) mohon cek")
    linked = Evidence.objects.create(
        agency=agency,
        owner_unit=units["dinkes"],
        title="+Perwali SPBE",
        kind=EvidenceKind.REGULATION,
        url="https://jdih.kendarikota.go.id/perwali/12",
        document_number="12/2025",
        document_date=datetime.date(2025, 3, 4),
    )
    stored = Evidence.objects.create(
        agency=agency, owner_unit=units["dinkes"], title="Notulen rapat", kind=EvidenceKind.MINUTES
    )
    for version in (1, 2):
        EvidenceFile.objects.create(
            evidence=stored,
            version=version,
            file=ContentFile(b"%PDF-1.4 notulen", name="notulen.pdf"),
            original_name="notulen.pdf",
            content_type="application/pdf",
            size=16,
            sha256="0" * 64,
        )
    EvidenceLink.objects.create(assessment=first, evidence=linked, level=2)
    EvidenceLink.objects.create(assessment=first, evidence=stored, level=3)
    return period


def _workbook(response: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _download(client: Client, user: Any, name: str, period: Period) -> Any:
    client.force_login(user)
    response = client.get(reverse(name, args=[period.pk]))
    assert response.status_code == 200
    return response


def test_workbook_has_a_summary_a_sheet_per_domain_and_the_evidence(
    client: Client, report_period: Period, viewer: Any
) -> None:
    wb = _workbook(_download(client, viewer, "evaluation:report_xlsx", report_period))
    assert len(wb.sheetnames) == 4
    assert wb.sheetnames[1:3] == ["D1 Kebijakan", "D2 Layanan  publik daring"]
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "C2"
    rows: dict[tuple[int, int], tuple[Any, ...]] = {}
    for ws in wb.worksheets[1:3]:
        for values in list(ws.iter_rows(values_only=True))[1:]:
            rows[(values[0], values[2])] = values
    assert set(rows) == set(LEVELS)
    for key, levels in LEVELS.items():
        assert rows[key][6:9] == levels
    assert rows[(3, 2)][3] == "Layanan 2"
    assert rows[(1, 1)][4] == "Dinas Kesehatan"
    # Indicator 3 (domain D2) is on the second domain sheet, 1 and 2 on the first.
    first_sheet = [r[0] for r in list(wb.worksheets[1].iter_rows(values_only=True))[1:]]
    assert first_sheet == [1, 2]


def test_workbook_lists_evidence_links_and_reviewer_notes(
    client: Client, report_period: Period, coordinator: Any
) -> None:
    wb = _workbook(_download(client, coordinator, "evaluation:report_xlsx", report_period))
    row = list(wb.worksheets[1].iter_rows(values_only=True))[1]
    evidence, notes = row[10], row[11]
    assert "12/2025" in evidence and "04-03-2025" in evidence
    assert "https://jdih.kendarikota.go.id/perwali/12" in evidence
    stored = Evidence.objects.get(title="Notulen rapat")
    download = f"{settings.SITE_URL}/evaluasi/bukti/{stored.pk}/unduh/2/"  # the latest version
    assert download in evidence
    assert "Lengkapi SK tim" in notes and "@SUM(1+1) mohon cek" in notes
    sheet = wb.worksheets[-1]
    links = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in links[0]][:4] == [1, "Indikator 1", 1, 2]
    assert links[0][8].hyperlink.target == "https://jdih.kendarikota.go.id/perwali/12"
    assert links[1][8].value == download


def test_workbook_text_cannot_run_as_a_formula(
    client: Client, report_period: Period, coordinator: Any
) -> None:
    wb = _workbook(_download(client, coordinator, "evaluation:report_xlsx", report_period))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    row = list(wb.worksheets[1].iter_rows(values_only=True))[1]
    assert row[9] == '\'=HYPERLINK("http://evil.example","klik")'
    titles = [r[4] for r in wb.worksheets[-1].iter_rows(min_row=2, values_only=True)]
    assert "'+Perwali SPBE" in titles


def test_summary_sheet_shows_the_index_of_each_series(
    client: Client, report_period: Period, coordinator: Any
) -> None:
    wb = _workbook(_download(client, coordinator, "evaluation:report_xlsx", report_period))
    values = list(wb.worksheets[0].iter_rows(values_only=True))
    flat = [v for row in values for v in row if v is not None]
    assert report_period.agency.name in flat and 2026 in flat
    scores = scores_for_period(report_period, list(report_period.assessments.all()))
    for series in scores.series:
        row = next(r for r in values if r[0] == str(series.label))
        assert Decimal(str(row[1])) == Decimal(series.index_display.replace(",", "."))
        assert row[2] == series.predicate
        assert (row[3], row[4]) == (series.filled, series.total)
    names = [r[0] for r in values]
    assert "Kebijakan" in names and "    Regulasi" in names


def test_without_domains_there_is_one_sheet_per_aspect(
    agency: Agency, units: dict[str, Unit]
) -> None:
    period = _period(agency, units, domains=False)
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(collect(period))))
    assert wb.sheetnames[1:3] == ["A1 Regulasi", "A2 Layanan Publik"]
    assert len(list(wb.worksheets[2].iter_rows())) == 1 + 2  # header and two slots


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("D1 Tata/Kelola: [SPBE]?*", taken) == "D1 Tata Kelola   SPBE"
    long = "D2 " + "Layanan " * 10
    first = sheet_title(long, taken)
    second = sheet_title(long, taken)
    assert len(first) == 31 and len(second) == 31 and first != second


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("ok", "ok"),
        (5, 5),
    ],
)
def test_neutralise(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


def test_collect_uses_a_fixed_number_of_queries(
    report_period: Period, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        data = collect(report_period)
    assert len(data.rows) == 4


# --- PDF ---------------------------------------------------------------------------


def test_pdf_download_is_a_multi_page_pdf(
    client: Client, report_period: Period, viewer: Any
) -> None:
    response = _download(client, viewer, "evaluation:report_pdf", report_period)
    assert response.content.startswith(b"%PDF")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert page_count(render_html(collect(report_period))) > 1


def test_pdf_html_names_the_agency_index_charts_and_signatures(report_period: Period) -> None:
    data = collect(report_period)
    html = render_html(data)
    assert "Pemerintah Kota Kendari" in html
    for series in data.scores.series:
        assert series.index_display in html and series.predicate in html
    assert html.count("<svg") == 1 + 2  # the domains, then each domain's aspects
    assert "Layanan: publik/daring" in html
    for n in (1, 2, 3):
        assert f"Indikator {n}" in html
    assert "NIP" in html
    assert "Kendari, " in html  # a city signs in its own name


def test_pdf_shows_the_latest_active_plan_and_the_recommendations(
    report_period: Period, units: dict[str, Unit]
) -> None:
    a = report_period.assessments.get(indicator__number=2)
    common = {
        "series": "self",
        "baseline_index": Decimal("2.5"),
        "planned_index": Decimal("3.1"),
        "total_effort": 2,
    }
    TargetPlan.objects.create(
        period=report_period, name="Rencana lama", target_index=Decimal("2.8"), **common
    )
    plan = TargetPlan.objects.create(
        period=report_period, name="Rencana 3,00", target_index=Decimal("3.00"), **common
    )
    TargetPlan.objects.create(
        period=report_period,
        name="Rencana arsip",
        status=PlanStatus.ARCHIVED,
        target_index=Decimal("4"),
        **common,
    )
    PlanStep.objects.create(
        plan=plan,
        assessment=a,
        from_level=4,
        to_level=5,
        gain=Decimal("0.2"),
        effort=1,
        unit=units["disdik"],
        due_on=datetime.date(2026, 8, 17),
    )
    Recommendation.objects.create(
        period=report_period,
        indicator=a.indicator,
        text="Susun peta rencana SPBE",
        action="Rapat tim",
        owner_unit=units["dinkes"],
    )
    html = render_html(collect(report_period))
    assert "Rencana 3,00" in html and "Rencana lama" not in html and "Rencana arsip" not in html
    # Figures in Indonesian format (the plan's target was printed "3.00" before).
    assert "target indeks 3,00" in html and "4 → 5" in html and "17-08-2026" in html
    assert "Dinas Pendidikan" in html
    assert "Susun peta rencana SPBE" in html and "Rapat tim" in html


def test_pdf_says_when_there_is_no_plan(report_period: Period) -> None:
    from django.utils import translation

    with translation.override("en"):
        html = render_html(collect(report_period))
    assert "No target plan has been saved for this period yet." in html
    assert "No recommendations have been recorded for this period." in html


def test_pdf_inlines_the_agency_logo(report_period: Period) -> None:
    agency = report_period.agency
    agency.logo.save("logo.png", ContentFile(_PNG), save=True)
    html = render_html(collect(report_period))
    assert 'src="data:image/png;base64,' in html
    assert render_pdf(collect(report_period)).startswith(b"%PDF")


def test_pdf_without_domains_has_one_chart(agency: Agency, units: dict[str, Unit]) -> None:
    period = _period(agency, units, domains=False)
    html = render_html(collect(period))
    assert html.count("<svg") == 1
    assert page_count(html) > 1


def test_the_pdf_file_has_the_pages_and_the_text_of_the_report(report_period: Period) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(render_pdf(collect(report_period)))
    assert len(pdf) == page_count(render_html(collect(report_period))) > 1
    first = pdf[0].get_textpage().get_text_range()
    assert report_period.agency.name.upper() in first.upper()
    assert str(report_period.year) in first
    image = pdf[0].render(scale=0.5).to_pil()
    assert image.width > 200 and image.height > image.width  # an A4 portrait page


# A 1x1 transparent PNG.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


# --- Pemdi (8/2026): codes, decimals, published rounding, external indices -----------


@pytest.fixture
def pemdi_report_period(agency: Agency, units: dict[str, Unit]) -> Period:
    """The reference file's worked example as external values; IK7's EPSS result recorded
    (1.00, so the index stays 1.605), IK5, IK6 and IK18 at their default."""
    from .pemdi import EXTERNAL_INDEX, WORKED, make_pemdi_period

    period = make_pemdi_period(agency, lead_unit=units["dinkes"])
    for a in period.assessments.select_related("indicator"):
        number = a.indicator.number
        if number in EXTERNAL_INDEX:
            if number == 7:
                a.index_value = Decimal("1.00")
                a.index_source = "EPSS 2025 (BPS)"
                a.save(update_fields=["index_value", "index_source"])
            continue
        value = Decimal(WORKED[number])
        a.external_value, a.external_level = value, int(value)
        a.claimed_value, a.claimed_level = value, int(value)
        a.save(update_fields=["external_value", "external_level", "claimed_value", "claimed_level"])
    return period


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_pemdi_summary_has_the_published_index_and_the_exact_one(pemdi_report_period) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(collect(pemdi_report_period))))
    summary = wb.worksheets[0]
    rows = _rows(summary)
    assert "Pemdi" in rows[0][0]
    external = next(r for r in rows if r[0] and str(r[0]).startswith("Eksternal"))
    assert Decimal(str(external[1])) == Decimal("1.60")  # half to even; half up says 1.61
    assert Decimal(str(external[5])) == Decimal("1.605")
    line = next(row for row in summary.iter_rows() if row[0].value == external[0])
    assert line[1].number_format == "0.00" and isinstance(line[1].value, float | int)
    assert line[5].number_format != "0.00"  # the exact figure shows its third place
    assert "Domain" not in " ".join(str(v) for row in rows for v in row if v is not None)


def test_pemdi_aspects_are_rounded_as_published_with_exact_columns(pemdi_report_period) -> None:
    from .pemdi import ASPECTS_PUBLISHED

    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(collect(pemdi_report_period))))
    rows = _rows(wb.worksheets[0])
    aspects = {
        a.name: a.code for a in Aspect.objects.filter(instrument=pemdi_report_period.instrument)
    }
    found = {aspects[r[0]]: r for r in rows if r[0] in aspects}
    assert set(found) == set(ASPECTS_PUBLISHED)
    for code, published in ASPECTS_PUBLISHED.items():
        row = found[code]
        assert Decimal(str(row[3])) == Decimal(published), code  # the external series
        assert abs(Decimal(str(row[6])) - Decimal(published)) <= Decimal("0.005"), code
    # AS4's exact value is not its published one: the exact column keeps the difference.
    assert Decimal(str(found["AS4"][6])) != Decimal(str(found["AS4"][3]))


def test_pemdi_indicator_sheets_use_ik_codes_and_decimal_cells(pemdi_report_period) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(collect(pemdi_report_period))))
    headers = _rows(wb.worksheets[1])[0]
    assert any("nilai" in str(h).lower() or "value" in str(h).lower() for h in headers[6:9])
    by_code: dict[str, Any] = {}
    for sheet in wb.worksheets[1:-1]:
        for row in sheet.iter_rows(min_row=2):
            by_code[row[0].value] = row
    assert sorted(by_code, key=lambda c: int(c[2:])) == [f"IK{n}" for n in range(1, 21)]
    ik1 = by_code["IK1"]
    assert ik1[8].value == pytest.approx(2.4) and ik1[8].number_format == "0.00"
    ik7, ik5 = by_code["IK7"], by_code["IK5"]
    assert "EPSS" in ik7[12].value and ik7[8].value == pytest.approx(1.0)
    assert ik5[8].value == pytest.approx(1.0) and ik5[12].value  # default, marked
    assert ik7[12].value != ik5[12].value
    assert by_code["IK2"][12].value in (None, "")


def test_pemdi_external_index_rows_say_recorded_or_default(pemdi_report_period, english) -> None:
    rows = {r.code: r for r in collect(pemdi_report_period).rows}
    assert rows["IK7"].source_text.endswith("result recorded")
    assert "EPSS" in rows["IK7"].source_text
    assert rows["IK5"].source_text.endswith("counts at the default")
    assert rows["IK5"].external == Decimal("1.00") and rows["IK5"].external_display == "1.00"
    assert rows["IK2"].source_text == ""


def test_pemdi_pdf_shows_codes_decimals_in_indonesian_and_the_exact_index(
    pemdi_report_period,
) -> None:
    data = collect(pemdi_report_period)
    html = render_html(data)
    assert data.filename("pdf").startswith("laporan-pemdi-")
    assert "Pemerintah Digital" in html
    assert ">IK1<" in html and ">IK20<" in html
    assert ">2,40<" in html and ">1,75<" in html  # IK1 and IK8, Indonesian format
    assert ">1,60<" in html and ">1,605<" in html  # the index published and exact
    assert "EPSS" in html
    assert html.count("<svg") == 1  # aspects only: no domain level
    assert "2.40" not in html
    assert "evaluasi mandiri SPBE" not in html and "penerapan SPBE" not in html


def test_pemdi_gaps_leave_external_indices_out(pemdi_report_period) -> None:
    gaps = collect(pemdi_report_period).gaps
    codes = [g.row.code for g in gaps]
    assert codes and not {"IK5", "IK6", "IK7", "IK18"} & set(codes)
    assert all(g.level_display.count(",") == 1 for g in gaps)
