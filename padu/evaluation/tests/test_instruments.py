"""Instrument files: the bundled ones, a corpus of broken files, loading, and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.evaluation.instrument_format import InstrumentFormatError, parse_instrument
from padu.evaluation.instrument_loader import BUNDLED_DIR, load_bundled_instruments, load_instrument
from padu.evaluation.models import Criterion, Indicator, Instrument, Period


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def bundled(name: str) -> str:
    return (BUNDLED_DIR / f"{name}.yaml").read_text(encoding="utf-8")


MINI = """format: padu-instrument/1
instrument:
  code: mini
  version: 1
  title: Mini
  status: verified
  min_level: 1
  max_level: 5
  divisor: 100
  predicates:
  - {name: Kurang, min: 1.0, max: 2.5, max_inclusive: false}
  - {name: Baik, min: 2.5, max: 5.0, max_inclusive: true}
  domains:
  - code: D1
    id: Domain
    weight: 100
    aspects:
    - code: A1
      id: Aspek
      weight: 100
      indicators:
      - {number: 1, id: Satu, weight: 60, type: policy}
      - number: 2
        id: Dua
        weight: 40
        type: service
        levels:
          1: {id: Informasi, criteria_id: [ada situs]}
          2: {id: Interaksi, criteria_id: [unggah]}
          3: {id: Transaksi}
          4: {id: Kolaborasi}
          5: {id: Optimum}
"""


def test_59_2020_has_4_domains_8_aspects_47_indicators_weights_100_and_its_bands() -> None:
    spec = parse_instrument(bundled("permenpanrb-59-2020"))
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (4, 8, 47)
    assert sum(i.weight * i.slots for i in spec.indicators) == 100
    assert sorted(Decimal(b["min"]) for b in spec.predicates) == [
        Decimal(x) for x in ("1.0", "1.8", "2.6", "3.5", "4.2")
    ]
    assert all(len(i.levels) == 5 for i in spec.indicators)
    assert [i.requires_service_name for i in spec.indicators if i.number >= 45] == [
        True,
        True,
        True,
    ]


def test_5_2018_has_35_indicators_and_weights_99_8_with_three_service_slots() -> None:
    spec = parse_instrument(bundled("permenpanrb-5-2018"))
    assert len(spec.indicators) == 35
    assert sum(i.weight * i.slots for i in spec.indicators) == Decimal("99.8")
    assert spec.divisor == Decimal("99.8")
    assert next(i for i in spec.indicators if i.number == 35).slots == 3


def test_pemdi_draft_has_no_domains_and_is_unverified() -> None:
    spec = parse_instrument(bundled("pemdi-permenpanrb-8-2026-draft"))
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (0, 7, 20)
    assert spec.status == "unverified"
    assert sorted(Decimal(b["min"]) for b in spec.predicates) == [
        Decimal(x) for x in ("1.0", "1.5", "2.5", "3.5", "4.0")
    ]


BAD = [
    (
        "weights",
        MINI.replace("weight: 60", "weight: 61"),
        "aspects[0]: the aspect weight 100 is not the sum",
    ),
    (
        "repeated number",
        MINI.replace("number: 2", "number: 1"),
        "indicator number 1 appears more than once",
    ),
    (
        "level 6",
        MINI.replace("5: {id: Optimum}", "6: {id: Optimum}"),
        "levels must be exactly 1 to 5",
    ),
    (
        "level 0",
        MINI.replace("1: {id: Informasi", "0: {id: Informasi"),
        "levels must be exactly 1 to 5",
    ),
    (
        "band gap",
        MINI.replace("min: 2.5, max: 5.0", "min: 2.6, max: 5.0"),
        "gap or overlap between 2.5 and 2.6",
    ),
    ("yaml syntax", MINI.replace("  code: mini", "  code: [mini"), "the file is not valid YAML"),
    (
        "missing key",
        MINI.replace("      - {number: 1, id: Satu,", "      - {number: 1,"),
        "(number 1): the key 'id' is missing",
    ),
    (
        "divisor",
        MINI.replace("divisor: 100", "divisor: 99.8"),
        "the weights add up to 100, not to the divisor 99.8",
    ),
    (
        "evidence type",
        MINI.replace(
            "{id: Interaksi, criteria_id: [unggah]}", "{id: Interaksi, evidence_types: [foto]}"
        ),
        "unknown evidence type 'foto'",
    ),
    (
        "format",
        MINI.replace("padu-instrument/1", "lain/2"),
        "must start with 'format: padu-instrument/1'",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), BAD, ids=[b[0] for b in BAD])
def test_broken_files_are_refused_naming_the_place_and_load_nothing(
    db: None, case: str, text: str, message: str
) -> None:
    with pytest.raises(InstrumentFormatError) as excinfo:
        load_instrument(text=text)
    assert any(message in e for e in excinfo.value.errors), excinfo.value.errors
    assert not Instrument.objects.exists()


def test_loading_creates_the_tree_in_bulk_and_is_idempotent(db: None) -> None:
    first = load_instrument(text=MINI)
    assert first.created
    assert Indicator.objects.filter(instrument=first.instrument).count() == 2
    assert Criterion.objects.filter(level__indicator__instrument=first.instrument).count() == 2
    again = load_instrument(text=MINI)
    assert not again.created and again.instrument.pk == first.instrument.pk


def test_a_version_used_by_a_period_cannot_change(agency) -> None:
    loaded = load_instrument(text=MINI).instrument
    Period.objects.create(agency=agency, year=2026, instrument=loaded)
    with pytest.raises(Exception, match="raise the version number"):
        load_instrument(text=MINI.replace("title: Mini", "title: Mini baru"))
    assert load_instrument(text=MINI.replace("version: 1", "version: 2")).created


def test_bundled_instruments_load_and_the_command_refuses_a_bad_file(db: None, tmp_path) -> None:
    results = load_bundled_instruments()
    assert {r.instrument.code for r in results} == {
        "permenpanrb-59-2020",
        "permenpanrb-5-2018",
        "permenpanrb-8-2026",
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.replace("weight: 60", "weight: 61"))
    with pytest.raises(CommandError, match="aspect weight"):
        call_command("load_instruments", str(bad))
    assert not Instrument.objects.filter(code="mini").exists()


def test_pages_permission_cases(
    client: Client, agency, other_agency, viewer, outsider, coordinator
) -> None:
    own = load_instrument(text=MINI, agency=other_agency).instrument
    assert client.get(reverse("evaluation:instrument_list")).status_code == 302
    client.force_login(viewer)
    assert client.get(reverse("evaluation:instrument_list")).status_code == 200
    assert client.get(reverse("evaluation:instrument_detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("evaluation:instrument_upload")).status_code == 403
    client.force_login(outsider)
    assert (
        client.get(reverse("evaluation:instrument_detail", args=[own.pk])).status_code == 200
    )  # the owning agency sees its own variant
    client.force_login(coordinator)
    bad = SimpleUploadedFile("provinsi.yaml", MINI.replace("weight: 60", "weight: 61").encode())
    response = client.post(reverse("evaluation:instrument_upload"), {"file": bad})
    assert response.status_code == 400
    assert any("bobot aspek" in f for f in response.context["faults"])
    good = SimpleUploadedFile("provinsi.yaml", MINI.encode())
    response = client.post(reverse("evaluation:instrument_upload"), {"file": good})
    mine = Instrument.objects.get(agency=agency)
    assert response.url == reverse("evaluation:instrument_detail", args=[mine.pk])
    assert client.get(response.url).status_code == 200
