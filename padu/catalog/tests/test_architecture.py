"""Reference-architecture coverage and redundancy (pure)."""

from __future__ import annotations

from padu.catalog.architecture import (
    Entry,
    area,
    by_unit,
    coverage,
    coverage_share,
    level_of,
    redundancy,
)

AREAS = {"RAL.01.25": "Kesehatan", "RAL.02.04": "Kepegawaian", "RAB.04.01": "Kesehatan"}


def e(name: str, unit: str, *codes: str) -> Entry:
    return Entry(key=name, name=name, unit=unit, codes=frozenset(codes))


def test_levels_are_read_from_the_code() -> None:
    assert level_of("RAL.01") == 1
    assert level_of("RAL.01.25") == 2
    assert level_of("RAL.01.25.03") == 3
    assert area("RAL.01.25.03.02", 3) == "RAL.01.25.03"
    assert area("RAL.01.25.03", 2) == "RAL.01.25"
    assert area("RAL.01", 2) is None


def test_coverage_maps_deeper_codes_to_their_area_and_opd() -> None:
    apps = [
        e("SIMPUS", "Dinkes", "RAL.01.25.01", "RAB.04.01"),
        e("SIMPEG", "BKPSDM", "RAL.02.04.01"),
        e("Sector only", "Dinkes", "RAL.01"),
    ]
    services = [e("Layanan puskesmas", "Dinkes", "RAL.01.25")]
    rows = {r.code: r for r in coverage(AREAS, apps, services)}
    assert rows["RAL.01.25"].applications == ["SIMPUS"]
    assert rows["RAL.01.25"].services == ["Layanan puskesmas"]
    assert rows["RAL.01.25"].units == ["Dinkes"]
    assert rows["RAB.04.01"].applications == ["SIMPUS"]
    assert rows["RAL.02.04"].units == ["BKPSDM"]
    assert coverage_share(rows.values()) == (3, 3)
    assert by_unit(rows.values()) == {"BKPSDM": ["RAL.02.04"], "Dinkes": ["RAB.04.01", "RAL.01.25"]}


def test_uncovered_areas_are_listed_as_such() -> None:
    rows = coverage(AREAS, [e("SIMPEG", "BKPSDM", "RAL.02.04.01")], [])
    assert [r.code for r in rows if not r.covered] == ["RAB.04.01", "RAL.01.25"]
    assert coverage_share(rows) == (1, 3)


def test_redundancy_on_ral_level_3_and_rab_process() -> None:
    apps = [
        e("Presensi Online ASN", "BKPSDM", "RAL.02.04.03", "RAB.09.06"),
        e("Absensi Guru", "Disdikbud", "RAL.02.04.03"),
        e("SIMPEG", "BKPSDM", "RAL.02.04.01", "RAB.09.06"),
        e("SIMPUS", "Dinkes", "RAL.01.25"),  # level 2 only: a sector, not an overlap
        e("SIMRS", "Dinkes", "RAL.01.25"),
    ]
    rows = redundancy(apps, {"RAL.02.04.03": "Presensi ASN"})
    by_code = {r.code: r for r in rows}
    assert set(by_code) == {"RAL.02.04.03", "RAB.09.06"}
    assert by_code["RAL.02.04.03"].applications == ["Absensi Guru", "Presensi Online ASN"]
    assert by_code["RAL.02.04.03"].units == ["BKPSDM", "Disdikbud"]
    assert by_code["RAL.02.04.03"].name == "Presensi ASN"


def test_one_application_with_two_codes_in_the_same_area_is_no_overlap() -> None:
    apps = [e("A", "X", "RAL.02.04.03", "RAL.02.04.03.01")]
    assert redundancy(apps, {}) == []
