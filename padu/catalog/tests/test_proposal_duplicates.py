"""The duplicate check also compares a proposal with the agency's other open proposals: two
drafts of the same request (the create form sent twice) flag each other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from padu.catalog import services_proposals as services
from padu.catalog.choices import ProposalStatus
from padu.catalog.duplicates import Index, Item
from padu.catalog.models import Proposal

from .planning_fixtures import t, world_fixture  # noqa: F401

TITLE = "Aplikasi Presensi Guru Online"
PROBLEM = "Presensi guru di sekolah masih dicatat manual di buku"


def test_the_matcher_flags_an_identical_proposal_among_the_candidates() -> None:
    index = Index(
        [
            Item(key="app:1", name="Pengaduan Warga", text="Laporan keluhan warga"),
            Item(key="proposal:7", name=TITLE, text=PROBLEM),
        ]
    )
    matches = index.check(Item(key="proposal:8", name=TITLE, text=PROBLEM))
    assert matches[0].key == "proposal:7"
    assert matches[0].flagged


def _draft(agency, unit, title: str = TITLE, **extra) -> Proposal:
    return Proposal.objects.create(
        agency=agency,
        unit=unit,
        title=title,
        problem=PROBLEM,
        budget_year=2027,
        budget_amount=Decimal(10_000_000),
        **extra,
    )


@pytest.mark.django_db
def test_two_drafts_of_the_same_request_flag_each_other(agency, units, world) -> None:
    first = _draft(agency, units["dinkes"])
    second = _draft(agency, units["dinkes"])
    for mine, other in ((first, second), (second, first)):
        candidates = services.duplicate_candidates(mine)
        keys = [c["key"] for c in candidates]
        assert f"proposal:{mine.pk}" not in keys  # never itself
        top = candidates[0]
        assert top["key"] == f"proposal:{other.pk}"
        assert top["flagged"] and top["proposal"] and top["proposal_id"] == other.pk
        assert (top["name"], top["unit"]) == (TITLE, units["dinkes"].name)


@pytest.mark.django_db
def test_withdrawn_proposals_and_other_opds_drafts_are_not_candidates(agency, units, world) -> None:
    mine = _draft(agency, units["dinkes"])
    withdrawn = _draft(agency, units["dinkes"], status=ProposalStatus.WITHDRAWN)
    foreign_draft = _draft(agency, units["disdik"])
    foreign_sent = _draft(agency, units["disdik"], status=ProposalStatus.SUBMITTED)
    keys = {c["key"] for c in services.duplicate_candidates(mine)}
    assert f"proposal:{withdrawn.pk}" not in keys
    assert f"proposal:{foreign_draft.pk}" not in keys  # a draft is its OPD's own until sent
    assert f"proposal:{foreign_sent.pk}" in keys


@pytest.mark.django_db
def test_the_page_labels_a_matching_proposal(client: Client, dinkes_admin, agency, units, world):
    first = _draft(agency, units["dinkes"])
    second = _draft(agency, units["dinkes"])
    client.force_login(dinkes_admin)
    page = client.get(reverse("catalog:proposal_detail", args=[second.pk]))
    top = page.context["candidates"][0]
    assert top["proposal_id"] == first.pk
    assert top["proposal_status_label"] == t("Draft")
    html = page.content.decode()
    assert 'data-testid="candidate-proposal"' in html
    assert reverse("catalog:proposal_detail", args=[first.pk]) in html


@pytest.mark.django_db
def test_sending_stores_the_matching_proposal_in_the_snapshot(dinkes_admin, agency, units, world):
    first = _draft(agency, units["dinkes"])
    second = _draft(agency, units["dinkes"])
    sent = services.submit_proposal(actor=dinkes_admin, proposal=second)
    assert sent.duplicate_check[0]["key"] == f"proposal:{first.pk}"
    assert sent.duplicate_check[0]["proposal"]
