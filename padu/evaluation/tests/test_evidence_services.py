"""Services of the evidence library: files or links, versions kept, archive, review, expiry."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from padu.audit.models import AuditEvent
from padu.evaluation import services_evidence as svc
from padu.evaluation.choices import EvidenceKind, EvidenceReview
from padu.evaluation.models import Evidence, EvidenceFile, EvidenceLink
from padu.evaluation.permissions import evidence_visible_to
from padu.evaluation.tests.test_evidence_files import PDF, png

pytestmark = pytest.mark.django_db


def media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def audit_rows(evidence: Evidence) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="evaluation.evidence", object_id=str(evidence.pk)
        ).order_by("pk")
    )


def new_pdf(actor: Any, unit: Any, name: str = "Perwali 12.pdf", content: bytes = PDF) -> Evidence:
    return svc.create_evidence(
        actor=actor,
        agency=unit.agency,
        owner_unit=unit,
        title="Perwali No. 12 Tahun 2023",
        kind=EvidenceKind.REGULATION,
        upload=SimpleUploadedFile(name, content),
        document_number="12/2023",
        document_date=datetime.date(2023, 5, 2),
    )


# --- create ----------------------------------------------------------------------


def test_a_document_is_stored_with_its_checksum_and_an_audit_row(
    dinkes_admin, units, settings
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"], name="../../Perwali №12.pdf")
    stored = EvidenceFile.objects.get(evidence=evidence)
    assert (stored.version, stored.size, stored.content_type) == (1, len(PDF), "application/pdf")
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.original_name == "Perwali №12.pdf"
    assert stored.file.name == f"evidence/{evidence.agency_id}/{evidence.pk}/1-Perwali-No12.pdf"
    assert stored.file.read() == PDF
    [row] = audit_rows(evidence)
    assert row.action == "create" and row.actor == dinkes_admin
    assert row.after["sha256"] == stored.sha256 and row.after["title"] == evidence.title


def test_a_link_needs_its_address(dinkes_admin, units) -> None:
    with pytest.raises(ValidationError) as info:
        svc.create_evidence(
            actor=dinkes_admin,
            agency=units["dinkes"].agency,
            owner_unit=units["dinkes"],
            title="SIMPUS",
            kind=EvidenceKind.APP_LINK,
            upload=SimpleUploadedFile("layar.png", png()),
        )
    assert "url" in info.value.message_dict
    assert not Evidence.objects.exists()


def test_a_link_with_its_address_needs_no_file(dinkes_admin, units) -> None:
    evidence = svc.create_evidence(
        actor=dinkes_admin,
        agency=units["dinkes"].agency,
        owner_unit=units["dinkes"],
        title="Video demo SIMPUS",
        kind=EvidenceKind.DEMO_VIDEO,
        url="https://video.kendarikota.go.id/simpus",
    )
    assert evidence.files.count() == 0 and len(audit_rows(evidence)) == 1


def test_a_document_type_needs_a_file_unless_a_link_is_given(dinkes_admin, units) -> None:
    common = {
        "actor": dinkes_admin,
        "agency": units["dinkes"].agency,
        "owner_unit": units["dinkes"],
        "title": "SOP layanan",
        "kind": EvidenceKind.SOP,
    }
    with pytest.raises(ValidationError) as info:
        svc.create_evidence(**common)
    assert "file" in info.value.message_dict
    assert svc.create_evidence(**common, url="https://jdih.kendarikota.go.id/sop").pk


def test_an_opd_may_not_file_evidence_under_another_opd(disdik_admin, units) -> None:
    with pytest.raises(PermissionDenied):
        new_pdf(disdik_admin, units["dinkes"])
    assert not Evidence.objects.exists()


def test_the_owner_unit_must_belong_to_the_agency(coordinator, agency, other_unit) -> None:
    with pytest.raises(ValidationError) as info:
        svc.create_evidence(
            actor=coordinator,
            agency=agency,
            owner_unit=other_unit,
            title="x",
            kind=EvidenceKind.OTHER,
            url="https://example.go.id",
        )
    assert "owner_unit" in info.value.message_dict


def test_a_refused_file_leaves_nothing_behind(dinkes_admin, units, settings) -> None:
    with pytest.raises(ValidationError):
        new_pdf(dinkes_admin, units["dinkes"], name="laporan.pdf", content=b"<html></html>")
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not AuditEvent.objects.filter(object_type="evaluation.evidence").exists()
    assert media_files(settings) == []


def test_a_failure_after_the_file_was_written_removes_the_file(
    dinkes_admin, units, settings
) -> None:
    with (
        mock.patch.object(svc.audit, "record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        new_pdf(dinkes_admin, units["dinkes"])
    assert not Evidence.objects.exists()
    assert media_files(settings) == []


# --- update ----------------------------------------------------------------------


def test_metadata_changes_are_audited(dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    svc.update_evidence(
        actor=dinkes_admin, evidence=evidence, document_number="13/2023", title="Perwali 13"
    )
    row = audit_rows(evidence)[-1]
    assert row.action == "update"
    assert row.before == {"document_number": "12/2023", "title": "Perwali No. 12 Tahun 2023"}
    assert row.after == {"document_number": "13/2023", "title": "Perwali 13"}


def test_an_opd_may_not_move_its_evidence_to_another_opd(dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.update_evidence(actor=dinkes_admin, evidence=evidence, owner_unit=units["disdik"])
    assert Evidence.objects.get().owner_unit == units["dinkes"]


def test_the_koordinator_may_move_evidence_between_opds(coordinator, dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    svc.update_evidence(actor=coordinator, evidence=evidence, owner_unit=units["disdik"])
    assert Evidence.objects.get().owner_unit == units["disdik"]


def test_an_update_may_not_leave_a_link_without_address(dinkes_admin, units) -> None:
    evidence = svc.create_evidence(
        actor=dinkes_admin,
        agency=units["dinkes"].agency,
        owner_unit=units["dinkes"],
        title="SIMPUS",
        kind=EvidenceKind.APP_LINK,
        url="https://simpus.kendarikota.go.id",
    )
    with pytest.raises(ValidationError):
        svc.update_evidence(actor=dinkes_admin, evidence=evidence, url="")
    with pytest.raises(ValidationError):
        svc.update_evidence(actor=dinkes_admin, evidence=evidence, kind=EvidenceKind.SOP, url="")
    assert Evidence.objects.get().url == "https://simpus.kendarikota.go.id"


def test_readers_may_not_update(leader, dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.update_evidence(actor=leader, evidence=evidence, title="x")


# --- versions --------------------------------------------------------------------


def test_replacing_keeps_version_one_and_restarts_the_review(dinkes_admin, assessor, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    svc.review_evidence(actor=assessor, evidence=evidence, status=EvidenceReview.ACCEPTED)
    second = PDF + b"% versi 2\n"
    svc.replace_evidence_file(
        actor=dinkes_admin, evidence=evidence, upload=SimpleUploadedFile("v2.pdf", second)
    )
    files = list(evidence.files.order_by("version"))
    assert [f.version for f in files] == [1, 2]
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()
    assert files[1].sha256 == hashlib.sha256(second).hexdigest()
    assert files[0].file.read() == PDF  # the first file is still there
    evidence.refresh_from_db()
    assert evidence.review_status == EvidenceReview.PENDING
    row = audit_rows(evidence)[-1]
    assert row.before["file_version"] == 1 and row.after["file_version"] == 2
    assert row.after["sha256"] == files[1].sha256


def test_a_refused_replacement_keeps_the_versions_as_they_were(
    dinkes_admin, units, settings
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    before = media_files(settings)
    with pytest.raises(ValidationError):
        svc.replace_evidence_file(
            actor=dinkes_admin,
            evidence=evidence,
            upload=SimpleUploadedFile("v2.pdf", b"MZ\x90\x00"),
        )
    assert evidence.files.count() == 1
    assert media_files(settings) == before


def test_readers_may_not_replace(leader, dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.replace_evidence_file(
            actor=leader, evidence=evidence, upload=SimpleUploadedFile("v2.pdf", PDF)
        )


# --- archive ---------------------------------------------------------------------


def test_archived_evidence_stays_visible_from_its_assessment(
    dinkes_admin, units, period, leader
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    assessment = period.assessments.first()
    EvidenceLink.objects.create(assessment=assessment, evidence=evidence, level=2)
    svc.archive_evidence(actor=dinkes_admin, evidence=evidence)
    assert Evidence.objects.filter(pk=evidence.pk, is_archived=True).exists()
    assert [link.evidence for link in assessment.evidence_links.all()] == [evidence]
    assert evidence in evidence_visible_to(leader, period.agency)
    assert audit_rows(evidence)[-1].after == {"is_archived": True}
    svc.archive_evidence(actor=dinkes_admin, evidence=evidence)  # again: nothing to record
    assert len(audit_rows(evidence)) == 2
    svc.archive_evidence(actor=dinkes_admin, evidence=evidence, archived=False)
    assert not Evidence.objects.get().is_archived


def test_readers_may_not_archive(leader, dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.archive_evidence(actor=leader, evidence=evidence)


# --- review ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [EvidenceReview.REVISE, EvidenceReview.REJECTED])
def test_asking_a_revision_or_rejecting_needs_a_reason(
    assessor, dinkes_admin, units, status: str
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(ValidationError) as info:
        svc.review_evidence(actor=assessor, evidence=evidence, status=status, reason="   ")
    assert "reason" in info.value.message_dict
    svc.review_evidence(
        actor=assessor, evidence=evidence, status=status, reason=" Belum ditandatangani "
    )
    evidence.refresh_from_db()
    assert (evidence.review_status, evidence.review_reason) == (status, "Belum ditandatangani")
    row = audit_rows(evidence)[-1]
    assert row.reason == "Belum ditandatangani" and row.after["review_status"] == status


def test_accepting_needs_no_reason_and_pending_is_not_a_verdict(
    assessor, dinkes_admin, units
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    svc.review_evidence(actor=assessor, evidence=evidence, status=EvidenceReview.ACCEPTED)
    with pytest.raises(ValidationError):
        svc.review_evidence(actor=assessor, evidence=evidence, status=EvidenceReview.PENDING)
    assert Evidence.objects.get().review_status == EvidenceReview.ACCEPTED


def test_an_opd_may_not_review_evidence(dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.review_evidence(actor=dinkes_admin, evidence=evidence, status=EvidenceReview.ACCEPTED)


# --- validity --------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("is_audit", "document_date", "valid_until", "expired"),
    [
        (False, None, None, False),
        (False, datetime.date(2015, 1, 1), None, False),  # old, but not an audit
        (True, datetime.date(2024, 11, 22), None, False),  # exactly two years: still valid
        (True, datetime.date(2024, 11, 21), None, True),  # two years and a day
        (True, None, None, False),  # an audit without a date cannot be judged
        (False, None, datetime.date(2026, 11, 22), False),  # valid through today
        (False, None, datetime.date(2026, 11, 21), True),
        (True, datetime.date(2026, 1, 1), datetime.date(2026, 6, 1), True),
    ],
)
def test_expiry_rules(
    is_audit: bool,
    document_date: datetime.date | None,
    valid_until: datetime.date | None,
    expired: bool,
) -> None:
    evidence = Evidence(is_audit=is_audit, document_date=document_date, valid_until=valid_until)
    assert svc.is_expired(evidence, TODAY) is expired


def test_a_29_february_audit_expires_after_28_february_two_years_on() -> None:
    evidence = Evidence(is_audit=True, document_date=datetime.date(2024, 2, 29))
    assert not svc.is_expired(evidence, datetime.date(2026, 2, 28))
    assert svc.is_expired(evidence, datetime.date(2026, 3, 1))
    assert svc.audit_cutoff(datetime.date(2028, 2, 29)) == datetime.date(2026, 3, 1)


def test_the_database_filter_agrees_with_is_expired(dinkes_admin, units) -> None:
    dates = [
        None,
        datetime.date(2024, 2, 28),
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 1),
    ]
    for n, (is_audit, doc, until) in enumerate(itertools.product([True, False], dates, dates)):
        Evidence.objects.create(
            agency=units["dinkes"].agency,
            owner_unit=units["dinkes"],
            title=f"E{n}",
            kind=EvidenceKind.REPORT,
            is_audit=is_audit,
            document_date=doc,
            valid_until=until,
        )
    for today in [
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 1),
        datetime.date(2024, 2, 29),
    ]:
        in_db = set(Evidence.objects.filter(svc.expired_q(today)).values_list("pk", flat=True))
        in_python = {e.pk for e in Evidence.objects.all() if svc.is_expired(e, today)}
        assert in_db == in_python, today
