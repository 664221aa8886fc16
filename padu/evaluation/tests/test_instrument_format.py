"""The instrument file format (pure, no database): the bundled files, a small valid file, and
a corpus of broken files, each refused with every fault named at its place."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from padu.evaluation.choices import EvidenceKind
from padu.evaluation.instrument_format import (
    InstrumentFormatError,
    InstrumentSpec,
    parse_instrument,
)

BUNDLED = Path(__file__).resolve().parents[1] / "instruments"
DATA = Path(__file__).resolve().parent / "data"
BAD = sorted((DATA / "instruments_bad").glob("*.yaml"))
MINI = (DATA / "instruments_good" / "mini.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def bundled(name: str) -> InstrumentSpec:
    return parse_instrument((BUNDLED / f"{name}.yaml").read_text(encoding="utf-8"))


def faults_of(text: str) -> list[str]:
    with pytest.raises(InstrumentFormatError) as excinfo:
        parse_instrument(text)
    return excinfo.value.errors


def expected_faults(path: Path) -> list[str]:
    """The `# expect:` lines at the top of a broken file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def band_starts(spec: InstrumentSpec) -> list[D]:
    return sorted(D(b["min"]) for b in spec.predicates)


# --- the bundled instruments ---------------------------------------------------------


def test_59_2020_has_4_domains_8_aspects_47_indicators_and_weights_summing_to_100() -> None:
    spec = bundled("permenpanrb-59-2020")
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (4, 8, 47)
    assert [i.number for i in spec.indicators] == list(range(1, 48))
    assert sum(i.weight * i.slots for i in spec.indicators) == 100
    assert sum(d.weight for d in spec.domains) == spec.divisor == 100
    assert spec.status == "verified" and spec.has_domains


def test_59_2020_domain_and_aspect_weights_are_the_regulation_s() -> None:
    spec = bundled("permenpanrb-59-2020")
    assert {d.code: d.weight for d in spec.domains} == {
        "D1": D(13),
        "D2": D(25),
        "D3": D("16.5"),
        "D4": D("45.5"),
    }
    assert [a.weight for a in spec.aspects] == [
        D(x) for x in ["13", "10", "10", "5", "12", "4.5", "27.5", "18"]
    ]


def test_59_2020_bands_are_1_8_2_6_3_5_4_2() -> None:
    spec = bundled("permenpanrb-59-2020")
    assert band_starts(spec) == [D(x) for x in ("1.0", "1.8", "2.6", "3.5", "4.2")]
    top = max(spec.predicates, key=lambda b: D(b["min"]))
    assert (top["name"], top["max"], top["max_inclusive"]) == ("Memuaskan", "5.0", True)


def test_59_2020_indicators_have_five_named_levels_with_criteria_as_checklists() -> None:
    spec = bundled("permenpanrb-59-2020")
    for indicator in spec.indicators:
        assert [lv.level for lv in indicator.levels] == [1, 2, 3, 4, 5], indicator.number
        assert all(lv.name and lv.criteria for lv in indicator.levels), indicator.number
        assert indicator.level_scale in spec.level_scales
    kinds = {k for i in spec.indicators for lv in i.levels for k in lv.evidence_kinds}
    assert kinds <= set(EvidenceKind.values)
    first = spec.indicators[0]
    assert (first.kind, first.levels[0].name, first.levels[4].name) == (
        "policy",
        "Rintisan",
        "Optimum",
    )


def test_59_2020_sector_services_45_to_47_each_name_their_service() -> None:
    spec = bundled("permenpanrb-59-2020")
    naming = [i.number for i in spec.indicators if i.requires_service_name]
    assert naming == [45, 46, 47]
    assert all(i.slots == 1 for i in spec.indicators)


def test_5_2018_has_35_indicators_weights_99_8_and_number_35_scored_for_three_services() -> None:
    spec = bundled("permenpanrb-5-2018")
    assert len(spec.indicators) == 35
    assert spec.divisor == D("99.8")
    assert sum(i.weight * i.slots for i in spec.indicators) == D("99.8")
    last = spec.indicators[-1]
    assert (last.number, last.slots, last.requires_service_name, last.weight) == (
        35,
        3,
        True,
        D("3.3"),
    )
    assert spec.status == "historical"
    assert all(not i.levels for i in spec.indicators)  # level texts may be empty


def test_pemdi_draft_has_no_domains_7_aspects_20_indicators_and_its_own_bands() -> None:
    spec = bundled("pemdi-permenpanrb-8-2026-draft")
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (0, 7, 20)
    assert not spec.has_domains
    assert [i.number for i in spec.indicators] == list(range(1, 21))
    assert [i.code for i in spec.indicators] == [f"IK{n}" for n in range(1, 21)]
    assert band_starts(spec) == [D(x) for x in ("1.0", "1.5", "2.5", "3.5", "4.0")]
    assert sum(a.weight for a in spec.aspects) == spec.divisor == 100
    assert spec.status == "unverified"


def test_pemdi_8_2026_is_verified_decimal_half_even_and_supersedes_the_draft() -> None:
    spec = bundled("pemdi-permenpanrb-8-2026")
    draft = bundled("pemdi-permenpanrb-8-2026-draft")
    assert (spec.code, spec.version, spec.status) == ("permenpanrb-8-2026", 2, "verified_secondary")
    assert (spec.value_scale, spec.rounding, spec.applies_from_year) == (
        "decimal",
        "half_even",
        2026,
    )
    assert spec.supersedes == [{"code": draft.code, "version": draft.version}]
    assert [i.code for i in spec.indicators] == [f"IK{n}" for n in range(1, 21)]
    weights = {a.code: a.weight for a in spec.aspects}
    assert weights == {
        "AS1": 10, "AS2": 10, "AS3": 15, "AS4": 15, "AS5": 10, "AS6": 15, "AS7": 25
    }  # fmt: skip
    # The alternative weights 4/4/4/3 do not reproduce the assessors' results.
    checked = ("IK5", "IK7", "IK11", "IK12")
    assert [i.weight for i in spec.indicators if i.code in checked] == [5, 3, 3, 4]
    external = {i.code: i.external_default for i in spec.indicators if i.external_default}
    assert external == {c: D("1.00") for c in ("IK5", "IK6", "IK7", "IK18")}
    assert "EPSS" in spec.indicators[6].external_source
    assert [lv.name for lv in spec.indicators[0].levels] == [
        "Merintis", "Membangun", "Berkembang", "Melembaga", "Unggul"
    ]  # fmt: skip
    assert [lv.name_alt for lv in spec.indicators[0].levels] == [
        "Rintisan", "Terkelola", "Terstandarisasi", "Terintegrasi dan Terukur", "Optimum"
    ]  # fmt: skip
    assert band_starts(spec) == [D(x) for x in ("1.0", "1.5", "2.5", "3.5", "4.0")]
    assert "Lampiran" in spec.status_note


@pytest.mark.parametrize(
    "name", ["permenpanrb-59-2020", "permenpanrb-5-2018", "pemdi-permenpanrb-8-2026-draft"]
)
def test_bundled_files_keep_their_provenance(name: str) -> None:
    spec = bundled(name)
    assert spec.source and spec.status_note
    assert spec.version == 1 and spec.short_title


# --- a valid file -----------------------------------------------------------------------


def test_a_valid_file_is_read_into_plain_specs() -> None:
    spec = parse_instrument(MINI)
    assert (spec.code, spec.version, spec.short_title, spec.divisor) == ("mini", 1, "Mini", 100)
    complaints, sector = spec.indicators[1], spec.indicators[2]
    assert (complaints.code, complaints.name_en, complaints.kind) == (
        "2",
        "Complaints service",
        "service",
    )
    assert complaints.levels[0].criteria == ["Ada situs informasi pengaduan"]
    assert complaints.levels[0].evidence_kinds == ["screenshot", "tautan_aplikasi"]
    assert complaints.levels[0].description == "Situs hanya memuat informasi."
    assert (sector.slots, sector.requires_service_name, sector.levels) == (3, True, [])
    assert spec.predicates[0] == {
        "name": "Kurang",
        "min": "1.0",
        "max": "2.5",
        "max_inclusive": False,
    }
    assert spec.level_scales["layanan"]["levels"][1]["id"] == "Informasi"


def test_the_model_field_names_are_accepted_as_synonyms() -> None:
    text = (
        MINI.replace("id: Layanan Pengaduan", "name: Layanan Pengaduan")
        .replace("en: Complaints service", "name_en: Complaints service")
        .replace("type: service\n        level_scale", "kind: service\n        level_scale")
        .replace("criteria_id: [Ada", "criteria: [Ada")
        .replace("evidence_types: [screenshot", "evidence_kinds: [screenshot")
    )
    complaints = parse_instrument(text).indicators[1]
    assert (complaints.name, complaints.name_en, complaints.kind) == (
        "Layanan Pengaduan",
        "Complaints service",
        "service",
    )
    assert complaints.levels[0].criteria == ["Ada situs informasi pengaduan"]
    assert complaints.levels[0].evidence_kinds == ["screenshot", "tautan_aplikasi"]


def test_weights_add_up_exactly_as_decimals() -> None:
    # 29.9 + 3 x 10.033 = 59.999 exactly; binary floats would be off in the last digit.
    text = (
        MINI.replace("weight: 30\n", "weight: 29.9\n")
        .replace("weight: 10,", "weight: 10.033,")
        .replace("weight: 60", "weight: 59.999")
        .replace("divisor: 100", "divisor: 99.999")
    )
    spec = parse_instrument(text)
    assert spec.aspects[1].weight == D("59.999") == spec.domains[1].weight
    assert sum(i.weight * i.slots for i in spec.indicators) == D("99.999")


# --- broken files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_a_broken_file_is_refused_naming_each_fault_and_its_place(path: Path) -> None:
    expected = expected_faults(path)
    assert expected, f"{path.name} has no '# expect:' line"
    faults = faults_of(path.read_text(encoding="utf-8"))
    for fragment in expected:
        assert any(fragment in fault for fault in faults), (fragment, faults)


def test_the_corpus_has_the_faults_the_issue_names() -> None:
    names = {p.stem for p in BAD}
    assert {
        "weights_aspect",
        "weights_domain",
        "weights_divisor",
        "number_repeated",
        "level_0",
        "level_6",
        "band_gap",
        "band_overlap",
        "yaml_syntax",
        "missing_key",
        "pemdi_weights",
        "external_index_no_default",
    } <= names


def test_every_fault_is_listed_not_only_the_first() -> None:
    faults = faults_of((DATA / "instruments_bad" / "many_faults.yaml").read_text())
    assert len(faults) == 4, faults


def test_missing_top_level_keys_are_all_listed_together() -> None:
    faults = faults_of("format: padu-instrument/1\ninstrument:\n  version: 1\n")
    for key in ("code", "title", "status", "divisor"):
        assert f"instrument: the key '{key}' is missing" in faults
    assert "instrument: 'aspects' must be a non-empty list" in faults


def test_faults_read_in_indonesian_with_their_place() -> None:
    text = (DATA / "instruments_bad" / "many_faults.yaml").read_text()
    with translation.override("id"):
        faults = faults_of(text)
    assert (
        "domains[1].aspects[0]: bobot aspek 60 tidak sama dengan jumlah bobot indikatornya 61"
        in (faults)
    )
    assert (
        "domains[1].aspects[0].indicators[1] (nomor 1): nomor indikator 1 muncul lebih dari sekali"
        in faults
    )


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (("weight: 40, type", "weight: 0, type"), "'weight' must be greater than zero"),
        (("weight: 40, type", "weight: 1.2345, type"), "with at most three decimals"),
        (("number: 2\n", "number: 0\n"), "'number' must be a whole number from 1 to 32767"),
        (("slots: 3", "slots: 0"), "'slots' must be a whole number from 1 to 100"),
        (("title: Instrumen Mini", "title: [a, b]"), "instrument: 'title' must be text"),
        (("max_inclusive: false}", "max_inclusive: true}"), "only the highest band may include"),
        (("version: 1", "version: satu"), "instrument: 'version' must be a whole number"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(change: tuple[str, str], fault: str) -> None:
    faults = faults_of(MINI.replace(*change))
    assert any(fault in f for f in faults), faults


def test_a_quoted_number_is_read_as_a_number() -> None:
    spec = parse_instrument(MINI.replace("weight: 40, type", "weight: '40', type"))
    assert spec.indicators[0].weight == 40


def test_a_byte_order_mark_and_windows_line_ends_do_not_matter() -> None:
    spec = parse_instrument("\ufeff" + MINI.replace("\n", "\r\n"))
    assert len(spec.indicators) == 3


def test_code_execution_tags_are_refused() -> None:
    faults = faults_of(
        MINI.replace("title: Instrumen Mini", "title: !!python/object/apply:os.system [id]")
    )
    assert "line 6: the file is not valid YAML" in faults[0]


# --- no input crashes the parser -----------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_parsed_or_refused_never_crashes(text: str) -> None:
    with translation.override("en"):
        try:
            parse_instrument(text)
        except InstrumentFormatError as exc:
            assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)


MINI_LINES = MINI.splitlines()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, len(MINI_LINES) - 1),
    st.sampled_from(["", "x", "  - 1", "0", "null", "[", "{a: b}", ": :", "-1", "~", "'", "9e99"]),
    st.booleans(),
)
def test_a_valid_file_with_any_line_spoiled_is_parsed_or_refused_never_crashes(
    line: int, replacement: str, keep_key: bool
) -> None:
    lines = list(MINI_LINES)
    key, sep, _value = lines[line].partition(":")
    lines[line] = f"{key}{sep} {replacement}" if keep_key and sep else replacement
    with translation.override("en"):
        try:
            parse_instrument("\n".join(lines))
        except InstrumentFormatError as exc:
            assert exc.errors
