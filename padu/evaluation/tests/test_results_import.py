"""Result imports: pure reading and checking first, then all-or-nothing application."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from padu.audit.models import AuditEvent
from padu.evaluation import services_history as svc
from padu.evaluation.models import Assessment, Period, PublishedResult
from padu.evaluation.results_import import (
    EXTERNAL_COLUMNS,
    EXTERNAL_REQUIRED,
    MAX_BYTES,
    Change,
    TableError,
    changes,
    check_external,
    read_table,
)
from padu.evaluation.results_published import PUBLISHED_COLUMNS, PUBLISHED_REQUIRED, check_published
from padu.evaluation.results_templates import (
    TemplateIndicator,
    decimal_template_rows,
    template_rows,
    to_xlsx,
)
from padu.evaluation.tests.factories import make_instrument, make_period
from padu.organizations.models import Region

pytestmark = pytest.mark.usefixtures("english")

SLOTS = {1: 1, 2: 1, 3: 3}  # indicator 3 is scored for three services


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def external(data: bytes, year: int = 2022):  # type: ignore[no-untyped-def]
    table, problems = read_table(data, EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)
    check = check_external(table, slots=SLOTS, min_level=1, max_level=5, year=year)
    return check, [*problems, *check.problems]


def reasons(problems) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(p.line, p.reason) for p in problems]


# --- reading ---------------------------------------------------------------------------


def test_a_plain_csv_gives_levels_per_indicator_and_slot() -> None:
    check, problems = external(csv_bytes("indikator,slot,tingkat\n1,,3\n2,,2\n3,2,4\n"))
    assert problems == []
    assert check.levels == {(1, 1): 3, (2, 1): 2, (3, 2): 4}


def test_header_variations_and_semicolons_are_accepted() -> None:
    data = csv_bytes("\ufeffNo. Indikator;Tingkat Kematangan;Tahun;Nama\n1;3;2022;Arsitektur\n")
    check, problems = external(data)
    assert problems == []
    assert check.levels == {(1, 1): 3}


def test_an_xlsx_workbook_is_read_by_content_with_numbers_as_floats() -> None:
    data = xlsx_bytes([["Indikator", "Slot", "Tingkat"], [1, None, 3.0], [3, 1, 2]])
    check, problems = external(data)
    assert problems == []
    assert check.levels == {(1, 1): 3, (3, 1): 2}


def test_a_blank_level_leaves_the_indicator_alone() -> None:
    check, problems = external(csv_bytes("indikator,tingkat\n1,\n2,4\n"))
    assert problems == [] and check.levels == {(2, 1): 4}


def test_the_template_round_trips_through_xlsx() -> None:
    header, rows = template_rows([(1, 1, "A"), (3, 3, "C")], 2022)
    rows[0][4] = 2
    check, problems = external(to_xlsx(header, rows, "2022"))
    assert problems == [] and check.levels == {(1, 1): 2}
    assert len(rows) == 4


# --- bad input -------------------------------------------------------------------------


def test_unknown_indicator_numbers_are_named_by_row() -> None:
    _check, problems = external(csv_bytes("indikator,tingkat\n1,2\n48,3\nabc,1\n"))
    assert [line for line, _r in reasons(problems)] == [3, 4]
    assert "unknown indicator number '48'" in problems[0].reason


def test_levels_outside_the_instrument_range_are_refused() -> None:
    _check, problems = external(csv_bytes("indikator,tingkat\n1,0\n2,6\n1,2.5\n"))
    assert [line for line, _r in reasons(problems)] == [2, 3, 4]
    assert "outside 1-5" in problems[1].reason


def test_a_year_column_must_match_the_period() -> None:
    _check, problems = external(csv_bytes("tahun,indikator,tingkat\n2022,1,2\n2021,2,3\n"))
    assert reasons(problems) == [(3, "year 2021 does not match the period 2022.")]


def test_duplicated_rows_name_the_first_line() -> None:
    _check, problems = external(csv_bytes("indikator,slot,tingkat\n3,1,2\n3,1,3\n"))
    assert reasons(problems) == [(3, "indicator 3 slot 1 already given on line 2.")]


def test_a_multi_slot_indicator_needs_its_slot() -> None:
    _check, problems = external(csv_bytes("indikator,slot,tingkat\n3,,2\n3,4,2\n"))
    assert [line for line, _r in reasons(problems)] == [2, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"indikator,tingkat\n", "no data rows"),
        (b"nomor urut,nilai akhir?\n1,2\n", "header must name"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "neither CSV"),
        (b"PK\x03\x04 not really a zip", "damaged ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", ".xls"),
        ("indikator,tingkat\n1,2\n".encode("utf-16"), "neither CSV"),
        (b"indikator,tingkat\n1,\xe92\n", "not UTF-8"),
    ],
)
def test_files_that_are_not_tables_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(TableError, match=message):
        read_table(data, EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(TableError, match="not an XLSX"):
        read_table(out.getvalue(), EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)


def test_a_damaged_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<not-a-workbook")
    with pytest.raises(TableError, match="damaged"):
        read_table(out.getvalue(), EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)


def test_more_than_five_megabytes_is_refused_before_reading() -> None:
    with pytest.raises(TableError, match="5 MB"):
        read_table(b"indikator,tingkat\n" + b"1,2\n" * (MAX_BYTES // 4 + 1), {}, [])


def test_formulas_are_refused_in_xlsx_and_csv() -> None:
    data = xlsx_bytes([["indikator", "tingkat"], [1, "=1+2"], [2, 3]])
    _check, problems = external(data)
    assert [line for line, _r in reasons(problems)] == [2]
    assert "formula" in problems[0].reason
    _check, problems = external(csv_bytes('indikator,tingkat\n1,"=HYPERLINK(""x"")"\n2,@SUM(1)\n'))
    assert [line for line, _r in reasons(problems)] == [2, 3]


def test_merged_cells_are_refused_naming_the_row() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["indikator", "tingkat"], [1, 2], [2, 3]]:
        sheet.append(row)
    sheet.merge_cells("A3:B3")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TableError, match="Row 3 has merged cells"):
        read_table(out.getvalue(), EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)


def test_changes_list_only_what_differs() -> None:
    current = {(1, 1): 2, (2, 1): None, (3, 1): 4}
    new = {(1, 1): 2, (2, 1): 3, (3, 1): 5}
    assert changes(current, new) == [Change((2, 1), None, 3), Change((3, 1), 4, 5)]


# --- published results -----------------------------------------------------------------

KNOWN = {"74.71": "Kota Kendari", "74": "Sulawesi Tenggara"}


def published(text: str):  # type: ignore[no-untyped-def]
    table, problems = read_table(csv_bytes(text), PUBLISHED_COLUMNS, PUBLISHED_REQUIRED)
    check = check_published(table, known_regions=KNOWN)
    return check, [*problems, *check.problems]


def test_published_rows_with_national_and_region_codes() -> None:
    check, problems = published(
        'Tahun,Kode Wilayah,Nama,Indeks\n2024,nasional,,3.12\n2022,74.71,,"2,02"\n'
    )
    assert problems == []
    assert [(r.year, r.region_code, r.name, r.index) for r in check.rows] == [
        (2024, None, "", Decimal("3.12")),
        (2022, "74.71", "Kota Kendari", Decimal("2.02")),
    ]


def test_published_rows_report_every_problem() -> None:
    _check, problems = published(
        "tahun,kode wilayah,indeks\n"
        "1990,74.71,2.0\n"  # year
        "2022,99.99,2.0\n"  # unknown code
        "2022,74.71,5.5\n"  # out of range
        "2022,74.71,2.123\n"  # too many decimals
        "2022,74.71,2.02\n"
        "2022,74.71,2.03\n"  # duplicate
    )
    assert [line for line, _r in reasons(problems)] == [2, 3, 4, 5, 7]


# --- applying (database) ---------------------------------------------------------------


@pytest.fixture
def period_2022(agency, units) -> Period:  # type: ignore[no-untyped-def]
    return make_period(agency=agency, instrument=make_instrument(service_slots=2), year=2022)


def levels_of(period: Period) -> dict[tuple[int, int], int | None]:
    return {
        (a.indicator.number, a.slot): a.external_level
        for a in Assessment.objects.filter(period=period).select_related("indicator")
    }


def test_an_import_writes_one_audit_row_per_changed_assessment(
    period_2022: Period, coordinator
) -> None:
    data = csv_bytes("indikator,slot,tingkat\n1,,3\n2,,2\n3,2,4\n")
    before = AuditEvent.objects.count()
    applied = svc.import_external_results(actor=coordinator, period=period_2022, data=data)
    assert len(applied.changes) == 3
    assert levels_of(period_2022) == {(1, 1): 3, (2, 1): 2, (3, 1): None, (3, 2): 4}
    assert AuditEvent.objects.count() == before + 3
    again = svc.import_external_results(actor=coordinator, period=period_2022, data=data)
    assert again.changes == []
    assert AuditEvent.objects.count() == before + 3


def test_one_bad_row_applies_nothing(period_2022: Period, coordinator) -> None:
    data = csv_bytes("indikator,tingkat\n1,3\n2,9\n")
    before = AuditEvent.objects.count()
    preview = svc.preview_external_import(period_2022, data)
    assert reasons(preview.problems) == [(3, "level '9' is outside 1-5.")]
    with pytest.raises(ValidationError):
        svc.import_external_results(actor=coordinator, period=period_2022, data=data)
    assert set(levels_of(period_2022).values()) == {None}
    assert AuditEvent.objects.count() == before


def test_the_dry_run_shows_changes_against_current_levels(period_2022: Period) -> None:
    Assessment.objects.filter(period=period_2022, indicator__number=1).update(external_level=3)
    preview = svc.preview_external_import(period_2022, csv_bytes("indikator,tingkat\n1,3\n2,4\n"))
    assert preview.ok
    assert [(r.label, r.before, r.after) for r in preview.change_rows] == [
        ("2. Indikator 2", "—", "4")
    ]


def test_published_upload_is_all_or_nothing_and_idempotent(db, coordinator, agency) -> None:
    good = csv_bytes("tahun,kode wilayah,nama,indeks\n2022,74.71,Kota Kendari,2.02\n")
    bad = good + b"2023,00.00,Nowhere,2.5\n"
    with pytest.raises(ValidationError):
        svc.import_published_results(actor=coordinator, agency=agency, data=bad)
    assert not PublishedResult.objects.exists()
    first = svc.import_published_results(actor=coordinator, agency=agency, data=good)
    second = svc.import_published_results(actor=coordinator, agency=agency, data=good)
    assert (first.created, second.unchanged, second.created) == (1, 1, 0)


def test_the_bundled_results_load_idempotently_and_add_missing_regions(db) -> None:
    call_command("load_published_results", stdout=io.StringIO())
    count = PublishedResult.objects.count()
    out = io.StringIO()
    call_command("load_published_results", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert PublishedResult.objects.count() == count >= 40
    national = dict(
        PublishedResult.objects.filter(region__isnull=True).values_list("year", "index")
    )
    assert national[2021] == Decimal("2.24") and national[2024] == Decimal("3.12")
    assert PublishedResult.objects.get(year=2022, region_id="74.71").index == Decimal("2.02")
    assert Region.objects.get(code="32.11").parent_id == "32"


def test_a_koordinator_cannot_rewrite_another_agencys_or_the_national_figure(
    db, coordinator, agency, django_user_model
) -> None:
    """The published table is shared: missing rows may be added and the agency's own row
    corrected, but another agency's or the national figure changes only by a superuser."""
    call_command("load_published_results", stdout=io.StringIO())
    own, national = agency.region_id, "nasional"
    rewrite = csv_bytes(
        "tahun,kode wilayah,nama,indeks\n"
        f"2022,{own},Kota Kendari,2.10\n"  # own agency: allowed
        f"2021,{national},,2.99\n"  # the national average: refused
    )
    preview = svc.preview_published_import(rewrite, actor=coordinator, agency=agency)
    assert [p.line for p in preview.problems] == [3]
    assert "2.24" in preview.problems[0].reason
    with pytest.raises(ValidationError):
        svc.import_published_results(actor=coordinator, agency=agency, data=rewrite)
    assert PublishedResult.objects.get(year=2022, region_id=own).index == Decimal("2.02")
    own_only = csv_bytes(f"tahun,kode wilayah,nama,indeks\n2022,{own},Kota Kendari,2.10\n")
    assert svc.import_published_results(actor=coordinator, agency=agency, data=own_only).updated
    root = django_user_model.objects.create_superuser("root", "root@example.go.id", "x-Secret-9")
    done = svc.import_published_results(actor=root, agency=agency, data=rewrite)
    assert done.updated == 1  # the national average; the own row is already 2.10
    national_2021 = PublishedResult.objects.get(year=2021, region__isnull=True)
    assert national_2021.index == Decimal("2.99")


# --- decimal values (Pemdi 8/2026) -----------------------------------------------------

PEMDI_SLOTS = dict.fromkeys(range(1, 21), 1)
PEMDI_CODES = {f"IK{n}": n for n in range(1, 21)}


def decimal_external(data: bytes, year: int = 2026):  # type: ignore[no-untyped-def]
    table, problems = read_table(data, EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)
    check = check_external(
        table,
        slots=PEMDI_SLOTS,
        min_level=1,
        max_level=5,
        year=year,
        decimal=True,
        codes=PEMDI_CODES,
    )
    return check, [*problems, *check.problems]


def cells(problems) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(p.line, p.cell) for p in problems]


def test_decimal_values_typed_the_indonesian_and_the_english_way_read_the_same() -> None:
    indonesian = csv_bytes("indikator;nilai\n1;1,26\n2;5\n3;2,5\n")
    english = csv_bytes("indikator,nilai\n1,1.26\n2,5.00\n3,2.50\n")
    for data in (indonesian, english):
        check, problems = decimal_external(data)
        assert problems == []
        assert check.levels == {(1, 1): D("1.26"), (2, 1): D("5.00"), (3, 1): D("2.50")}
        assert all(str(v) in ("1.26", "5.00", "2.50") for v in check.levels.values())


def with_raw_number(data: bytes, shown: str, stored: str) -> bytes:
    """The workbook with one number cell's stored text replaced (openpyxl writes short floats;
    Excel and other writers may store the binary approximation, e.g. 1.2600000000000002)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(f"<v>{shown}</v>".encode(), f"<v>{stored}</v>".encode())
            target.writestr(item, content)
    return out.getvalue()


def test_excel_number_cells_keep_their_machine_value_without_binary_artefacts() -> None:
    data = xlsx_bytes(
        [["indikator", "nilai"], [1, 1.26], [2, 9.99], [3, 2], [4, "1,17"], [5, 4.99]]
    )
    data = with_raw_number(data, "9.99", "1.2600000000000002")
    assert b"1.2600000000000002" in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    check, problems = decimal_external(data)
    assert problems == []
    assert check.levels == {
        (1, 1): D("1.26"),
        (2, 1): D("1.26"),
        (3, 1): D("2.00"),
        (4, 1): D("1.17"),
        (5, 1): D("4.99"),
    }


def test_indicators_may_be_named_by_code_and_a_code_column_must_agree() -> None:
    check, problems = decimal_external(csv_bytes("indikator,kode,nilai\nIK7,,3.34\n8,IK8,1\n"))
    assert problems == [] and check.levels == {(7, 1): D("3.34"), (8, 1): D("1.00")}
    _check, problems = decimal_external(csv_bytes("indikator,kode,nilai\n7,IK8,3.34\n"))
    assert reasons(problems) == [(2, "indicator 7 is IK7, not IK8.")]
    assert cells(problems) == [(2, "B2")]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0,99", "value '0,99' is outside 1.00-5.00."),
        ("5.01", "value '5.01' is outside 1.00-5.00."),
        ("1,255", "value '1,255' has more than two decimals; round it to two, e.g. 1,26."),
        ("1,2,6", "'1,2,6' is not a number; type it like 1,26."),
        ("1.000,5", "'1.000,5' is not a number; type it like 1,26."),
        ("satu", "'satu' is not a number; type it like 1,26."),
        ("NaN", "'NaN' is not a number; type it like 1,26."),
    ],
)
def test_bad_decimal_values_are_refused_naming_row_and_cell(value: str, reason: str) -> None:
    data = csv_bytes(f"tahun;indikator;nilai\n2026;1;1,26\n2026;2;{value}\n")
    check, problems = decimal_external(data)
    assert reasons(problems) == [(3, reason)]
    assert cells(problems) == [(3, "C3")]
    assert (2, 1) not in check.levels


def test_an_excel_number_cell_with_three_decimals_is_refused() -> None:
    _check, problems = decimal_external(xlsx_bytes([["indikator", "nilai"], [1, 1.255]]))
    assert cells(problems) == [(2, "B2")] and "more than two decimals" in problems[0].reason


def test_a_decimal_value_for_a_whole_level_instrument_is_refused() -> None:
    _check, problems = external(csv_bytes("indikator;tingkat\n1;2,5\n2;3,00\n"))
    assert reasons(problems) == [
        (
            2,
            "level '2,5' is not a whole number: this instrument scores whole levels from 1 "
            "to 5, not decimal values.",
        )
    ]
    assert cells(problems) == [(2, "B2")]


def test_the_decimal_template_has_a_value_column_formatted_with_two_decimals() -> None:
    header, rows = decimal_template_rows(
        [
            TemplateIndicator(1, "IK1", 1, "Tata Kelola Pemdi"),
            TemplateIndicator(7, "IK7", 1, "Statistik Sektoral", "EPSS (BPS)"),
        ],
        2026,
    )
    assert header == ["tahun", "indikator", "kode", "slot", "nama", "nilai", "keterangan"]
    assert rows[1][:6] == [2026, 7, "IK7", 1, "Statistik Sektoral", ""]
    assert "EPSS (BPS)" in str(rows[1][6]) and rows[0][6] == ""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(header, rows, "2026", {5: "0.00"})))
    sheet = book.worksheets[0]
    assert sheet["F2"].number_format == "0.00" and sheet["F2"].value is None
