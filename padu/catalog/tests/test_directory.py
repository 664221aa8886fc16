"""The public service directory: anonymous, only public services, searchable, small, cached."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .register_helpers import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(agency, units, other_agency, other_unit):
    return {
        "ktp": make_service(agency, units["kec_kambu"], "Pembuatan KTP"),
        "imunisasi": make_service(
            agency, units["dinkes"], "Imunisasi Anak", description="Jadwal imunisasi di puskesmas"
        ),
        "hidden": make_service(agency, units["dinkes"], "Uji Internal", is_public=False),
        "admin": make_service(agency, units["dinkes"], "Cuti Pegawai", kind="administrasi"),
        "other": make_service(other_agency, other_unit, "Layanan Konsel"),
    }


def _names(response) -> list[str]:
    return [s.name for s in response.context["services"]]


def test_anonymous_sees_only_public_services_of_the_agency(
    client: Client, agency, services
) -> None:
    response = client.get(reverse("directory:agency", args=[agency.slug]))
    assert response.status_code == 200
    assert _names(response) == ["Imunisasi Anak", "Pembuatan KTP"]
    body = response.content.decode()
    assert "Kecamatan Kambu" in body and "https://ktp.example.go.id" in body
    assert "Fotokopi KK" in body and "SP4N-LAPOR!" in body


def test_search_is_server_side(client: Client, agency, services) -> None:
    url = reverse("directory:agency", args=[agency.slug])
    assert _names(client.get(url, {"q": "puskesmas"})) == ["Imunisasi Anak"]
    assert _names(client.get(url, {"q": "kambu"})) == ["Pembuatan KTP"]
    assert _names(client.get(url, {"q": "cuti"})) == []


def test_page_is_small_cacheable_and_has_no_script(client: Client, agency, services) -> None:
    response = client.get(reverse("directory:agency", args=[agency.slug]))
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert b"<script" not in response.content
    assert len(response.content) < 10_000
    assert "csrftoken" not in response.cookies


def test_query_count_is_pinned(client: Client, agency, units, django_assert_num_queries) -> None:
    for n in range(40):
        make_service(agency, units["dinkes" if n % 2 else "disdik"], f"Layanan {n:02d}")
    url = reverse("directory:agency", args=[agency.slug])
    with django_assert_num_queries(2):  # the agency, the services with their OPD
        response = client.get(url)
    assert len(response.context["services"]) == 40


def test_index_lists_agencies_with_public_services(client: Client, agency, services) -> None:
    response = client.get(reverse("directory:index"))
    assert response.status_code == 200
    counts = {a.slug: a.service_count for a in response.context["agencies"]}
    assert counts == {"kota-kendari": 2, "konawe-selatan": 1}


def test_unknown_agency_is_404(client: Client, services) -> None:
    assert client.get(reverse("directory:agency", args=["tidak-ada"])).status_code == 404
