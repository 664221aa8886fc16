"""The national portal: permission cases of the hand-off first, then the portal's statuses
(levels cumulative), the hand-off's names matching the bundle's, and its downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.accounts.choices import Role
from padu.evaluation import services_evidence as evidence_svc
from padu.evaluation.bundles import plan_entries
from padu.evaluation.choices import EvidenceKind, EvidenceReview
from padu.evaluation.models import Assessment, Evidence, EvidenceLink, Period
from padu.evaluation.portal import (
    PORTAL_ACCEPTED,
    PORTAL_AUTO_REJECTED,
    PORTAL_NOT_ASSESSED,
    PORTAL_REJECTED,
    PORTAL_REVISE,
    handoff_for,
    level_accepted,
    portal_status,
    portal_statuses,
)

from .factories import make_user
from .pemdi import make_pemdi_period

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
A, R, X, P = (
    EvidenceReview.ACCEPTED,
    EvidenceReview.REVISE,
    EvidenceReview.REJECTED,
    EvidenceReview.PENDING,
)


# --- fixtures --------------------------------------------------------------------


@pytest.fixture
def pemdi_period(agency, units) -> Period:
    return make_pemdi_period(agency, lead_unit=units["dinkes"])


def ik(period: Period, number: int) -> Assessment:
    return period.assessments.select_related("indicator", "period__instrument").get(
        indicator__number=number
    )


def attach(
    a: Assessment, actor: Any, unit: Any, level: int, name: str, review: str = P, **kw: Any
) -> Evidence:
    if "url" in kw:
        evidence = Evidence.objects.create(
            agency=unit.agency,
            owner_unit=unit,
            title=name,
            kind=EvidenceKind.APP_LINK,
            url=kw["url"],
        )
    else:
        evidence = evidence_svc.create_evidence(
            actor=actor,
            agency=unit.agency,
            owner_unit=unit,
            title=name,
            kind=EvidenceKind.REPORT,
            upload=SimpleUploadedFile(name, PDF),
        )
    Evidence.objects.filter(pk=evidence.pk).update(review_status=review)
    EvidenceLink.objects.create(assessment=a, evidence=evidence, level=level)
    return evidence


@pytest.fixture
def ik7(pemdi_period, coordinator, units) -> Assessment:
    """IK7 with accepted level-1 evidence, three level-2 items (one a link), and level 3."""
    a = ik(pemdi_period, 7)
    a.explanation = "Forum Satu Data dibentuk; EPSS 2025 dinilai BPS."
    a.save(update_fields=["explanation"])
    unit = units["dinkes"]
    attach(a, coordinator, unit, 1, "SK Walidata.pdf", A)
    attach(a, coordinator, unit, 2, "Laporan EPSS 2025.pdf", A)
    attach(a, coordinator, unit, 2, "Portal", R, url="https://data.kendarikota.go.id/")
    attach(a, coordinator, unit, 2, "Notulen Forum.pdf", A)
    attach(a, coordinator, unit, 3, "Rekomendasi BPS.pdf", A)
    return a


def url(a: Assessment, fmt: str = "") -> str:
    if fmt:
        return reverse("evaluation:assessment_handoff_download", args=[a.pk, fmt])
    return reverse("evaluation:assessment_handoff", args=[a.pk])


# --- permissions -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["", "txt", "csv"])
def test_anonymous_is_sent_to_login(client: Client, ik7, fmt: str) -> None:
    response = client.get(url(ik7, fmt))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("fmt", ["", "txt", "csv"])
def test_another_agency_gets_404(client: Client, ik7, outsider, fmt: str) -> None:
    client.force_login(outsider)
    assert client.get(url(ik7, fmt)).status_code == 404


@pytest.mark.parametrize("fmt", ["", "txt", "csv"])
def test_read_only_users_may_not_hand_off(client: Client, ik7, viewer, leader, fmt: str) -> None:
    for user in (viewer, leader):
        client.force_login(user)
        assert client.get(url(ik7, fmt)).status_code == 403


def test_an_opd_not_working_on_the_indicator_may_not_hand_it_off(
    client: Client, ik7, disdik_admin
) -> None:
    client.force_login(disdik_admin)
    assert client.get(url(ik7)).status_code == 403


def test_koordinator_assessor_and_the_indicators_opd_see_the_hand_off(
    client: Client, ik7, coordinator, assessor, dinkes_admin
) -> None:
    for user in (coordinator, assessor, dinkes_admin):
        client.force_login(user)
        response = client.get(url(ik7))
        assert response.status_code == 200
        assert b"I7-L2-03_Notulen-Forum.pdf" in response.content


def test_an_unknown_download_format_is_404(client: Client, ik7, coordinator) -> None:
    client.force_login(coordinator)
    assert client.get(url(ik7, "exe")).status_code == 404


def test_hand_off_is_get_only(client: Client, ik7, coordinator) -> None:
    client.force_login(coordinator)
    assert client.post(url(ik7)).status_code == 405


def test_a_pic_of_another_agencys_indicator_gets_404(client: Client, ik7, other_agency) -> None:
    user = make_user("luar", other_agency, Role.SPBE_COORDINATOR)
    client.force_login(user)
    assert client.get(url(ik7)).status_code == 404


# --- statuses (pure) -------------------------------------------------------------


def test_padus_review_statuses_map_to_the_portals_words() -> None:
    assert portal_status(A) == PORTAL_ACCEPTED == "diterima"
    assert portal_status(R) == PORTAL_REVISE == "revisi"
    assert portal_status(X) == PORTAL_REJECTED == "ditolak"
    assert portal_status(P) == PORTAL_NOT_ASSESSED


def test_an_unknown_review_status_is_refused() -> None:
    with pytest.raises(ValueError):
        portal_status("maybe")


def test_a_level_is_accepted_only_with_evidence_all_accepted() -> None:
    assert level_accepted([A, A])
    assert not level_accepted([A, R])
    assert not level_accepted([])


def test_every_level_accepted_keeps_its_own_statuses() -> None:
    assert portal_statuses({1: [A], 2: [A, A], 3: [R]}) == {
        1: ["diterima"],
        2: ["diterima", "diterima"],
        3: ["revisi"],
    }


def test_a_level_above_one_not_accepted_is_refused_automatically() -> None:
    result = portal_statuses({1: [A], 2: [A, R], 3: [A], 4: [X]})
    assert result == {
        1: ["diterima"],
        2: ["diterima", "revisi"],
        3: [PORTAL_AUTO_REJECTED],
        4: [PORTAL_AUTO_REJECTED],
    }


def test_a_missing_lower_level_refuses_the_levels_above() -> None:
    assert portal_statuses({2: [A], 3: [A]}) == {
        2: [PORTAL_AUTO_REJECTED],
        3: [PORTAL_AUTO_REJECTED],
    }


def test_unreviewed_lower_evidence_also_blocks_the_levels_above() -> None:
    assert portal_statuses({1: [P], 2: [A]}) == {
        1: [PORTAL_NOT_ASSESSED],
        2: [PORTAL_AUTO_REJECTED],
    }


def test_the_lowest_level_is_never_refused_automatically() -> None:
    assert portal_statuses({1: [X, R]}) == {1: ["ditolak", "revisi"]}
    assert portal_statuses({}) == {}


# --- the hand-off ----------------------------------------------------------------


def test_the_hand_off_names_files_exactly_as_the_bundle(ik7) -> None:
    handoff = handoff_for(ik7)
    bundle_names = [e.path.rsplit("/", 1)[-1] for e in plan_entries(ik7.period) if e.path]
    names = [i.file_name for i in handoff.items if i.file_name]
    assert names == bundle_names
    assert names == [
        "I7-L1-01_SK-Walidata.pdf",
        "I7-L2-01_Laporan-EPSS-2025.pdf",
        "I7-L2-03_Notulen-Forum.pdf",
        "I7-L3-01_Rekomendasi-BPS.pdf",
    ]
    assert [i.code for i in handoff.items] == [
        "I7-L1-01",
        "I7-L2-01",
        "I7-L2-02",
        "I7-L2-03",
        "I7-L3-01",
    ]


def test_the_hand_off_shows_the_portal_status_beside_padus(ik7) -> None:
    items = handoff_for(ik7).items
    assert [(i.review, i.portal) for i in items] == [
        (A, "diterima"),
        (A, "diterima"),
        (R, "revisi"),
        (A, "diterima"),
        (A, PORTAL_AUTO_REJECTED),
    ]


def test_the_text_download_has_explanation_evidence_and_links(
    client: Client, ik7, coordinator, english
) -> None:
    client.force_login(coordinator)
    response = client.get(url(ik7, "txt"))
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("IK7 ")
    assert "Forum Satu Data dibentuk; EPSS 2025 dinilai BPS." in text
    assert "- I7-L2-03_Notulen-Forum.pdf" in text
    assert "- Portal (https://data.kendarikota.go.id/)" in text
    with translation.override("id"):
        links = translation.gettext("Links")
    assert links == "Tautan"  # the hand-off speaks the user's language
    assert text.split(f"{links}\n", 1)[1].strip() == "https://data.kendarikota.go.id/"


def test_the_csv_download_has_a_row_per_item(client: Client, ik7, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(url(ik7, "csv"))
    assert 'filename="portal-' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "indicator,level,code,file_name,title,url,status"
    assert len(lines) == 6
    assert lines[5].startswith("IK7,3,I7-L3-01,I7-L3-01_Rekomendasi-BPS.pdf,")
    assert lines[5].endswith(",ditolak otomatis")


def test_an_indicator_without_evidence_says_so(client: Client, pemdi_period, coordinator) -> None:
    client.force_login(coordinator)
    a = ik(pemdi_period, 1)
    response = client.get(url(a))
    assert response.status_code == 200
    assert handoff_for(a).levels == []


def test_the_indicator_page_links_to_the_hand_off_for_those_allowed(
    client: Client, ik7, coordinator, viewer
) -> None:
    page = reverse("evaluation:assessment_detail", args=[ik7.pk])
    client.force_login(coordinator)
    assert url(ik7).encode() in client.get(page).content
    client.force_login(viewer)
    assert url(ik7).encode() not in client.get(page).content
