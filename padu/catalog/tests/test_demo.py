"""The demo register of Kota Kendari: about 60 applications, idempotent, a flagged proposal."""

from __future__ import annotations

import pytest

from padu.catalog.demo import seed_catalog
from padu.catalog.models import Application, Integration, Proposal, Service
from padu.core.demo import seed_demo
from padu.organizations.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def kendari(regions) -> Agency:
    seed_demo()
    return Agency.objects.get(region__code="74.71")


def test_the_register_has_sixty_applications_with_national_ones_islands_and_a_flagged_proposal(
    kendari,
) -> None:
    seed_catalog(kendari, {})
    apps = Application.objects.filter(agency=kendari)
    assert apps.count() == 60
    assert {"SRIKANDI", "SIPD-RI", "SP4N-LAPOR!"} <= set(apps.values_list("name", flat=True))
    assert apps.filter(national__isnull=False).count() >= 10
    connected = set(Integration.objects.values_list("provider_id", flat=True)) | set(
        Integration.objects.values_list("consumer_id", flat=True)
    )
    islands = apps.exclude(pk__in=connected)
    assert islands.count() >= 10
    assert Service.objects.filter(agency=kendari).count() == 10
    proposal = Proposal.objects.get(agency=kendari)
    flagged = [m for m in proposal.duplicate_check if m["flagged"]]
    presensi = Application.objects.get(agency=kendari, acronym="EPRESENSI")
    assert f"app:{presensi.pk}" in {m["key"] for m in flagged}


def test_seeding_twice_changes_nothing(kendari) -> None:
    seed_catalog(kendari, {})
    counts = (Application.objects.count(), Integration.objects.count(), Service.objects.count())
    seed_catalog(kendari, {})
    assert counts == (
        Application.objects.count(),
        Integration.objects.count(),
        Service.objects.count(),
    )
