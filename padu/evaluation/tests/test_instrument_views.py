"""Instrument pages: permission cases first (anonymous, another agency, read-only, writer), then
the list, the tree, the download and the upload with its broken-file corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation.forms_instruments import MAX_INSTRUMENT_BYTES
from padu.evaluation.instrument_loader import load_bundled_instruments, load_instrument
from padu.evaluation.models import Indicator, Instrument, Period

DATA = Path(__file__).resolve().parent / "data"
MINI = (DATA / "instruments_good" / "mini.yaml").read_text(encoding="utf-8")
BAD = sorted((DATA / "instruments_bad").glob("*.yaml"))
LIST = reverse("evaluation:instrument_list")
UPLOAD = reverse("evaluation:instrument_upload")


def detail(instrument: Instrument) -> str:
    return reverse("evaluation:instrument_detail", args=[instrument.pk])


def download(instrument: Instrument) -> str:
    return reverse("evaluation:instrument_download", args=[instrument.pk])


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/x-yaml")


@pytest.fixture
def national(db: None) -> Instrument:
    return load_instrument(text=MINI).instrument


@pytest.fixture
def kendari_variant(agency) -> Instrument:
    text = MINI.replace("title: Instrumen Mini", "title: Varian Kendari")
    return load_instrument(text=text, agency=agency).instrument


# --- permission cases ----------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client: Client, national: Instrument) -> None:
    for url in (LIST, detail(national), download(national), UPLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    response = client.post(UPLOAD, {"file": upload_file("x.yaml", MINI.encode())})
    assert response.status_code == 302
    assert not Instrument.objects.exclude(pk=national.pk).exists()


def test_another_agency_cannot_see_this_agency_s_variant(
    client: Client, outsider, national: Instrument, kendari_variant: Instrument
) -> None:
    client.force_login(outsider)
    assert client.get(detail(kendari_variant)).status_code == 404
    assert client.get(download(kendari_variant)).status_code == 404
    page = client.get(LIST)
    assert page.status_code == 200
    assert list(page.context["instruments"]) == [national]  # national only, not Kendari's own
    assert client.get(detail(national)).status_code == 200


def test_a_read_only_member_sees_the_instruments_but_cannot_load_one(
    client: Client, viewer, national: Instrument, kendari_variant: Instrument
) -> None:
    client.force_login(viewer)
    page = client.get(LIST)
    assert page.status_code == 200 and not page.context["can_upload"]
    assert UPLOAD not in page.content.decode()
    assert client.get(detail(kendari_variant)).status_code == 200
    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"file": upload_file("x.yaml", MINI.encode())})
    assert response.status_code == 403
    assert Instrument.objects.count() == 2


def test_a_unit_admin_may_read_but_not_load(client: Client, dinkes_admin, national) -> None:
    client.force_login(dinkes_admin)
    assert client.get(LIST).status_code == 200
    assert client.get(UPLOAD).status_code == 403


def test_members_outside_the_evaluation_are_refused(
    client: Client, village_operator, national: Instrument
) -> None:
    client.force_login(village_operator)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(national)).status_code == 403


def test_the_koordinator_loads_the_agency_s_own_instrument(
    client: Client, coordinator, agency
) -> None:
    client.force_login(coordinator)
    form = client.get(UPLOAD)
    assert form.status_code == 200 and 'accept=".yaml,.yml"' in form.content.decode()
    response = client.post(UPLOAD, {"file": upload_file("provinsi.yaml", MINI.encode())})
    mine = Instrument.objects.get(agency=agency)
    assert response.status_code == 302 and response.url == detail(mine)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Instrumen telah dimuat."]
    assert Indicator.objects.filter(instrument=mine).count() == 3
    event = AuditEvent.objects.get(object_type="evaluation.instrument")
    assert (event.actor, event.agency, event.action) == (coordinator, agency, "create")
    assert client.get(response.url).status_code == 200


# --- the list and the tree ----------------------------------------------------------------


def test_the_list_shows_national_and_own_instruments_with_their_status(
    client: Client, viewer, kendari_variant: Instrument
) -> None:
    load_bundled_instruments()
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST)
    # session, user, memberships, unread notifications, instruments with their counts
    assert len(queries) <= 5, [q["sql"][:80] for q in queries]
    html = page.content.decode()
    rows = list(page.context["instruments"])
    assert [r.agency_id for r in rows] == [None, None, None, None, kendari_variant.agency_id]
    assert {r.short_title: r.indicator_count for r in rows} == {
        "PermenPANRB 59/2020": 47,
        "PermenPANRB 5/2018": 35,
        "Pemdi 2026 (draf)": 20,
        "PermenPANRB 8/2026 (Pemdi)": 20,
        "Mini": 3,
    }
    assert html.count('data-testid="unverified"') == 1
    assert html.count('data-testid="superseded"') == 1  # the draft, by the verified 8/2026
    assert "Belum terverifikasi: jangan dipakai untuk penilaian resmi" in html
    assert "Terverifikasi" in html and "Historis" in html and "Nasional" in html
    assert "Pemerintah Kota Kendari" in html


def test_the_tree_shows_domains_aspects_indicators_levels_and_criteria(
    client: Client, viewer
) -> None:
    load_bundled_instruments()
    spbe = Instrument.objects.get(code="permenpanrb-59-2020")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(detail(spbe))
    assert page.status_code == 200
    # session, user, memberships, notifications, instrument, aspects, indicators, levels, criteria
    assert len(queries) <= 9, [q["sql"][:80] for q in queries]
    groups = page.context["groups"]
    assert [g.domain.code for g in groups] == ["D1", "D2", "D3", "D4"]
    assert [a.code for g in groups for a in g.aspects] == [f"A{n}" for n in range(1, 9)]
    assert (page.context["aspect_count"], page.context["indicator_count"]) == (8, 47)
    html = page.content.decode()
    assert html.count('<details class="level-block" data-testid="indicator-') == 47
    assert "Kebijakan Internal SPBE" in html and "Rintisan" in html
    assert "Rancangan kebijakan Arsitektur SPBE" in html  # a level-1 criterion of indicator 1
    assert "Tingkat 1 · Rintisan" in html  # level names, in Indonesian
    assert '<span class="tag">Notulen/berita acara</span>' in html  # evidence kinds by label
    assert re.search(r"Pemerintah Daerah · bobot 1,3\s", html)  # indicator 1, decimal comma
    assert "(bobot 45,5)" in html and "(bobot 27,5)" in html


def test_the_pemdi_draft_is_marked_unverified_and_has_no_domains(client: Client, viewer) -> None:
    load_bundled_instruments()
    pemdi = Instrument.objects.get(code="permenpanrb-8-2026", version=1)
    client.force_login(viewer)
    page = client.get(detail(pemdi))
    html = page.content.decode()
    assert 'role="alert" data-testid="unverified"' in html
    assert "Belum terverifikasi: jangan dipakai untuk penilaian resmi" in html
    assert 'data-testid="superseded"' in html
    assert [g.domain for g in page.context["groups"]] == [None]
    assert page.context["indicator_count"] == 20 and "IK20." in html


def test_pemdi_8_2026_shows_its_status_both_level_names_and_external_indices(
    client: Client, viewer
) -> None:
    load_bundled_instruments()
    pemdi = Instrument.objects.get(code="permenpanrb-8-2026", version=2)
    client.force_login(viewer)
    html = client.get(detail(pemdi)).content.decode()
    assert 'data-testid="unverified"' not in html and 'data-testid="superseded"' not in html
    assert "Terverifikasi dari sumber sekunder; cocokkan dengan Lampiran resmi" in html
    assert "Merintis" in html and "(Rintisan)" in html and "(Optimum)" in html
    assert html.count('data-testid="external-index"') == 4
    assert "EPSS" in html


def test_the_file_downloads_exactly_as_loaded(client: Client, viewer, national) -> None:
    client.force_login(viewer)
    response = client.get(download(national))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mini-v1.yaml"'
    assert response.content.decode("utf-8") == MINI


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_a_broken_upload_lists_its_faults_and_loads_nothing(
    client: Client, coordinator, path: Path
) -> None:
    client.force_login(coordinator)
    response = client.post(UPLOAD, {"file": upload_file(path.name, path.read_bytes())})
    assert response.status_code == 400
    faults = response.context["faults"]
    assert faults and 'data-testid="instrument-faults"' in response.content.decode()
    assert not Instrument.objects.exists()
    assert not AuditEvent.objects.filter(object_type="evaluation.instrument").exists()


def test_upload_faults_name_their_place_in_indonesian(client: Client, coordinator) -> None:
    client.force_login(coordinator)
    bad = (DATA / "instruments_bad" / "weights_aspect.yaml").read_bytes()
    response = client.post(UPLOAD, {"file": upload_file("provinsi.yml", bad)})
    assert response.context["faults"] == [
        "domains[1].aspects[0]: bobot aspek 60 tidak sama dengan jumlah bobot indikatornya 61"
    ]
    assert "Berkas tidak dimuat:" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("provinsi.txt", MINI.encode(), "Choose a .yaml or .yml file."),
        ("provinsi.yaml", MINI.encode("utf-16"), "The file is not UTF-8 text."),
        ("provinsi.yaml", b"format: padu-instrument/1\x00", "The file is not UTF-8 text."),
        ("provinsi.yaml", b"#" * (MAX_INSTRUMENT_BYTES + 1), "The file is larger than 2 MB."),
        ("provinsi.yaml", b"", "The submitted file is empty."),
    ],
    ids=["extension", "utf16", "nul", "size", "empty"],
)
def test_an_upload_of_the_wrong_kind_is_refused_beside_the_field(
    client: Client, coordinator, name: str, content: bytes, error: str
) -> None:
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"  # the user picked English
    response = client.post(UPLOAD, {"file": upload_file(name, content)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [error]
    assert 'id="id_file_error"' in response.content.decode()
    assert not Instrument.objects.exists()


def test_a_byte_order_mark_does_not_make_a_different_file(
    client: Client, coordinator, agency
) -> None:
    client.force_login(coordinator)
    client.post(UPLOAD, {"file": upload_file("a.yaml", MINI.encode())})
    response = client.post(UPLOAD, {"file": upload_file("a.yaml", MINI.encode("utf-8-sig"))})
    assert response.status_code == 302
    assert Instrument.objects.filter(agency=agency).count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Berkas instrumen ini sudah dimuat; tidak ada yang berubah."
    )


def test_a_changed_upload_for_a_version_in_use_is_refused_with_the_reason(
    client: Client, coordinator, agency, kendari_variant: Instrument
) -> None:
    Period.objects.create(agency=agency, year=2026, instrument=kendari_variant)
    client.force_login(coordinator)
    response = client.post(UPLOAD, {"file": upload_file("a.yaml", MINI.encode())})
    assert response.status_code == 400
    assert any("naikkan nomor versi" in f for f in response.context["faults"])
    kendari_variant.refresh_from_db()
    assert kendari_variant.title == "Varian Kendari"


def test_a_changed_upload_for_an_unused_version_replaces_it(
    client: Client, coordinator, agency, kendari_variant: Instrument
) -> None:
    client.force_login(coordinator)
    response = client.post(UPLOAD, {"file": upload_file("a.yaml", MINI.encode())})
    assert response.status_code == 302 and response.url == detail(kendari_variant)
    kendari_variant.refresh_from_db()
    assert kendari_variant.title == "Instrumen Mini"
