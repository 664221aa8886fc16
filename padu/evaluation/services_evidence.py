"""Writes on the evidence library: nothing is deleted, files keep their earlier versions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.audit.models import AuditAction
from padu.organizations.models import Agency, Unit

from .choices import EvidenceKind, EvidenceReview
from .evidence_files import FileType, check_upload, display_name, safe_name, sha256_of
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
AUDIT_YEARS = 2


# --- validity --------------------------------------------------------------------


def audit_cutoff(today: datetime.date) -> datetime.date:
    """The oldest document date of an audit report that has not expired on `today`."""
    try:
        return today.replace(year=today.year - AUDIT_YEARS)
    except ValueError:  # 29 February: two years earlier has none, so 1 March is the limit
        return datetime.date(today.year - AUDIT_YEARS, 3, 1)


def is_expired(evidence: Evidence, today: datetime.date) -> bool:
    """Past its validity date, or an audit report older than two years."""
    if evidence.valid_until and evidence.valid_until < today:
        return True
    return bool(
        evidence.is_audit
        and evidence.document_date
        and evidence.document_date < audit_cutoff(today)
    )


def expired_q(today: datetime.date) -> Q:
    """The same rule as `is_expired`, for filtering in the database."""
    return Q(valid_until__lt=today) | Q(is_audit=True, document_date__lt=audit_cutoff(today))


# --- files -----------------------------------------------------------------------


@contextmanager
def _discard_files_on_error(stored: list[EvidenceFile]) -> Iterator[None]:
    """The database rolls back on an error; the storage does not, so remove what we wrote."""
    try:
        yield
    except BaseException:
        for item in stored:
            if item.file.name:
                item.file.storage.delete(item.file.name)
        raise


def _store(
    *, evidence: Evidence, upload: File, kind: FileType, actor: Any, version: int
) -> EvidenceFile:
    stored = EvidenceFile(
        evidence=evidence,
        version=version,
        original_name=display_name(upload.name or "") or safe_name("", kind),
        content_type=kind.content_type,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(safe_name(upload.name or "", kind), File(upload), save=False)
    return stored


def _snapshot(evidence: Evidence) -> dict[str, Any]:
    return audit.snapshot(evidence, exclude=["updated_at", "created_at"])


def _record_change(
    evidence: Evidence, before: dict[str, Any], *, actor: Any, reason: str = ""
) -> None:
    """An audit row with the fields that changed; none when nothing did."""
    after = _snapshot(evidence)
    changed = sorted(k for k in after if before.get(k) != after[k])
    if changed:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=evidence.agency,
            instance=evidence,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            reason=reason,
        )


def _file_facts(stored: EvidenceFile) -> dict[str, Any]:
    return {
        "file_version": stored.version,
        "file_name": stored.original_name,
        "size": stored.size,
        "sha256": stored.sha256,
    }


def _check_link_or_file(evidence: Evidence, *, has_file: bool, file_field: str) -> None:
    """A link type needs its address; any other type needs a file or an address."""
    if evidence.kind in LINK_KINDS and not evidence.url:
        raise ValidationError({"url": _("A link needs its address.")})
    if not has_file and not evidence.url:
        raise ValidationError({file_field: _("Attach a file or give a link.")})


def _check_unit(actor: Any, evidence: Evidence) -> None:
    if evidence.owner_unit.agency_id != evidence.agency_id:
        raise ValidationError({"owner_unit": _("This unit belongs to another agency.")})
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied


# --- services --------------------------------------------------------------------


@transaction.atomic
def create_evidence(
    *,
    actor: Any,
    agency: Agency,
    owner_unit: Unit,
    title: str,
    kind: str,
    upload: File | None = None,
    **fields: Any,
) -> Evidence:
    """Add a document (checked by content) or a link to the agency's library."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown evidence fields: {sorted(unknown)}")
    evidence = Evidence(
        agency=agency,
        owner_unit=owner_unit,
        title=title,
        kind=kind,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    _check_unit(actor, evidence)
    _check_link_or_file(evidence, has_file=upload is not None, file_field="file")
    file_type = check_upload(upload, upload.size) if upload is not None else None
    evidence.full_clean()
    stored: list[EvidenceFile] = []
    with _discard_files_on_error(stored):
        evidence.save()
        if upload is not None and file_type is not None:
            stored.append(
                _store(evidence=evidence, upload=upload, kind=file_type, actor=actor, version=1)
            )
            stored[0].save()
        after = audit.snapshot(evidence)
        if stored:
            after.update(_file_facts(stored[0]))
        audit.record(
            action=AuditAction.CREATE, actor=actor, agency=agency, instance=evidence, after=after
        )
    return evidence


@transaction.atomic
def update_evidence(*, actor: Any, evidence: Evidence, **fields: Any) -> Evidence:
    """Change the metadata (number, date, validity, owner...); files change by new versions."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    before = _snapshot(evidence)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise TypeError(f"not an editable evidence field: {name}")
        setattr(evidence, name, value)
    _check_unit(actor, evidence)  # moving it to a unit the actor does not hold is refused
    _check_link_or_file(evidence, has_file=evidence.files.exists(), file_field="url")
    evidence.full_clean()
    evidence.save()
    _record_change(evidence, before, actor=actor)
    return evidence


@transaction.atomic
def replace_evidence_file(*, actor: Any, evidence: Evidence, upload: File) -> EvidenceFile:
    """Upload a new version; the earlier ones stay downloadable. Review starts again."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    file_type = check_upload(upload, upload.size)
    # Lock the row so two uploads at once get versions n+1 and n+2, not a clash.
    Evidence.objects.select_for_update().only("pk").get(pk=evidence.pk)
    current = evidence.files.aggregate(v=Max("version"))["v"] or 0
    latest = evidence.files.filter(version=current).values_list("sha256", flat=True).first()
    digest = sha256_of(upload)
    if latest and latest == digest:
        # A byte-identical file is no new version: nothing is stored, the review stands.
        raise ValidationError(
            _(
                "This file is the same as the current version (SHA-256 %(sha256)s); nothing was changed."
            )
            % {"sha256": f"{digest[:12]}…"}
        )
    previous_review = evidence.review_status
    stored: list[EvidenceFile] = []
    with _discard_files_on_error(stored):
        stored.append(
            _store(
                evidence=evidence,
                upload=upload,
                kind=file_type,
                actor=actor,
                version=current + 1,
            )
        )
        new = stored[0]
        new.save()
        evidence.review_status = EvidenceReview.PENDING
        evidence.review_reason = ""
        evidence.save(update_fields=["review_status", "review_reason", "updated_at"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=evidence.agency,
            instance=evidence,
            before={"file_version": current, "review_status": previous_review},
            after={**_file_facts(new), "review_status": EvidenceReview.PENDING},
        )
    return new


@transaction.atomic
def archive_evidence(*, actor: Any, evidence: Evidence, archived: bool = True) -> Evidence:
    """Hide from the library (never deleted); indicators that use it still show it."""
    if not can_edit_evidence(actor, evidence):
        raise PermissionDenied
    if evidence.is_archived == archived:
        return evidence
    before = _snapshot(evidence)
    evidence.is_archived = archived
    evidence.save(update_fields=["is_archived", "updated_at"])
    _record_change(evidence, before, actor=actor)
    return evidence


@transaction.atomic
def review_evidence(*, actor: Any, evidence: Evidence, status: str, reason: str = "") -> Evidence:
    """An assessor or the koordinator marks the item accepted, to revise, or rejected."""
    if not can_review_evidence(actor, evidence.agency):
        raise PermissionDenied
    if status not in EvidenceReview.values or status == EvidenceReview.PENDING:
        raise ValidationError({"status": _("Choose accepted, revise or rejected.")})
    reason = reason.strip()
    if status in (EvidenceReview.REVISE, EvidenceReview.REJECTED) and not reason:
        raise ValidationError({"reason": _("Give the reason for asking a revision or rejecting.")})
    before = _snapshot(evidence)
    evidence.review_status = status
    evidence.review_reason = reason
    evidence.save(update_fields=["review_status", "review_reason", "updated_at"])
    _record_change(evidence, before, actor=actor, reason=reason)
    return evidence
