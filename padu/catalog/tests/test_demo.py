"""The demo register of Kota Kendari: about 60 applications, idempotent, a flagged proposal, the
agency codes at the national reference's levels and the 2025-2029 roadmap."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from padu.accounts.models import User
from padu.catalog.architecture import level_of
from padu.catalog.choices import InitiativeStatus
from padu.catalog.demo import seed_catalog
from padu.catalog.models import (
    Application,
    Initiative,
    Integration,
    Proposal,
    ReferenceCode,
    Service,
)
from padu.catalog.reference_loader import DEFAULT_FILE
from padu.catalog.services_roadmap import current_indicators
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
    tables = (Application, Integration, Service, Initiative, ReferenceCode)
    counts = [m.objects.count() for m in tables]
    seed_catalog(kendari, {})
    assert counts == [m.objects.count() for m in tables]


def test_agency_codes_are_one_level_under_a_national_code_and_never_reuse_its_number(
    kendari,
) -> None:
    ours = ReferenceCode.objects.filter(agency=kendari).select_related("parent")
    assert ours.count() == 11
    # Loaded national codes, and the level-3 codes the reference file lists as probably national
    # (`selected_level_3`, not loaded): RAL.02.04.01 there is not "Manajemen data ASN".
    reference = yaml.safe_load(DEFAULT_FILE.read_text("utf-8"))["references"]["RAL"]
    national = set(ReferenceCode.objects.filter(agency__isnull=True).values_list("code", flat=True))
    national |= {item["code"] for item in reference["selected_level_3"]}
    assert "RAL.02.04.01" in national
    for code in ours:
        # The national reference's convention: RAL.02 level 1, RAL.02.04 level 2, and so on.
        assert code.level == level_of(code.code) == 3, code.code
        assert code.parent.level == 2 and code.code.startswith(code.parent.code + ".")
        assert code.code not in national


def test_an_older_demo_code_level_is_corrected(kendari) -> None:
    code = ReferenceCode.objects.get(agency=kendari, code="RAL.02.04.11")
    ReferenceCode.objects.filter(pk=code.pk).update(level=4)  # dots + 1, as seeded before
    seed_catalog(kendari, {})
    code.refresh_from_db()
    assert code.level == 3


def test_the_roadmap_spans_2025_to_2029_with_owners_indicators_applications_and_progress(
    kendari,
) -> None:
    items = list(
        Initiative.objects.filter(agency=kendari).prefetch_related("indicators", "applications")
    )
    assert len(items) >= 10
    assert min(i.start_year for i in items) == 2025 and max(i.end_year for i in items) == 2029
    allowed = set(current_indicators(kendari))
    for item in items:
        assert item.owner_unit.agency_id == kendari.pk
        assert item.indicators.all() and set(item.indicators.all()) <= allowed, item.title
        assert all(a.agency_id == kendari.pk for a in item.applications.all())
        assert (item.progress == 100) == (item.status == InitiativeStatus.DONE), item.title
    assert sum(1 for i in items if i.applications.all()) >= len(items) - 2
    assert {i.status for i in items} == set(InitiativeStatus.values)
    assert len({i.owner_unit_id for i in items}) >= 5


def test_the_timeline_page_shows_the_demo_roadmap(client: Client, kendari) -> None:
    client.force_login(User.objects.get(username="koordinator"))
    response = client.get(reverse("catalog:roadmap"), {"from": "2025"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == Initiative.objects.filter(agency=kendari).count()
    sso = next(r for r in rows if r.initiative.title == "Single sign-on untuk aplikasi internal")
    assert sso.cells == [True, True, True, False, False]
    body = response.content.decode()
    assert "SIASN" in body and "45%" in body
