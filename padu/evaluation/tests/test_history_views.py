"""History pages: permission cases first (anonymous, another agency, read-only, writer)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation.models import Assessment, Instrument, Peer, Period, PublishedResult
from padu.evaluation.tests.factories import make_instrument

PERIOD_PAGES = ["evaluation:external_import", "evaluation:external_template"]
AGENCY_PAGES = [
    "evaluation:history",
    "evaluation:history_compare",
    "evaluation:history_peers",
    "evaluation:published_import",
    "evaluation:published_template",
]


def url(name: str, period: Period | None = None) -> str:
    return reverse(name, args=[period.pk] if name in PERIOD_PAGES and period else [])


@pytest.fixture
def earlier(agency, instrument, units) -> Period:  # type: ignore[no-untyped-def]
    """2025 on the same instrument, with levels on every series."""
    p = Period.objects.create(
        agency=agency, year=2025, instrument=instrument, status="closed", external_index="2.40"
    )
    for ind in instrument.indicators.all():
        Assessment.objects.create(
            period=p, indicator=ind, claimed_level=3, validated_level=2, external_level=2
        )
    return p


@pytest.fixture
def national(db) -> None:  # type: ignore[no-untyped-def]
    PublishedResult.objects.create(year=2025, index=Decimal("3.05"), agency_name="Nasional")
    PublishedResult.objects.create(year=2024, index=Decimal("3.12"), agency_name="Nasional")


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")


# --- permissions -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PERIOD_PAGES, *AGENCY_PAGES])
def test_anonymous_is_sent_to_login(client: Client, period, name: str) -> None:
    response = client.get(url(name, period))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERIOD_PAGES)
def test_another_agency_gets_404_for_a_period(client: Client, period, outsider, name) -> None:
    client.force_login(outsider)
    assert client.get(url(name, period)).status_code == 404
    assert client.post(url(name, period)).status_code in (404, 405)


def test_another_agency_cannot_compare_our_periods(client: Client, period, earlier, outsider):
    client.force_login(outsider)
    response = client.get(reverse("evaluation:history_compare"), {"a": earlier.pk, "b": period.pk})
    assert response.status_code == 404


def test_another_agency_sees_only_its_own_history(
    client: Client, period, other_period, outsider
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("evaluation:history"))
    assert response.status_code == 200
    assert [r.period for r in response.context["history"].rows if r.period] == [other_period]


def test_village_operator_may_not_open_the_history(client: Client, village_operator) -> None:
    client.force_login(village_operator)
    assert client.get(reverse("evaluation:history")).status_code == 403


@pytest.mark.parametrize("name", ["evaluation:external_import", "evaluation:published_import"])
def test_read_only_viewer_may_not_import(client: Client, period, viewer, name: str) -> None:
    client.force_login(viewer)
    assert client.get(url(name, period)).status_code == 403
    data = {"file": csv_upload("indikator,tingkat\n1,2\n"), "action": "apply"}
    assert client.post(url(name, period), data).status_code == 403
    assert not Assessment.objects.filter(external_level__isnull=False).exists()


def test_read_only_viewer_reads_history_but_may_not_change_peers(
    client: Client, period, viewer, regions
) -> None:
    client.force_login(viewer)
    for name in ["evaluation:history", "evaluation:history_compare", "evaluation:history_peers"]:
        assert client.get(reverse(name)).status_code == 200
    response = client.post(reverse("evaluation:history_peers"), {"region": "74.05"})
    assert response.status_code == 403
    assert not Peer.objects.exists()


@pytest.mark.parametrize("name", [*PERIOD_PAGES, *AGENCY_PAGES])
def test_coordinator_opens_every_page(client: Client, period, coordinator, name: str) -> None:
    client.force_login(coordinator)
    assert client.get(url(name, period)).status_code == 200


# --- history -----------------------------------------------------------------------------


def test_history_shows_each_period_and_the_national_average(
    client: Client, period, earlier, national, coordinator
) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:history"))
    rows = {r.year: r for r in response.context["history"].rows}
    assert sorted(rows) == [2024, 2025, 2026]
    assert rows[2024].period is None and rows[2024].national == Decimal("3.12")
    assert rows[2025].national == Decimal("3.05")
    # indicator weights 60/40, external levels 2/2: 2.00; the published 2.40 wins
    assert rows[2025].indices["external"] == Decimal("2.40")
    assert rows[2025].indices["self"] == Decimal("3.00")
    assert rows[2025].domains == {"Domain": Decimal("2.00")}
    body = response.content.decode()
    assert 'data-testid="index-chart"' in body and '<path d="M' in body
    assert "3,12" in body or "3.12" in body


def test_history_exports_csv(client: Client, earlier, national, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:history"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Tahun,Indeks,Instrumen,")
    assert lines[2].startswith("2025,SPBE,Mini,3.00,2.00,2.40,,3.05")


def test_peers_are_added_searched_and_removed(
    client: Client, coordinator, agency, regions, national
) -> None:
    client.force_login(coordinator)
    found = client.get(reverse("evaluation:history_peers"), {"q": "konawe selatan"})
    assert [code for code, _name in found.context["found"]] == ["74.05"]
    response = client.post(reverse("evaluation:history_peers"), {"region": "74.05"})
    assert response.status_code == 302
    assert list(Peer.objects.values_list("agency_id", "region_id")) == [(agency.pk, "74.05")]
    PublishedResult.objects.create(year=2024, region_id="74.05", index=Decimal("3.68"))
    history = client.get(reverse("evaluation:history")).context["history"]
    assert history.peers == [("74.05", "Kabupaten Konawe Selatan")]
    assert history.rows[0].peers == {"74.05": Decimal("3.68")}
    client.post(reverse("evaluation:history_peers"), {"region": "74.05", "action": "remove"})
    assert not Peer.objects.exists()
    assert AuditEvent.objects.filter(object_type="evaluation.peer").count() == 2


def test_a_region_outside_the_loaded_provinces_is_found_and_added(
    client: Client, coordinator, regions
) -> None:
    client.force_login(coordinator)
    found = client.get(reverse("evaluation:history_peers"), {"q": "sumedang"})
    assert found.context["found"] == [("32.11", "Kabupaten Sumedang")]
    client.post(reverse("evaluation:history_peers"), {"region": "32.11"})
    assert list(Peer.objects.values_list("region_id", "region__parent_id")) == [("32.11", "32")]


def test_a_kecamatan_or_unknown_code_is_not_a_peer(client: Client, coordinator, regions):
    client.force_login(coordinator)
    client.post(reverse("evaluation:history_peers"), {"region": "74.71.01"})
    client.post(reverse("evaluation:history_peers"), {"region": "nope"})
    assert not Peer.objects.exists()


# --- compare -----------------------------------------------------------------------------


def test_compare_table_shows_level_deltas_per_series(
    client: Client, period, earlier, coordinator
) -> None:
    Assessment.objects.filter(period=period, indicator__number=1).update(
        claimed_level=4, validated_level=3
    )
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:history_compare"), {"a": earlier.pk, "b": period.pk})
    comparison = response.context["comparison"]
    assert comparison.same_instrument
    first = comparison.rows[0]
    assert [(c.key, c.a, c.b, c.delta) for c in first.cells] == [
        ("self", 3, 4, 1),
        ("validated", 2, 3, 1),
        ("external", 2, None, None),
    ]
    assert "+1" in response.content.decode()


def test_compare_across_instruments_matches_by_name_and_flags_the_rest(
    client: Client, agency, earlier, coordinator
) -> None:
    tiny: Instrument = make_instrument(code="lain")
    later = Period.objects.create(agency=agency, year=2026, instrument=tiny)
    for ind in tiny.indicators.all():
        for slot in range(1, ind.slots + 1):
            Assessment.objects.create(period=later, indicator=ind, slot=slot, claimed_level=5)
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:history_compare"), {"a": earlier.pk, "b": later.pk})
    comparison = response.context["comparison"]
    assert not comparison.same_instrument
    by_label = {(r.a.label if r.a else None, r.b.label if r.b else None) for r in comparison.rows}
    assert ("1. Indikator 1", "1. Indikator 1") in by_label
    assert (None, "3. Indikator 3") in by_label
    assert comparison.unmatched == 1
    assert "no counterpart" in response.content.decode() or "padanan" in response.content.decode()


# --- imports through the pages -------------------------------------------------------------


def test_coordinator_checks_then_imports_external_results(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    target = reverse("evaluation:external_import", args=[period.pk])
    text = "tahun,indikator,tingkat\n2026,1,3\n2026,2,4\n"
    check = client.post(target, {"file": csv_upload(text), "action": "check"})
    assert check.status_code == 200
    assert len(check.context["preview"].changes) == 2
    assert not Assessment.objects.filter(external_level__isnull=False).exists()
    applied = client.post(target, {"file": csv_upload(text), "action": "apply"})
    assert applied.status_code == 302
    assert set(Assessment.objects.values_list("external_level", flat=True)) == {3, 4}


def test_a_bad_external_file_shows_a_row_report_and_applies_nothing(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    target = reverse("evaluation:external_import", args=[period.pk])
    text = "tahun,indikator,tingkat\n2026,1,3\n2025,2,4\n2026,9,1\n"
    response = client.post(target, {"file": csv_upload(text), "action": "apply"})
    assert response.status_code == 200
    assert [p.line for p in response.context["preview"].problems] == [3, 4]
    assert 'data-testid="import-errors"' in response.content.decode()
    assert not Assessment.objects.filter(external_level__isnull=False).exists()


def test_the_template_lists_the_period_indicators(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:external_template", args=[period.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "tahun,indikator,slot,nama,tingkat",
        "2026,1,1,Indikator 1,",
        "2026,2,1,Indikator 2,",
    ]
    xlsx = client.get(reverse("evaluation:external_template", args=[period.pk]), {"format": "xlsx"})
    assert xlsx.content[:4] == b"PK\x03\x04"


def test_coordinator_imports_published_results(client: Client, coordinator, regions) -> None:
    client.force_login(coordinator)
    text = "tahun,kode wilayah,nama,indeks\n2023,nasional,,2.79\n2023,74,Sultra,2.59\n"
    response = client.post(
        reverse("evaluation:published_import"), {"file": csv_upload(text), "action": "apply"}
    )
    assert response.status_code == 302
    assert PublishedResult.objects.count() == 2
