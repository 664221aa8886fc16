"""Writes on the evidence library: nothing is deleted, files keep their earlier versions."""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency, Unit

from .choices import EvidenceKind, EvidenceReview
from .evidence_files import check_upload, safe_name, sha256_of
from .models import Evidence, EvidenceFile
from .permissions import can_edit_evidence, can_review_evidence

LINK_KINDS = {EvidenceKind.APP_LINK, EvidenceKind.DEMO_VIDEO}
EDITABLE = (
    "title",
    "kind",
    "url",
    "document_number",
    "document_date",
    "valid_until",
    "is_audit",
    "description",
    "owner_unit",
)


def is_expired(evidence: Evidence, today: datetime.date) -> bool:
    """Past its validity date, or an audit report older than two years."""
    if evidence.valid_until and evidence.valid_until < today:
        return True
    if evidence.is_audit and evidence.document_date:
        try:
            limit = evidence.document_date.replace(year=evidence.document_date.year + 2)
        except ValueError:  # 29 February
            limit = evidence.document_date + datetime.timedelta(days=730)
        return limit < today
    return False


def _store(
    evidence: Evidence, upload: IO[bytes], name: str, size: int, actor: Any, version: int
) -> EvidenceFile:
    kind = check_upload(upload, size)
    stored = EvidenceFile(
        evidence=evidence,
        version=version,
        original_name=name[:255],
        content_type=kind.content_type,
        size=size,
        sha256=sha256_of(upload),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(safe_name(name, kind), File(upload), save=False)
    stored.save()
    return stored


@transaction.atomic
def create_evidence(
    *,
    actor: Any,
    agency: Agency,
    owner_unit: Unit,
    title: str,
    kind: str,
    upload: IO[bytes] | None = None,
    upload_name: str = "",
    upload_size: int = 0,
    **fields: Any,
) -> Evidence:
    """Add a document (checked by content) or a link to the agency's library."""
    if owner_unit.agency_id != agency.pk:
        raise ValidationError({"owner_unit": _("This unit belongs to another agency.")})
    url = fields.get("url", "")
    if kind in LINK_KINDS and not url:
        raise ValidationError({"url": _("A link needs its address.")})
    if upload is None and not url:
        raise ValidationError({"file": _("Attach a file or give a link.")})
    evidence = Evidence(
        agency=agency,
        owner_unit=owner_unit,
        title=title,
        kind=kind,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    evidence.full_clean()
    evidence.save()
    if upload is not None:
        _store(evidence, upload, upload_name, upload_size, actor, version=1)
    audit.record_create(evidence, actor=actor, agency=agency)
    return evidence


@transaction.atomic
def update_evidence(*, actor: Any, evidence: Evidence, **fields: Any) -> Evidence:
    """Change the metadata (number, date, validity, owner...)."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    before = audit.snapshot(evidence, exclude=["updated_at"])
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(evidence, name, value)
    if evidence.owner_unit.agency_id != evidence.agency_id:
        raise ValidationError({"owner_unit": _("This unit belongs to another agency.")})
    evidence.full_clean()
    evidence.save()
    after = audit.snapshot(evidence, exclude=["updated_at"])
    if before != after:
        audit.record_update(evidence, before, actor=actor, agency=evidence.agency)
    return evidence


@transaction.atomic
def replace_evidence_file(
    *, actor: Any, evidence: Evidence, upload: IO[bytes], upload_name: str, upload_size: int
) -> EvidenceFile:
    """Upload a new version; the earlier ones stay downloadable. Review starts again."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    current = evidence.files.aggregate(v=Max("version"))["v"] or 0
    stored = _store(evidence, upload, upload_name, upload_size, actor, version=current + 1)
    before = audit.snapshot(evidence, exclude=["updated_at"])
    evidence.review_status = EvidenceReview.PENDING
    evidence.review_reason = ""
    evidence.save()
    audit.record(
        action="update",
        actor=actor,
        agency=evidence.agency,
        instance=evidence,
        before={"file_version": current, "review_status": before["review_status"]},
        after={"file_version": stored.version, "sha256": stored.sha256, "review_status": "pending"},
    )
    return stored


@transaction.atomic
def archive_evidence(*, actor: Any, evidence: Evidence, archived: bool = True) -> Evidence:
    """Hide from the library (never deleted); indicators that use it still show it."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    before = audit.snapshot(evidence, exclude=["updated_at"])
    evidence.is_archived = archived
    evidence.save()
    audit.record_update(evidence, before, actor=actor, agency=evidence.agency)
    return evidence


@transaction.atomic
def review_evidence(*, actor: Any, evidence: Evidence, status: str, reason: str = "") -> Evidence:
    """An assessor or the koordinator marks the item accepted, to revise, or rejected."""
    if not can_review_evidence(actor, evidence.agency):
        raise PermissionDenied
    if status not in EvidenceReview.values or status == EvidenceReview.PENDING:
        raise ValidationError({"status": _("Choose accepted, revise or rejected.")})
    if status in (EvidenceReview.REVISE, EvidenceReview.REJECTED) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for asking a revision or rejecting.")})
    before = audit.snapshot(evidence, exclude=["updated_at"])
    evidence.review_status = status
    evidence.review_reason = reason.strip()
    evidence.save()
    audit.record_update(
        evidence, before, actor=actor, agency=evidence.agency, reason=reason.strip()
    )
    return evidence
