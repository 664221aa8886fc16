"""Region import: checked completely before anything is written; reruns change nothing.

Small CSV folders are built in tmp_path; one test reads the shipped Kemendagri files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from padu.organizations.choices import RegionKind, RegionLevel
from padu.organizations.models import Region
from padu.organizations.regions_import import (
    RegionImportError,
    import_regions,
    read_regions,
    region_kind,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


# Two provinces; in 74 a kota and a kabupaten, each with a district, kelurahan and desa.
GOOD = {
    "provinces.csv": "code,name\n73,Sulawesi Selatan\n74,Sulawesi Tenggara\n",
    "regencies.csv": (
        "code,province_code,name\n"
        "73.71,73,Kota Makassar\n"
        "74.05,74,Kabupaten Konawe Selatan\n"
        "74.71,74,Kota Kendari\n"
        "74.72,74,Kota Baubau\n"
    ),
    "districts.csv": (
        "code,regency_code,name\n"
        "73.71.01,73.71,Mariso\n"
        "74.05.01,74.05,Tinanggea\n"
        "74.71.01,74.71,Mandonga\n"
        "74.71.10,74.71,Kambu\n"
        "74.72.01,74.72,Betoambari\n"
    ),
    "villages.csv": (
        "code,district_code,name\n"
        "73.71.01.1001,73.71.01,Bontorannu\n"
        "74.05.01.2001,74.05.01,Lapoa\n"
        "74.05.01.1002,74.05.01,Tinanggea\n"
        "74.71.01.1001,74.71.01,Alolama\n"
        "74.71.10.1001,74.71.10,Kambu\n"
        "74.71.10.1002,74.71.10,Lalolara\n"
        "74.72.01.1001,74.72.01,Sulaa\n"
    ),
}
GOOD_COUNT = 2 + 4 + 5 + 7


def write(folder: Path, **overrides: str | bytes) -> Path:
    """Write the good files into `folder`, replacing any named in `overrides`."""
    for name, text in {**GOOD, **overrides}.items():
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def table() -> list[tuple[Any, ...]]:
    return list(
        Region.objects.order_by("code").values_list("code", "name", "level", "kind", "parent")
    )


def only_errors(folder: Path) -> list[str]:
    with pytest.raises(RegionImportError) as excinfo:
        read_regions(folder)
    return excinfo.value.errors


# --- a good tree ---------------------------------------------------------------------------


def test_good_tree_imports_every_row_with_its_level(db: None, tmp_path: Path) -> None:
    result = import_regions(read_regions(write(tmp_path)))
    assert (result.created, result.updated, result.unchanged) == (GOOD_COUNT, 0, 0)
    assert result.per_level == {1: 2, 2: 4, 3: 5, 4: 7}
    assert Region.objects.count() == GOOD_COUNT
    levels = dict(Region.objects.values_list("code", "level"))
    assert (levels["74"], levels["74.71"], levels["74.71.10"], levels["74.71.10.1001"]) == (
        RegionLevel.PROVINCE,
        RegionLevel.REGENCY,
        RegionLevel.DISTRICT,
        RegionLevel.VILLAGE,
    )


def test_regency_kind_comes_from_the_name_kota_or_kabupaten(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    kinds = dict(Region.objects.filter(level=RegionLevel.REGENCY).values_list("code", "kind"))
    assert kinds == {
        "73.71": RegionKind.KOTA,
        "74.05": RegionKind.KABUPATEN,
        "74.71": RegionKind.KOTA,
        "74.72": RegionKind.KOTA,
    }
    assert Region.objects.get(code="74").kind == RegionKind.PROVINSI
    assert Region.objects.get(code="74.71.10").kind == RegionKind.KECAMATAN


def test_village_kind_is_kelurahan_for_1xxx_and_desa_for_2xxx(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    kinds = dict(Region.objects.filter(level=RegionLevel.VILLAGE).values_list("code", "kind"))
    assert kinds["74.05.01.2001"] == RegionKind.DESA
    # A kelurahan inside a kabupaten is still a kelurahan: the code decides, not the parent.
    assert kinds["74.05.01.1002"] == RegionKind.KELURAHAN
    assert kinds["74.71.10.1001"] == RegionKind.KELURAHAN
    assert list(kinds.values()).count(RegionKind.DESA) == 1


@pytest.mark.parametrize(
    ("level", "code", "name", "kind"),
    [
        (RegionLevel.PROVINCE, "74", "Kota Sesuatu", RegionKind.PROVINSI),
        (RegionLevel.REGENCY, "74.71", "KOTA KENDARI", RegionKind.KOTA),
        (RegionLevel.REGENCY, "74.05", "Kabupaten Kotawaringin", RegionKind.KABUPATEN),
        (RegionLevel.REGENCY, "62.01", "Kotawaringin Barat", RegionKind.KABUPATEN),
        (RegionLevel.DISTRICT, "74.71.01", "Kota Lama", RegionKind.KECAMATAN),
        (RegionLevel.VILLAGE, "74.71.01.1001", "Desa Palsu", RegionKind.KELURAHAN),
        (RegionLevel.VILLAGE, "74.05.01.2001", "Kelurahan Palsu", RegionKind.DESA),
    ],
)
def test_region_kind_follows_level_name_prefix_and_village_code(
    level: int, code: str, name: str, kind: str
) -> None:
    assert region_kind(level, code, name) == kind


def test_every_region_points_at_its_parent(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    parents = dict(Region.objects.values_list("code", "parent_id"))
    assert parents["73"] is None and parents["74"] is None
    assert parents["74.71"] == "74"
    assert parents["74.71.10"] == "74.71"
    assert parents["74.71.10.1002"] == "74.71.10"
    assert parents["74.05.01.2001"] == "74.05.01"
    for code, parent in parents.items():
        assert parent is None or code.rsplit(".", 1)[0] == parent


def test_a_utf8_byte_order_mark_and_surrounding_spaces_are_accepted(
    db: None, tmp_path: Path
) -> None:
    provinces = "\ufeffcode,name\n73, Sulawesi Selatan \n 74 ,Sulawesi Tenggara\n"
    import_regions(read_regions(write(tmp_path, **{"provinces.csv": provinces})))
    assert Region.objects.get(code="73").name == "Sulawesi Selatan"
    assert Region.objects.get(code="74").name == "Sulawesi Tenggara"


def test_quoted_names_with_commas_and_accents_are_read_whole(db: None, tmp_path: Path) -> None:
    villages = GOOD["villages.csv"].replace("Sulaa\n", '"Sulaa, Wa Ode Café"\n')
    import_regions(read_regions(write(tmp_path, **{"villages.csv": villages})))
    assert Region.objects.get(code="74.72.01.1001").name == "Sulaa, Wa Ode Café"


# --- reruns ----------------------------------------------------------------------------------


def test_a_second_run_creates_and_updates_nothing(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    before = table()
    again = import_regions(read_regions(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, GOOD_COUNT)
    assert table() == before


def test_a_changed_name_updates_exactly_that_row(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    before = {row[0]: row for row in table()}
    renamed = GOOD["districts.csv"].replace("Tinanggea", "Tinanggea Baru")
    result = import_regions(read_regions(write(tmp_path, **{"districts.csv": renamed})))
    assert (result.created, result.updated, result.unchanged) == (0, 1, GOOD_COUNT - 1)
    after = {row[0]: row for row in table()}
    changed = {code for code in after if after[code] != before[code]}
    assert changed == {"74.05.01"}
    assert after["74.05.01"][1] == "Tinanggea Baru"
    # The kelurahan of the same name below it keeps its own.
    assert after["74.05.01.1002"][1] == "Tinanggea"


def test_a_regency_renamed_from_kabupaten_to_kota_changes_its_kind(
    db: None, tmp_path: Path
) -> None:
    import_regions(read_regions(write(tmp_path)))
    regencies = GOOD["regencies.csv"].replace("Kabupaten Konawe Selatan", "Kota Konawe Selatan")
    result = import_regions(read_regions(write(tmp_path, **{"regencies.csv": regencies})))
    assert result.updated == 1
    assert Region.objects.get(code="74.05").kind == RegionKind.KOTA


def test_a_new_row_in_a_rerun_is_created_and_the_rest_left_alone(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    villages = GOOD["villages.csv"] + "74.71.10.1003,74.71.10,Mokoau\n"
    result = import_regions(read_regions(write(tmp_path, **{"villages.csv": villages})))
    assert (result.created, result.updated, result.unchanged) == (1, 0, GOOD_COUNT)
    assert Region.objects.get(code="74.71.10.1003").parent_id == "74.71.10"


# --- only ------------------------------------------------------------------------------------


def test_only_keeps_the_code_its_ancestors_and_what_lies_under_it(db: None, tmp_path: Path) -> None:
    result = import_regions(read_regions(write(tmp_path), only=["74.71"]))
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "74",
        "74.71",
        "74.71.01",
        "74.71.01.1001",
        "74.71.10",
        "74.71.10.1001",
        "74.71.10.1002",
    ]
    assert result.created == 7


def test_only_a_province_takes_its_whole_subtree_and_no_other_province(
    db: None, tmp_path: Path
) -> None:
    import_regions(read_regions(write(tmp_path), only=["74"]))
    codes = set(Region.objects.values_list("code", flat=True))
    assert len(codes) == GOOD_COUNT - 4
    assert not any(code == "73" or code.startswith("73.") for code in codes)


def test_only_ignores_problems_outside_the_chosen_area(db: None, tmp_path: Path) -> None:
    villages = GOOD["villages.csv"] + "73.71.01.10X1,73.71.01,Rusak\n"
    write(tmp_path, **{"villages.csv": villages})
    with pytest.raises(RegionImportError):
        read_regions(tmp_path)
    import_regions(read_regions(tmp_path, only=["74.71"]))
    assert Region.objects.filter(code="74.71.10.1002").exists()


def test_the_command_with_only_limits_the_import(db: None, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_regions", "--dir", str(write(tmp_path)), "--only", "74.71", stdout=out)
    assert Region.objects.count() == 7
    assert not Region.objects.filter(code__startswith="74.05").exists()
    assert not Region.objects.filter(code="73").exists()
    assert "7 created, 0 updated, 0 unchanged" in out.getvalue()


def test_the_command_accepts_only_more_than_once(db: None, tmp_path: Path) -> None:
    call_command(
        "import_regions",
        "--dir",
        str(write(tmp_path)),
        "--only",
        "74.72",
        "--only",
        "73.71",
        stdout=io.StringIO(),
    )
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "73",
        "73.71",
        "73.71.01",
        "73.71.01.1001",
        "74",
        "74.72",
        "74.72.01",
        "74.72.01.1001",
    ]


def test_the_command_reports_a_rerun_as_unchanged(db: None, tmp_path: Path) -> None:
    write(tmp_path)
    call_command("import_regions", "--dir", str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_regions", "--dir", str(tmp_path), stdout=out)
    assert f"0 created, 0 updated, {GOOD_COUNT} unchanged" in out.getvalue()


# --- bad input -------------------------------------------------------------------------------

# Each case: the files to replace, and the message expected (file, line, problem).
BAD: list[tuple[str, dict[str, str | bytes], str]] = [
    (
        "unknown parent",
        {"districts.csv": GOOD["districts.csv"] + "74.73.01,74.73,Entah\n"},
        "districts.csv line 7: unknown parent code '74.73'.",
    ),
    (
        "province code with one digit",
        {"provinces.csv": "code,name\n73,Sulawesi Selatan\n74,Sulawesi Tenggara\n7,Salah\n"},
        "provinces.csv line 4: malformed code '7'.",
    ),
    (
        "regency code with one digit",
        {"regencies.csv": GOOD["regencies.csv"] + "74.7,74,Salah\n"},
        "regencies.csv line 6: malformed code '74.7'.",
    ),
    (
        "district code with one digit",
        {"districts.csv": GOOD["districts.csv"] + "74.71.1,74.71,Salah\n"},
        "districts.csv line 7: malformed code '74.71.1'.",
    ),
    (
        "village code with three digits",
        {"villages.csv": GOOD["villages.csv"] + "74.71.10.101,74.71.10,Salah\n"},
        "villages.csv line 9: malformed code '74.71.10.101'.",
    ),
    (
        "letters in a code",
        {"villages.csv": GOOD["villages.csv"] + "74.71.10.10A1,74.71.10,Salah\n"},
        "villages.csv line 9: malformed code '74.71.10.10A1'.",
    ),
    (
        "village code on the district level",
        {"districts.csv": GOOD["districts.csv"] + "74.71.10.1001,74.71,Salah\n"},
        "districts.csv line 7: malformed code '74.71.10.1001'.",
    ),
    (
        "empty code",
        {"regencies.csv": GOOD["regencies.csv"] + ",74,Tanpa Kode\n"},
        "regencies.csv line 6: malformed code ''.",
    ),
    (
        "code not under its parent",
        {"villages.csv": GOOD["villages.csv"] + "74.71.01.1002,74.71.10,Salah\n"},
        "villages.csv line 9: code '74.71.01.1002' does not lie under its parent '74.71.10'.",
    ),
    (
        "empty parent",
        {"regencies.csv": GOOD["regencies.csv"] + "74.73,,Tanpa Induk\n"},
        "regencies.csv line 6: code '74.73' does not lie under its parent ''.",
    ),
    (
        "duplicate code",
        {"provinces.csv": "code,name\n73,Sulawesi Selatan\n74,Sultra\n74,Sultra lagi\n"},
        "provinces.csv line 4: duplicate code '74'.",
    ),
    (
        "duplicate village",
        {"villages.csv": GOOD["villages.csv"] + "74.71.10.1001,74.71.10,Kambu Lagi\n"},
        "villages.csv line 9: duplicate code '74.71.10.1001'.",
    ),
    (
        "empty name",
        {"districts.csv": GOOD["districts.csv"] + "74.71.02,74.71,\n"},
        "districts.csv line 7: the name is empty.",
    ),
    (
        "name of spaces only",
        {"districts.csv": GOOD["districts.csv"] + "74.71.02,74.71,   \n"},
        "districts.csv line 7: the name is empty.",
    ),
    (
        "short row",
        {"districts.csv": GOOD["districts.csv"] + "74.71.02\n"},
        "districts.csv line 7: the name is empty.",
    ),
    (
        "wrong header",
        {"provinces.csv": "kode,nama\n73,Sulawesi Selatan\n74,Sulawesi Tenggara\n"},
        "provinces.csv line 1: expected the columns code,name.",
    ),
    (
        "columns in the wrong order",
        {
            "regencies.csv": GOOD["regencies.csv"].replace(
                "code,province_code,name", "code,name,province_code"
            )
        },
        "regencies.csv line 1: expected the columns code,province_code,name.",
    ),
    (
        "extra column",
        {
            "villages.csv": GOOD["villages.csv"].replace(
                "district_code,name", "district_code,name,x"
            )
        },
        "villages.csv line 1: expected the columns code,district_code,name.",
    ),
    (
        "empty file",
        {"districts.csv": ""},
        "districts.csv line 1: expected the columns code,regency_code,name.",
    ),
    (
        "latin-1 byte on line 3",
        {
            "villages.csv": b"code,district_code,name\n"
            b"74.71.10.1001,74.71.10,Kambu\n"
            b"74.71.10.1002,74.71.10,Caf\xe9\n"
        },
        "villages.csv line 3: the file is not valid UTF-8 text.",
    ),
    (
        "utf-16 file",
        {"provinces.csv": GOOD["provinces.csv"].encode("utf-16")},
        "provinces.csv line 1: the file is not valid UTF-8 text.",
    ),
    (
        "blank line before the fault",
        {"districts.csv": GOOD["districts.csv"] + "\n74.71.02,74.71,\n"},
        "districts.csv line 8: the name is empty.",
    ),
]


@pytest.mark.parametrize(("case", "files", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_naming_file_and_line(
    db: None, tmp_path: Path, case: str, files: dict[str, str | bytes], message: str
) -> None:
    errors = only_errors(write(tmp_path, **files))
    assert message in errors, errors


@pytest.mark.parametrize(("case", "files", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_leave_the_region_table_as_it_was(
    db: None, tmp_path: Path, case: str, files: dict[str, str | bytes], message: str
) -> None:
    import_regions(read_regions(write(tmp_path)))
    before = table()
    # Besides the fault, the folder carries a rename and a new row that must not land.
    renamed = {"provinces.csv": GOOD["provinces.csv"].replace("Sulawesi Selatan", "Sulsel")}
    new_row = {"districts.csv": GOOD["districts.csv"] + "74.72.02,74.72,Wolio\n"}
    write(tmp_path, **{**renamed, **new_row, **files})
    with pytest.raises(RegionImportError):
        import_regions(read_regions(tmp_path))
    assert table() == before


def test_a_missing_file_is_named(db: None, tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "regencies.csv").unlink()
    errors = only_errors(tmp_path)
    assert errors[0] == "regencies.csv: file not found."


def test_a_missing_folder_names_all_four_files(db: None, tmp_path: Path) -> None:
    errors = only_errors(tmp_path / "tidak-ada")
    assert errors == [
        "provinces.csv: file not found.",
        "regencies.csv: file not found.",
        "districts.csv: file not found.",
        "villages.csv: file not found.",
    ]


def test_every_problem_is_listed_not_only_the_first(db: None, tmp_path: Path) -> None:
    write(
        tmp_path,
        **{
            "provinces.csv": "code,name\n73,Sulawesi Selatan\n74,Sulawesi Tenggara\n75,\n",
            "villages.csv": GOOD["villages.csv"] + "74.71.10.10A1,74.71.10,X\n9,9,9\n",
        },
    )
    errors = only_errors(tmp_path)
    assert errors == [
        "provinces.csv line 4: the name is empty.",
        "villages.csv line 9: malformed code '74.71.10.10A1'.",
        "villages.csv line 10: malformed code '9'.",
    ]


def test_the_error_message_joins_every_problem(db: None, tmp_path: Path) -> None:
    write(tmp_path, **{"provinces.csv": "code,name\n73,\n74,\n"})
    with pytest.raises(RegionImportError) as excinfo:
        read_regions(tmp_path)
    lines = str(excinfo.value).splitlines()
    assert lines == excinfo.value.errors
    assert lines[:2] == [
        "provinces.csv line 2: the name is empty.",
        "provinces.csv line 3: the name is empty.",
    ]


def test_children_of_a_refused_row_are_refused_too(db: None, tmp_path: Path) -> None:
    regencies = GOOD["regencies.csv"].replace("74.72,74,Kota Baubau", "74.72,74,")
    errors = only_errors(write(tmp_path, **{"regencies.csv": regencies}))
    assert "regencies.csv line 5: the name is empty." in errors
    assert "districts.csv line 6: unknown parent code '74.72'." in errors
    assert "villages.csv line 8: unknown parent code '74.72.01'." in errors


def test_the_command_fails_with_the_report_and_imports_nothing(db: None, tmp_path: Path) -> None:
    write(tmp_path, **{"districts.csv": GOOD["districts.csv"] + "74.73.01,74.73,Entah\n"})
    with pytest.raises(CommandError) as excinfo:
        call_command("import_regions", "--dir", str(tmp_path), stdout=io.StringIO())
    assert "districts.csv line 7: unknown parent code '74.73'." in str(excinfo.value)
    assert not Region.objects.exists()


def test_the_command_fails_on_a_folder_without_the_files(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"provinces\.csv: file not found"):
        call_command("import_regions", "--dir", str(tmp_path), stdout=io.StringIO())
    assert not Region.objects.exists()


def test_messages_are_in_indonesian_by_default(db: None, tmp_path: Path) -> None:
    write(tmp_path, **{"districts.csv": "code,regency_code,name\n74.73.01,74.73,Entah\n"})
    with translation.override("id"), pytest.raises(RegionImportError) as excinfo:
        read_regions(tmp_path)
    assert excinfo.value.errors[0] == "districts.csv baris 2: kode induk '74.73' tidak dikenal."


# --- the shipped data ------------------------------------------------------------------------


def test_shipped_data_for_province_74_has_kendari_with_11_kecamatan_and_65_kelurahan(
    db: None,
) -> None:
    result = import_regions(read_regions(only=["74"]))
    assert result.per_level[RegionLevel.PROVINCE] == 1
    assert not Region.objects.exclude(code="74").exclude(code__startswith="74.").exists()
    kendari = Region.objects.get(code="74.71")
    assert (kendari.name, kendari.kind, kendari.parent_id) == ("Kota Kendari", "kota", "74")
    kecamatan = Region.objects.filter(parent=kendari)
    assert kecamatan.count() == 11
    assert set(kecamatan.values_list("kind", flat=True)) == {RegionKind.KECAMATAN}
    villages = Region.objects.filter(code__startswith="74.71.", level=RegionLevel.VILLAGE)
    assert villages.count() == 65
    assert villages.filter(kind=RegionKind.KELURAHAN).count() == 65
    assert villages.filter(parent__parent=kendari).count() == 65
