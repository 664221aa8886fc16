"""Loading instrument files: the whole tree in bulk, one audit row, idempotent, immutable once a
period uses it, nothing loaded from a bad file; the load_instruments command."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from padu.audit.models import AuditEvent
from padu.evaluation import instrument_format as fmt
from padu.evaluation.instrument_format import InstrumentFormatError
from padu.evaluation.instrument_loader import (
    bundled_files,
    load_bundled_instruments,
    load_instrument,
    load_instrument_files,
)
from padu.evaluation.models import (
    Aspect,
    Criterion,
    Domain,
    Indicator,
    Instrument,
    Level,
    Period,
)

DATA = Path(__file__).resolve().parent / "data"
MINI_PATH = DATA / "instruments_good" / "mini.yaml"
MINI = MINI_PATH.read_text(encoding="utf-8")
BAD = sorted((DATA / "instruments_bad").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def tree_counts(instrument: Instrument) -> tuple[int, int, int, int, int]:
    return (
        Domain.objects.filter(instrument=instrument).count(),
        Aspect.objects.filter(instrument=instrument).count(),
        Indicator.objects.filter(instrument=instrument).count(),
        Level.objects.filter(indicator__instrument=instrument).count(),
        Criterion.objects.filter(level__indicator__instrument=instrument).count(),
    )


def nothing_loaded() -> bool:
    return not (Instrument.objects.exists() or Indicator.objects.exists())


# --- loading -----------------------------------------------------------------------------


def test_loading_a_file_creates_the_instrument_and_its_whole_tree(db: None) -> None:
    result = load_instrument(text=MINI)
    inst = result.instrument
    assert (result.created, result.replaced, result.state) == (True, False, "created")
    assert (inst.agency, inst.code, inst.version, inst.status) == (None, "mini", 1, "verified")
    assert inst.checksum == hashlib.sha256(MINI.encode()).hexdigest()
    assert inst.document == MINI and inst.has_domains
    assert tree_counts(inst) == (2, 2, 3, 5, 3)
    sector = Indicator.objects.get(instrument=inst, number=3)
    assert (sector.slots, sector.requires_service_name, sector.aspect.domain.code) == (
        3,
        True,
        "D2",
    )
    level = Level.objects.get(indicator__instrument=inst, indicator__number=2, level=2)
    assert [c.text for c in level.criteria.all()] == [
        "Warga dapat mengunggah aduan",
        "Aduan dapat dilacak",
    ]
    assert Level.objects.get(indicator__number=2, level=1).evidence_kinds == [
        "screenshot",
        "tautan_aplikasi",
    ]


def test_loading_inserts_in_bulk_not_row_by_row(db: None) -> None:
    path = next(p for p in bundled_files() if p.name == "permenpanrb-59-2020.yaml")
    with CaptureQueriesContext(connection) as queries:
        inst = load_instrument(text=path.read_text(encoding="utf-8")).instrument
    # 4 domains, 8 aspects, 47 indicators, 235 levels and 497 criteria in a handful of queries.
    assert tree_counts(inst) == (4, 8, 47, 235, 497)
    assert len(queries) <= 15, [q["sql"][:80] for q in queries]


def test_loading_writes_one_audit_row_for_the_instrument(db: None, coordinator, agency) -> None:
    inst = load_instrument(text=MINI, agency=agency, actor=coordinator).instrument
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "evaluation.instrument",
        str(inst.pk),
    )
    assert (event.actor, event.agency, event.after["checksum"]) == (
        coordinator,
        agency,
        inst.checksum,
    )


def test_loading_the_same_file_again_changes_nothing(db: None) -> None:
    first = load_instrument(text=MINI).instrument
    again = load_instrument(text=MINI)
    assert (again.created, again.replaced, again.state) == (False, False, "unchanged")
    assert again.instrument.pk == first.pk
    assert Instrument.objects.count() == 1 and AuditEvent.objects.count() == 1
    assert tree_counts(first) == (2, 2, 3, 5, 3)


def test_a_changed_file_replaces_a_version_no_period_uses_in_place(db: None) -> None:
    first = load_instrument(text=MINI).instrument
    changed = MINI.replace("title: Instrumen Mini", "title: Instrumen Mini (revisi)").replace(
        "Ada situs informasi pengaduan", "Ada situs pengaduan"
    )
    result = load_instrument(text=changed)
    assert (result.created, result.replaced, result.state) == (False, True, "replaced")
    inst = Instrument.objects.get()
    assert inst.pk == first.pk and inst.title == "Instrumen Mini (revisi)"
    assert tree_counts(inst) == (2, 2, 3, 5, 3)  # rebuilt, not added to
    assert Criterion.objects.filter(text="Ada situs pengaduan").count() == 1
    assert not Criterion.objects.filter(text="Ada situs informasi pengaduan").exists()
    update = AuditEvent.objects.get(action="update")
    assert update.before["title"] == "Instrumen Mini" and "checksum" in update.after


def test_a_changed_file_for_a_version_used_by_a_period_is_refused(agency) -> None:
    loaded = load_instrument(text=MINI).instrument
    Period.objects.create(agency=agency, year=2026, instrument=loaded)
    changed = MINI.replace("title: Instrumen Mini", "title: Instrumen Baru")
    with pytest.raises(ValidationError) as excinfo:
        load_instrument(text=changed)
    assert "used by the periods 2026" in excinfo.value.messages[0]
    assert "raise the version number" in excinfo.value.messages[0]
    with translation.override("id"), pytest.raises(ValidationError) as excinfo:
        load_instrument(text=changed)
    assert "naikkan nomor versi" in excinfo.value.messages[0]
    loaded.refresh_from_db()
    assert (
        loaded.title == "Instrumen Mini"
        and loaded.checksum == hashlib.sha256(MINI.encode()).hexdigest()
    )
    assert tree_counts(loaded) == (2, 2, 3, 5, 3)


def test_the_same_file_for_a_used_version_is_still_a_no_op(agency) -> None:
    loaded = load_instrument(text=MINI).instrument
    Period.objects.create(agency=agency, year=2026, instrument=loaded)
    assert load_instrument(text=MINI).state == "unchanged"


def test_raising_the_version_loads_a_new_instrument_beside_the_used_one(agency) -> None:
    loaded = load_instrument(text=MINI).instrument
    Period.objects.create(agency=agency, year=2026, instrument=loaded)
    newer = load_instrument(text=MINI.replace("version: 1", "version: 2"))
    assert newer.created and newer.instrument.pk != loaded.pk
    assert sorted(Instrument.objects.values_list("version", flat=True)) == [1, 2]


def test_an_agency_variant_is_kept_apart_from_the_national_instrument(agency, other_agency) -> None:
    national = load_instrument(text=MINI).instrument
    own = load_instrument(text=MINI, agency=agency).instrument
    theirs = load_instrument(text=MINI, agency=other_agency).instrument
    assert len({national.pk, own.pk, theirs.pk}) == 3
    assert (national.agency, own.agency, theirs.agency) == (None, agency, other_agency)


def test_a_simultaneous_load_of_the_same_version_is_refused_cleanly(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def clash(**fields: object) -> None:
        raise IntegrityError("instrument_national_code_version")

    monkeypatch.setattr(Instrument.objects, "create", clash)
    with pytest.raises(ValidationError, match="loaded by someone else just now"):
        load_instrument(text=MINI)
    assert nothing_loaded()


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_a_broken_file_loads_nothing(db: None, path: Path) -> None:
    with pytest.raises(InstrumentFormatError) as excinfo:
        load_instrument(text=path.read_text(encoding="utf-8"))
    assert excinfo.value.errors
    assert nothing_loaded() and not AuditEvent.objects.exists()


def test_the_format_s_text_limits_match_the_model_columns() -> None:
    columns = [
        (fmt.CODE_LENGTH, Instrument, "code"),
        (fmt.TITLE_LENGTH, Instrument, "title"),
        (fmt.SHORT_TITLE_LENGTH, Instrument, "short_title"),
        (fmt.PART_CODE_LENGTH, Domain, "code"),
        (fmt.PART_CODE_LENGTH, Aspect, "code"),
        (fmt.PART_CODE_LENGTH, Indicator, "code"),
        (fmt.PART_NAME_LENGTH, Domain, "name"),
        (fmt.PART_NAME_LENGTH, Aspect, "name_en"),
        (fmt.INDICATOR_NAME_LENGTH, Indicator, "name"),
        (fmt.INDICATOR_NAME_LENGTH, Indicator, "name_en"),
        (fmt.OFFICIAL_NAME_LENGTH, Indicator, "official_name"),
        (fmt.LEVEL_SCALE_LENGTH, Indicator, "level_scale"),
        (fmt.LEVEL_NAME_LENGTH, Level, "name"),
        (fmt.LEVEL_NAME_LENGTH, Level, "name_en"),
    ]
    for limit, model, name in columns:
        assert model._meta.get_field(name).max_length == limit, (model, name)
    for limit, model, name in [
        (fmt.WEIGHT_LIMIT, Indicator, "weight"),
        (fmt.WEIGHT_LIMIT, Aspect, "weight"),
        (fmt.WEIGHT_LIMIT, Domain, "weight"),
        (fmt.DIVISOR_LIMIT, Instrument, "divisor"),
    ]:
        column = model._meta.get_field(name)
        assert 10 ** (column.max_digits - column.decimal_places) == limit, (model, name)


def test_longest_allowed_texts_are_stored(db: None) -> None:
    text = MINI.replace("title: Instrumen Mini", "title: " + "T" * fmt.TITLE_LENGTH).replace(
        "id: Layanan Pengaduan", "id: " + "N" * fmt.INDICATOR_NAME_LENGTH
    )
    inst = load_instrument(text=text).instrument
    assert len(inst.title) == fmt.TITLE_LENGTH


# --- the bundled instruments ---------------------------------------------------------


def test_the_bundled_instruments_load_with_their_shapes(db: None) -> None:
    results = load_bundled_instruments()
    assert sorted((r.instrument.code, r.instrument.version, r.state) for r in results) == [
        ("permenpanrb-5-2018", 1, "created"),
        ("permenpanrb-59-2020", 1, "created"),
        ("permenpanrb-8-2026", 1, "created"),
        ("permenpanrb-8-2026", 2, "created"),
    ]
    by_code = {(r.instrument.code, r.instrument.version): r.instrument for r in results}
    by_code.update({code: i for (code, version), i in by_code.items() if version == 1})
    pemdi = by_code[("permenpanrb-8-2026", 2)]
    assert tree_counts(by_code["permenpanrb-59-2020"]) == (4, 8, 47, 235, 497)
    assert tree_counts(by_code["permenpanrb-5-2018"])[:3] == (3, 7, 35)
    assert tree_counts(by_code["permenpanrb-8-2026"])[:3] == (0, 7, 20)
    assert not by_code["permenpanrb-8-2026"].has_domains
    assert by_code["permenpanrb-8-2026"].status == "unverified"
    # The draft stays for the periods that used it, marked superseded by the verified 8/2026.
    by_code["permenpanrb-8-2026"].refresh_from_db()
    assert by_code["permenpanrb-8-2026"].superseded_by == pemdi
    assert (pemdi.status, pemdi.value_scale, pemdi.rounding) == (
        "verified_secondary",
        "decimal",
        "half_even",
    )
    assert tree_counts(pemdi)[:3] == (0, 7, 20)
    assert pemdi.applies_from_year == 2026 and pemdi.superseded_by is None
    external = Indicator.objects.filter(instrument=pemdi, external_default__isnull=False)
    assert sorted(external.values_list("code", flat=True)) == ["IK18", "IK5", "IK6", "IK7"]
    assert {str(d) for d in external.values_list("external_default", flat=True)} == {"1.00"}
    first = pemdi.indicators.get(code="IK1").levels.get(level=1)
    assert (first.name, first.name_alt) == ("Merintis", "Rintisan")
    assert Indicator.objects.get(instrument=by_code["permenpanrb-5-2018"], number=35).slots == 3
    assert list(
        Indicator.objects.filter(
            instrument=by_code["permenpanrb-59-2020"], requires_service_name=True
        ).values_list("number", flat=True)
    ) == [45, 46, 47]
    assert {r.state for r in load_bundled_instruments()} == {"unchanged"}


def test_one_bad_file_among_several_loads_none_of_them(db: None) -> None:
    bad = DATA / "instruments_bad" / "band_gap.yaml"
    with pytest.raises(InstrumentFormatError) as excinfo:
        load_instrument_files([*bundled_files(), MINI_PATH, bad])
    assert excinfo.value.errors == [
        "band_gap.yaml: predicates: the bands leave a gap or overlap between 2.5 and 2.6"
    ]
    assert nothing_loaded()


def test_an_unreadable_file_is_a_fault_too(db: None, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(MINI.replace("Mini", "Míni").encode("latin-1"))
    with pytest.raises(InstrumentFormatError) as excinfo:
        load_instrument_files([MINI_PATH, latin1, tmp_path / "missing.yaml"])
    assert excinfo.value.errors[0] == "latin1.yaml: The file is not UTF-8 text."
    assert "missing.yaml" in excinfo.value.errors[1]
    assert nothing_loaded()


# --- the command -------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_instruments", *args, stdout=out)
    return out.getvalue()


def test_the_command_loads_the_bundled_instruments_and_says_what_it_did(db: None) -> None:
    first = run()
    assert "permenpanrb-59-2020.yaml: PermenPANRB 59/2020 (v1) created" in first
    assert first.count(" created") == 4
    assert run().count(" unchanged") == 4


def test_the_command_loads_a_file_for_an_agency(agency) -> None:
    assert "mini.yaml: Mini (v1) created" in run(str(MINI_PATH), "--agency", agency.slug)
    assert Instrument.objects.get().agency == agency


def test_the_command_refuses_an_unknown_agency(db: None) -> None:
    with pytest.raises(CommandError, match="Unknown agency: nowhere"):
        run(str(MINI_PATH), "--agency", "nowhere")
    assert nothing_loaded()


def test_the_command_loads_nothing_when_a_file_is_bad_and_lists_the_faults(db: None) -> None:
    bad = DATA / "instruments_bad" / "many_faults.yaml"
    with pytest.raises(CommandError) as excinfo:
        run(str(MINI_PATH), str(bad))
    message = str(excinfo.value)
    assert message.startswith("Nothing was loaded")
    assert "many_faults.yaml: domains[1].aspects[0]: the aspect weight 60" in message
    assert "many_faults.yaml: predicates: the bands leave a gap" in message
    assert nothing_loaded()


def test_the_command_refuses_a_change_to_a_used_version(agency, tmp_path: Path) -> None:
    loaded = load_instrument(text=MINI).instrument
    Period.objects.create(agency=agency, year=2025, instrument=loaded)
    changed = tmp_path / "mini.yaml"
    changed.write_text(MINI.replace("title: Instrumen Mini", "title: Lain"), encoding="utf-8")
    with pytest.raises(CommandError, match="used by the periods 2025"):
        run(str(MINI_PATH.parent.parent / "instruments_good" / "mini.yaml"), str(changed))
    assert Instrument.objects.get().title == "Instrumen Mini"
