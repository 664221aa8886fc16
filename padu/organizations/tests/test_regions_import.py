"""Region import: checked completely before anything is written; reruns change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from padu.organizations.models import Region
from padu.organizations.regions_import import RegionImportError, import_regions, read_regions


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


GOOD = {
    "provinces.csv": "code,name\n74,Sulawesi Tenggara\n",
    "regencies.csv": "code,province_code,name\n74.71,74,Kota Kendari\n74.05,74,Kabupaten Konawe Selatan\n",
    "districts.csv": "code,regency_code,name\n74.71.10,74.71,Kambu\n74.05.01,74.05,Tinanggea\n",
    "villages.csv": "code,district_code,name\n74.71.10.1001,74.71.10,Kambu\n74.05.01.2001,74.05.01,Lapoa\n",
}


def write(folder: Path, **overrides: str | bytes) -> Path:
    for name, text in {**GOOD, **overrides}.items():
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def test_good_tree_imports_with_levels_kinds_and_parents(db: None, tmp_path: Path) -> None:
    result = import_regions(read_regions(write(tmp_path)))
    assert result.created == 7
    kendari, konsel = Region.objects.get(code="74.71"), Region.objects.get(code="74.05")
    assert (kendari.kind, konsel.kind, kendari.level) == ("kota", "kabupaten", 2)
    assert Region.objects.get(code="74.71.10.1001").kind == "kelurahan"
    assert Region.objects.get(code="74.05.01.2001").kind == "desa"
    assert Region.objects.get(code="74.05.01.2001").parent_id == "74.05.01"


def test_rerun_is_idempotent_and_a_changed_name_updates_one_row(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path)))
    again = import_regions(read_regions(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    renamed = GOOD["districts.csv"].replace("Tinanggea", "Tinanggea Baru")
    result = import_regions(read_regions(write(tmp_path, **{"districts.csv": renamed})))
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="74.05.01").name == "Tinanggea Baru"


def test_only_keeps_the_code_its_ancestors_and_what_lies_under_it(db: None, tmp_path: Path) -> None:
    import_regions(read_regions(write(tmp_path), only=["74.71"]))
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "74",
        "74.71",
        "74.71.10",
        "74.71.10.1001",
    ]


BAD = [
    (
        "unknown parent",
        {"districts.csv": "code,regency_code,name\n74.72.01,74.72,Entah\n"},
        "districts.csv line 2: unknown parent code '74.72'",
    ),
    (
        "malformed code",
        {"regencies.csv": "code,province_code,name\n74.7,74,Salah\n"},
        "regencies.csv line 2: malformed code '74.7'",
    ),
    (
        "letters in a code",
        {"villages.csv": "code,district_code,name\n74.71.10.10A1,74.71.10,X\n"},
        "villages.csv line 2: malformed code '74.71.10.10A1'",
    ),
    (
        "not under its parent",
        {"villages.csv": "code,district_code,name\n74.71.11.1001,74.71.10,X\n"},
        "villages.csv line 2: code '74.71.11.1001' does not lie under its parent '74.71.10'",
    ),
    (
        "duplicate",
        {"provinces.csv": "code,name\n74,Sultra\n74,Sultra lagi\n"},
        "provinces.csv line 3: duplicate code '74'",
    ),
    (
        "empty name",
        {"provinces.csv": "code,name\n74,\n"},
        "provinces.csv line 2: the name is empty",
    ),
    (
        "wrong header",
        {"provinces.csv": "kode,nama\n74,Sultra\n"},
        "provinces.csv line 1: expected the columns",
    ),
    (
        "bad encoding",
        {
            "villages.csv": b"code,district_code,name\n74.71.10.1001,74.71.10,Kambu\n74.71.10.1002,74.71.10,Caf\xe9\n"
        },
        "villages.csv line 3: the file is not valid UTF-8",
    ),
]


@pytest.mark.parametrize(("case", "files", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_are_refused_naming_file_and_line_and_nothing_is_imported(
    db: None, tmp_path: Path, case: str, files: dict[str, str | bytes], message: str
) -> None:
    with pytest.raises(RegionImportError) as excinfo:
        import_regions(read_regions(write(tmp_path, **files)))
    assert any(message in error for error in excinfo.value.errors), excinfo.value.errors
    assert not Region.objects.exists()


def test_missing_file_is_refused(db: None, tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "districts.csv").unlink()
    with pytest.raises(RegionImportError, match=r"districts\.csv"):
        read_regions(tmp_path)


def test_command_fails_with_the_report_and_imports_nothing(db: None, tmp_path: Path) -> None:
    write(tmp_path, **{"districts.csv": "code,regency_code,name\n74.72.01,74.72,Entah\n"})
    with pytest.raises(CommandError, match="unknown parent"):
        call_command("import_regions", "--dir", str(tmp_path))
    assert not Region.objects.exists()


def test_shipped_data_has_kendari_with_11_kecamatan_and_65_kelurahan(db: None) -> None:
    import_regions(read_regions(only=["74.71"]))
    assert Region.objects.filter(parent_id="74.71").count() == 11
    assert Region.objects.filter(code__startswith="74.71.", level=4).count() == 65
    assert Region.objects.filter(code__startswith="74.71.", level=4, kind="kelurahan").count() == 65


def test_messages_are_in_indonesian_by_default(db: None, tmp_path: Path) -> None:
    write(tmp_path, **{"districts.csv": "code,regency_code,name\n74.72.01,74.72,Entah\n"})
    with translation.override("id"), pytest.raises(RegionImportError) as excinfo:
        read_regions(tmp_path)
    assert excinfo.value.errors[0] == "districts.csv baris 2: kode induk '74.72' tidak dikenal."
