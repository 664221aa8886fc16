"""The public dataset page shows release times in the publishing agency's zone (Kota Kendari:
WITA), with the zone's name, whoever reads it (an anonymous visitor has no agency zone)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.databank.models import Release
from padu.databank.views.publishing import zone_abbreviation

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


@pytest.mark.parametrize(
    ("zone", "abbr"),
    [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")],
)
def test_indonesian_zones_have_their_own_names(zone: str, abbr: str) -> None:
    assert zone_abbreviation(zone) == abbr
    assert zone_abbreviation("Europe/Amsterdam") == "Europe/Amsterdam"


def test_public_dataset_shows_release_time_in_the_agency_zone(
    client: Client, release: Release
) -> None:
    # 16:30 UTC on 31 March: 23:30 WIB, but already 00:30 on 1 April in Kendari (WITA)
    moment = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC)
    Release.objects.filter(pk=release.pk).update(published_at=moment)
    url = reverse("databank:public_dataset", args=["kota-kendari", "KEPENDUDUKAN"])
    with translation.override("en"):
        page = client.get(url).content.decode()
    assert page.count("1 Apr 2026 00:30 WITA") == 2  # the latest release and the history
    assert "31 Mar 2026" not in page
    assert 'datetime="2026-03-31T16:30:00+00:00"' in page
