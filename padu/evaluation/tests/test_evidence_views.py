"""Evidence pages: permission cases first, then uploads through the page, versions,
downloads, review, archive, and the list's filters, sorting, export and query count."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation import services_evidence as svc
from padu.evaluation.choices import EvidenceKind, EvidenceReview
from padu.evaluation.models import Evidence, EvidenceFile, EvidenceLink
from padu.evaluation.tests.test_evidence_files import PDF, bad_corpus, docx, png

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=args)


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def audited(evidence: Evidence, action: str = "update") -> bool:
    return AuditEvent.objects.filter(
        object_type="evaluation.evidence", object_id=str(evidence.pk), action=action
    ).exists()


def post_upload(client: Client, unit: Any, name: str, content: bytes, **extra: Any) -> Any:
    data = {
        "title": "Perwali No. 12 Tahun 2023",
        "kind": EvidenceKind.REGULATION,
        "owner_unit": str(unit.pk),
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url("evidence_create"), data)


@pytest.fixture
def evidence(dinkes_admin, units) -> Evidence:
    """A Dinkes PDF with one version."""
    return svc.create_evidence(
        actor=dinkes_admin,
        agency=units["dinkes"].agency,
        owner_unit=units["dinkes"],
        title="SK Tim SPBE Dinkes",
        kind=EvidenceKind.DECREE,
        upload=SimpleUploadedFile("sk.pdf", PDF),
    )


@pytest.fixture
def shared_with_disdik(evidence, period, units) -> Evidence:
    """The Dinkes item attached to an indicator led by Disdik: Disdik may see it, not change it."""
    assessment = period.assessments.first()
    assessment.lead_unit = units["disdik"]
    assessment.save()
    EvidenceLink.objects.create(assessment=assessment, evidence=evidence, level=1)
    return evidence


# --- permissions -----------------------------------------------------------------

READ_VIEWS = [("evidence_detail", ()), ("evidence_download", (1,))]
WRITE_GET_VIEWS = [("evidence_edit", ())]
POST_VIEWS = [
    ("evidence_edit", {"title": "x", "kind": "sk", "owner_unit": "0"}),
    ("evidence_replace", {"file": SimpleUploadedFile("v2.pdf", PDF)}),
    ("evidence_archive", {"archived": "1"}),
    ("evidence_review", {"status": "diterima"}),
]
ALL_OBJECT_VIEWS = [v for v, _a in READ_VIEWS + WRITE_GET_VIEWS] + [v for v, _d in POST_VIEWS]


def object_url(name: str, evidence: Evidence) -> str:
    return url(name, evidence.pk, 1) if name == "evidence_download" else url(name, evidence.pk)


@pytest.mark.parametrize("name", sorted(set(ALL_OBJECT_VIEWS)))
def test_anonymous_is_sent_to_login(client: Client, evidence, name: str) -> None:
    for method in (client.get, client.post):
        response = method(object_url(name, evidence))
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", ["evidence_list", "evidence_create"])
def test_anonymous_is_sent_to_login_from_list_and_create(client: Client, name: str) -> None:
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", sorted(set(ALL_OBJECT_VIEWS)))
def test_another_agency_gets_404(client: Client, evidence, outsider, name: str) -> None:
    client.force_login(outsider)
    assert client.get(object_url(name, evidence)).status_code in (404, 405)
    assert client.post(object_url(name, evidence)).status_code in (404, 405)
    assert client.get(object_url("evidence_detail", evidence)).status_code == 404


def test_another_agency_sees_none_of_the_library_and_cannot_file_into_it(
    client: Client, evidence, outsider, units, other_unit
) -> None:
    client.force_login(outsider)
    assert list(client.get(url("evidence_list")).context["page"]) == []
    response = post_upload(client, units["dinkes"], "x.pdf", PDF)
    assert response.status_code == 200 and "owner_unit" in response.context["form"].errors
    assert Evidence.objects.count() == 1


def test_another_opd_does_not_see_unshared_evidence(client: Client, evidence, disdik_admin) -> None:
    client.force_login(disdik_admin)
    assert list(client.get(url("evidence_list")).context["page"]) == []
    for name in sorted(set(ALL_OBJECT_VIEWS)):
        assert client.get(object_url(name, evidence)).status_code in (404, 405), name


def test_another_opd_reads_shared_evidence_but_may_not_change_it(
    client: Client, shared_with_disdik, disdik_admin
) -> None:
    evidence = shared_with_disdik
    client.force_login(disdik_admin)
    assert client.get(url("evidence_detail", evidence.pk)).status_code == 200
    assert client.get(url("evidence_download", evidence.pk, 1)).status_code == 200
    assert client.get(url("evidence_edit", evidence.pk)).status_code == 403
    for name, data in POST_VIEWS:
        assert client.post(url(name, evidence.pk), data).status_code == 403, name
    evidence.refresh_from_db()
    assert (evidence.title, evidence.is_archived, evidence.files.count()) == (
        "SK Tim SPBE Dinkes",
        False,
        1,
    )


@pytest.mark.parametrize("persona", ["leader", "assessor", "viewer_with_nothing"])
def test_read_only_roles_may_not_write(client: Client, evidence, persona: str, request) -> None:
    user = request.getfixturevalue("viewer" if persona == "viewer_with_nothing" else persona)
    client.force_login(user)
    expected_read = 404 if persona == "viewer_with_nothing" else 200
    assert client.get(url("evidence_detail", evidence.pk)).status_code == expected_read
    assert client.get(url("evidence_create")).status_code == 403
    for name, data in POST_VIEWS:
        if name == "evidence_review" and persona == "assessor":
            continue  # assessors review; covered below
        assert client.post(url(name, evidence.pk), data).status_code in (403, 404), name


def test_an_opd_may_not_review(client: Client, evidence, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    response = client.post(url("evidence_review", evidence.pk), {"status": "diterima"})
    assert response.status_code == 403
    assert Evidence.objects.get().review_status == EvidenceReview.PENDING


def test_the_owner_opd_edits_and_each_write_is_audited(
    client: Client, evidence, dinkes_admin, units
) -> None:
    client.force_login(dinkes_admin)
    assert client.get(url("evidence_edit", evidence.pk)).status_code == 200
    response = client.post(
        url("evidence_edit", evidence.pk),
        {
            "title": "SK Tim SPBE Dinkes 2026",
            "kind": EvidenceKind.DECREE,
            "owner_unit": str(units["dinkes"].pk),
            "document_number": "800/12/2026",
            "document_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.document_number) == ("SK Tim SPBE Dinkes 2026", "800/12/2026")
    assert audited(evidence)
    count = AuditEvent.objects.count()
    client.post(url("evidence_archive", evidence.pk), {"archived": "1"})
    assert Evidence.objects.get().is_archived and AuditEvent.objects.count() == count + 1


def test_the_edit_form_offers_only_the_users_units(
    client: Client, evidence, dinkes_admin, units
) -> None:
    client.force_login(dinkes_admin)
    form = client.get(url("evidence_edit", evidence.pk)).context["form"]
    assert list(form.fields["owner_unit"].queryset) == [units["dinkes"]]
    response = client.post(
        url("evidence_edit", evidence.pk),
        {"title": "x", "kind": EvidenceKind.DECREE, "owner_unit": str(units["disdik"].pk)},
    )
    assert response.status_code == 200 and "owner_unit" in response.context["form"].errors


def test_the_create_form_offers_the_koordinator_every_unit(
    client: Client, coordinator, dinkes_admin, units
) -> None:
    client.force_login(coordinator)
    offered = client.get(url("evidence_create")).context["form"].fields["owner_unit"].queryset
    assert set(offered) == set(units.values())
    client.force_login(dinkes_admin)
    offered = client.get(url("evidence_create")).context["form"].fields["owner_unit"].queryset
    assert list(offered) == [units["dinkes"]]


def test_the_assessor_reviews_with_a_reason(client: Client, evidence, assessor) -> None:
    client.force_login(assessor)
    page = client.get(url("evidence_detail", evidence.pk))
    assert url("evidence_review", evidence.pk) in page.content.decode()
    response = client.post(url("evidence_review", evidence.pk), {"status": "ditolak"}, follow=True)
    assert Evidence.objects.get().review_status == EvidenceReview.PENDING
    assert "alasan" in response.content.decode().lower()
    client.post(url("evidence_review", evidence.pk), {"status": "revisi", "reason": "Cap basah"})
    evidence.refresh_from_db()
    assert (evidence.review_status, evidence.review_reason) == ("revisi", "Cap basah")
    assert AuditEvent.objects.filter(reason="Cap basah", object_id=str(evidence.pk)).exists()


# --- uploads through the page ----------------------------------------------------


@pytest.mark.parametrize("path", bad_corpus(), ids=lambda p: p.name)
def test_the_broken_corpus_is_refused_by_the_page_and_nothing_is_stored(
    client: Client, dinkes_admin, units, settings, path: Path
) -> None:
    client.force_login(dinkes_admin)
    response = post_upload(client, units["dinkes"], path.name, path.read_bytes())
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(len(e) > 10 for e in errors)
    assert response.content.decode().count('class="error"') >= 1
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert media_files(settings) == []


@override_settings(EVIDENCE_MAX_UPLOAD_MB=1)
def test_an_upload_over_the_limit_is_refused_with_the_limit_named(
    client: Client, dinkes_admin, units, settings
) -> None:
    client.force_login(dinkes_admin)
    response = post_upload(client, units["dinkes"], "besar.pdf", PDF + b"0" * (1024 * 1024))
    assert "1 MB" in response.context["form"].errors["file"][0]
    assert not Evidence.objects.exists() and media_files(settings) == []


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("perwali.pdf", lambda: PDF, "application/pdf"),
        ("layar.png", png, "image/png"),
        (
            "sop.docx",
            docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_real_documents_are_accepted_with_their_checksum(
    client: Client, dinkes_admin, units, name: str, make: Any, content_type: str
) -> None:
    content = make()
    client.force_login(dinkes_admin)
    response = post_upload(client, units["dinkes"], name, content)
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "evidence_detail", evidence.pk
    )
    stored = evidence.files.get()
    assert (stored.sha256, stored.content_type) == (
        hashlib.sha256(content).hexdigest(),
        content_type,
    )
    assert audited(evidence, "create")
    page = client.get(url("evidence_detail", evidence.pk)).content.decode()
    assert stored.sha256 in page and name in page


def test_a_link_is_added_without_a_file(client: Client, dinkes_admin, units) -> None:
    client.force_login(dinkes_admin)
    data = {"title": "SIMPUS", "kind": EvidenceKind.APP_LINK, "owner_unit": str(units["dinkes"].pk)}
    response = client.post(url("evidence_create"), data)
    assert "url" in response.context["form"].errors
    client.post(url("evidence_create"), {**data, "url": "https://simpus.kendarikota.go.id"})
    assert Evidence.objects.get().url == "https://simpus.kendarikota.go.id"


def test_replacing_adds_version_two_and_keeps_version_one(
    client: Client, evidence, dinkes_admin
) -> None:
    client.force_login(dinkes_admin)
    second = PDF + b"% versi 2\n"
    response = client.post(
        url("evidence_replace", evidence.pk), {"file": SimpleUploadedFile("v2.pdf", second)}
    )
    assert response.status_code == 302
    versions = dict(evidence.files.values_list("version", "sha256"))
    assert versions == {
        1: hashlib.sha256(PDF).hexdigest(),
        2: hashlib.sha256(second).hexdigest(),
    }
    assert b"".join(client.get(url("evidence_download", evidence.pk, 1)).streaming_content) == PDF
    assert (
        b"".join(client.get(url("evidence_download", evidence.pk, 2)).streaming_content) == second
    )


def test_a_refused_replacement_says_why(client: Client, evidence, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    response = client.post(
        url("evidence_replace", evidence.pk),
        {"file": SimpleUploadedFile("v2.pdf", b"<svg/>")},
        follow=True,
    )
    assert "tidak diterima" in response.content.decode()
    assert evidence.files.count() == 1


def test_download_is_an_attachment_that_is_never_sniffed(client: Client, evidence, leader) -> None:
    client.force_login(leader)
    response = client.get(url("evidence_download", evidence.pk, 1))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="1-sk.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF
    assert client.get(url("evidence_download", evidence.pk, 9)).status_code == 404


# --- archive ---------------------------------------------------------------------


def test_archived_evidence_leaves_the_list_but_not_its_indicator(
    client: Client, shared_with_disdik, dinkes_admin, disdik_admin
) -> None:
    evidence = shared_with_disdik
    client.force_login(dinkes_admin)
    client.post(url("evidence_archive", evidence.pk), {"archived": "1"})
    assert list(client.get(url("evidence_list")).context["page"]) == []
    assert [e.pk for e in client.get(url("evidence_list") + "?archived=1").context["page"]] == [
        evidence.pk
    ]
    client.force_login(disdik_admin)  # sees it through the indicator it supports
    assert client.get(url("evidence_detail", evidence.pk)).status_code == 200
    link = EvidenceLink.objects.get()
    assert client.get(url("assessment_detail", link.assessment_id)).status_code == 200
    assert (
        evidence.title in client.get(url("assessment_detail", link.assessment_id)).content.decode()
    )


# --- the list --------------------------------------------------------------------


def make_items(units: dict[str, Any], n: int) -> None:
    kinds = [EvidenceKind.REGULATION, EvidenceKind.SOP, EvidenceKind.REPORT]
    Evidence.objects.bulk_create(
        Evidence(
            agency=units["dinkes"].agency,
            owner_unit=units["dinkes"] if i % 2 else units["disdik"],
            title=f"Bukti {i:03d}",
            kind=kinds[i % 3],
            document_number=f"{i}/2025",
            url="https://example.go.id",
            is_audit=i % 5 == 0,
            document_date=datetime.date(2020, 1, 1) if i % 5 == 0 else None,
        )
        for i in range(n)
    )


def titles(response: Any) -> list[str]:
    return [e.title for e in response.context["page"]]


def test_the_list_filters_by_text_type_unit_review_and_expiry(
    client: Client, coordinator, units
) -> None:
    make_items(units, 10)
    Evidence.objects.filter(title="Bukti 001").update(review_status=EvidenceReview.REJECTED)
    client.force_login(coordinator)
    assert titles(client.get(url("evidence_list") + "?q=bukti+007")) == ["Bukti 007"]
    assert titles(client.get(url("evidence_list") + "?q=7/2025")) == ["Bukti 007"]
    sop = titles(client.get(url("evidence_list") + "?kind=sop&sort=title"))
    assert sop == ["Bukti 001", "Bukti 004", "Bukti 007"]
    dinkes = titles(client.get(url("evidence_list") + f"?unit={units['dinkes'].pk}&sort=title"))
    assert dinkes == ["Bukti 001", "Bukti 003", "Bukti 005", "Bukti 007", "Bukti 009"]
    assert titles(client.get(url("evidence_list") + "?review=ditolak")) == ["Bukti 001"]
    expired = titles(client.get(url("evidence_list") + "?expired=1&sort=title"))
    assert expired == ["Bukti 000", "Bukti 005"]
    assert len(titles(client.get(url("evidence_list") + "?expired=0"))) == 8
    # Nonsense values are ignored rather than failing the page.
    assert len(titles(client.get(url("evidence_list") + "?unit=abc&kind=zzz&sort=evil"))) == 10


def test_the_list_sorts_both_ways(client: Client, coordinator, units) -> None:
    make_items(units, 3)
    client.force_login(coordinator)
    assert titles(client.get(url("evidence_list") + "?sort=title")) == [
        "Bukti 000",
        "Bukti 001",
        "Bukti 002",
    ]
    assert titles(client.get(url("evidence_list") + "?sort=-title"))[0] == "Bukti 002"
    assert client.get(url("evidence_list") + "?sort=owner_unit").status_code == 200


def test_an_opd_lists_only_its_own_evidence(client: Client, dinkes_admin, units) -> None:
    make_items(units, 6)
    client.force_login(dinkes_admin)
    assert titles(client.get(url("evidence_list") + "?sort=title")) == [
        "Bukti 001",
        "Bukti 003",
        "Bukti 005",
    ]


def test_the_list_exports_csv_with_the_same_filters(client: Client, coordinator, units) -> None:
    make_items(units, 4)
    client.force_login(coordinator)
    response = client.get(url("evidence_list") + "?format=csv&kind=regulasi&sort=title")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[0] for r in rows[1:]] == ["Bukti 000", "Bukti 003"]
    assert len(rows[0]) == 9


def test_the_list_is_paginated(client: Client, coordinator, units) -> None:
    make_items(units, 60)
    client.force_login(coordinator)
    first = client.get(url("evidence_list"))
    assert len(first.context["page"]) == 50
    assert len(client.get(url("evidence_list") + "?page=2").context["page"]) == 10


# Session, user, memberships, count, page, unread notifications, units for the filter;
# an OPD admin adds one: whether they are a PIC of some indicator (evidence_visible_to).
QUERIES = {"coordinator": 7, "dinkes_admin": 8}


@pytest.mark.parametrize("persona", sorted(QUERIES))
def test_the_list_makes_a_fixed_number_of_queries(
    client: Client, units, django_assert_num_queries, persona: str, request
) -> None:
    client.force_login(request.getfixturevalue(persona))
    make_items(units, 5)
    client.get(url("evidence_list"))  # warm caches (content types, sessions)
    with django_assert_num_queries(QUERIES[persona]):
        client.get(url("evidence_list"))
    make_items(units, 40)
    with django_assert_num_queries(QUERIES[persona]):
        client.get(url("evidence_list"))
