"""Verification of submitted forms and lock exceptions.

The walidata (or the producing OPD) accepts a whole submission, which locks it, or returns
chosen values (single cells or whole rows) with a reason category and a comment; the
operator hears about it and fixes the highlighted cells. Value changes are audited by
`write_values`; these review actions write `padu.audit` rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.accounts.choices import Role
from padu.accounts.models import User
from padu.accounts.notifications import notify
from padu.audit.models import AuditAction
from padu.audit.services import record, snapshot
from padu.organizations.models import Region

from .choices import ReturnReason, SubmissionStatus, ValueStatus
from .models import Dataset, DataValue, LockException, Submission
from .permissions import can_verify, is_custodian
from .services_entry import submission_url


def _form_values(submission: Submission) -> Any:
    return DataValue.objects.filter(
        element_id__in=submission.dataset.dataset_elements.values("element_id"),
        region_id=submission.region_id,
        period=submission.period,
    )


def _check_reviewable(user: Any, submission: Submission) -> None:
    if not can_verify(user, submission.dataset):
        raise PermissionDenied(_("You may not review this dataset."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted form can be reviewed."))


def _operators(submission: Submission) -> list[User]:
    """Who entered the form: the submitter and the operators of the region (or above it)."""
    parts = submission.region_id.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    users = User.objects.filter(
        memberships__agency=submission.dataset.agency,
        memberships__role=Role.VILLAGE_OPERATOR,
        memberships__region_id__in=codes,
    )
    if submission.submitted_by_id:
        users = users | User.objects.filter(pk=submission.submitted_by_id)
    return list(users.distinct())


def _finish(submission: Submission, user: Any, before: dict[str, Any], reason: str) -> None:
    record(
        action=AuditAction.UPDATE,
        actor=user,
        agency=submission.dataset.agency,
        instance=submission,
        before=before,
        after=snapshot(submission, exclude=["updated_at"]),
        reason=reason,
    )


@transaction.atomic
def accept_submission(*, user: Any, submission: Submission) -> Submission:
    """Accept every value of a submitted form; the form is locked from then on."""
    _check_reviewable(user, submission)
    before = snapshot(submission, exclude=["updated_at"])
    submission.status = SubmissionStatus.ACCEPTED
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.return_comment = ""
    submission.save()
    _form_values(submission).update(
        status=ValueStatus.ACCEPTED, return_reason="", return_comment=""
    )
    _finish(submission, user, before, _("Accepted"))
    title = _("Data accepted: %(dataset)s, %(region)s, %(period)s") % {
        "dataset": submission.dataset.name,
        "region": submission.region.name,
        "period": submission.period,
    }
    url = submission_url(submission)
    users = _operators(submission)
    transaction.on_commit(
        lambda: notify(users, title=title, url=url, agency=submission.dataset.agency)
    )
    return submission


@transaction.atomic
def return_values(
    *,
    user: Any,
    submission: Submission,
    cells: Iterable[tuple[int, int]] = (),
    element_ids: Iterable[int] = (),
    reason: str,
    comment: str,
) -> int:
    """Return chosen cells and whole rows (elements) for correction; the count returned."""
    _check_reviewable(user, submission)
    if reason not in ReturnReason.values:
        raise ValidationError(_("Choose a reason for the return."))
    if not comment.strip():
        raise ValidationError(_("Explain in a comment what needs correcting."))
    cells, element_ids = list(cells), list(element_ids)
    match = Q(pk__in=[])
    for element_id, combo_id in cells:
        match |= Q(element_id=element_id, option_combo_id=combo_id)
    if element_ids:
        match |= Q(element_id__in=element_ids)
    chosen = _form_values(submission).filter(match)
    count = chosen.update(
        status=ValueStatus.RETURNED, return_reason=reason, return_comment=comment.strip()
    )
    if not count:
        raise ValidationError(_("Choose at least one filled value or row to return."))
    before = snapshot(submission, exclude=["updated_at"])
    submission.status = SubmissionStatus.RETURNED
    submission.reviewed_by, submission.reviewed_at = user, timezone.now()
    submission.return_comment = comment.strip()
    submission.save()
    label = ReturnReason(reason).label
    _finish(submission, user, before, f"{label}: {comment.strip()}"[:300])
    title = _("Data returned for correction: %(dataset)s, %(region)s, %(period)s") % {
        "dataset": submission.dataset.name,
        "region": submission.region.name,
        "period": submission.period,
    }
    body = f"{label}: {comment.strip()}"
    url = submission_url(submission)
    users = _operators(submission)
    transaction.on_commit(
        lambda: notify(users, title=title, body=body, url=url, agency=submission.dataset.agency)
    )
    return count


@transaction.atomic
def grant_lock_exception(
    *,
    user: Any,
    dataset: Dataset,
    region: Region | None,
    period: str,
    until: datetime.datetime,
    reason: str,
) -> LockException:
    """The walidata reopens a closed period (for one region or all) until a moment."""
    from .selectors_entry import period_fits

    if not is_custodian(user, dataset.agency):
        raise PermissionDenied(_("Only the walidata may reopen a period."))
    if not period_fits(dataset, period):
        raise ValidationError(_("%(period)s is not a period of this dataset.") % {"period": period})
    if not reason.strip():
        raise ValidationError(_("Give a reason for reopening the period."))
    now = timezone.now()
    if until <= now:
        raise ValidationError(_("The end of the exception must lie in the future."))
    if until > now + datetime.timedelta(days=90):
        raise ValidationError(_("An exception lasts at most 90 days."))
    exception = LockException.objects.create(
        dataset=dataset,
        region=region,
        period=period,
        until=until,
        reason=reason.strip()[:300],
        granted_by=user,
    )
    record(
        action=AuditAction.CREATE,
        actor=user,
        agency=dataset.agency,
        instance=exception,
        after=snapshot(exception),
        reason=reason.strip()[:300],
    )
    return exception
