"""Writes on one indicator assessment: the self-assessment, evidence, comments, and each
review transition (one service per transition, each audited and notified)."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.accounts.notifications import notify
from padu.audit import services as audit

from .choices import AssessmentStatus as S
from .levels import derived_level
from .models import Assessment, Comment, Criterion, Evidence, EvidenceLink
from .permissions import (
    can_comment,
    can_manage_evaluation,
    edit_refusal,
    is_owner,
    review_refusal,
)
from .values import claimed_value_for, display, figure_of, shown, validated_figure
from .workflow import can_transition

SNAPSHOT_EXCLUDE = ("updated_at",)


class EditConflict(ValidationError):
    """Someone else saved the indicator since the form was opened."""

    def __init__(self, current: Assessment) -> None:
        super().__init__(
            _(
                "Someone else saved this indicator while you were editing. Your text is kept below; "
                "compare it with the saved version and save again."
            )
        )
        self.current = current


def criteria_by_level(assessment: Assessment) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for c in Criterion.objects.filter(level__indicator=assessment.indicator).values(
        "pk", "level__level"
    ):
        result.setdefault(c["level__level"], []).append(c["pk"])
    return result


def _snapshot(a: Assessment) -> dict[str, Any]:
    data = audit.snapshot(a, exclude=SNAPSHOT_EXCLUDE)
    data["checked_criteria"] = sorted(a.checked_criteria.values_list("pk", flat=True))
    return data


def _owners(a: Assessment) -> list[User]:
    """PICs and the OPD admins of the lead unit."""
    users = list(a.pics.all())
    if a.lead_unit_id:
        users += [
            m.user
            for m in Membership.objects.filter(
                agency=a.period.agency, role=Role.UNIT_ADMIN, unit_id=a.lead_unit_id
            ).select_related("user")
        ]
    return users


def _assessors(a: Assessment) -> list[User]:
    memberships = Membership.objects.filter(
        agency=a.period.agency, role__in=[Role.INTERNAL_ASSESSOR, Role.SPBE_COORDINATOR]
    ).select_related("user")
    return [m.user for m in memberships if m.unit_id is None or m.unit_id != a.lead_unit_id]


def _url(a: Assessment) -> str:
    return reverse("evaluation:assessment_detail", args=[a.pk])


def _lock(a: Assessment) -> Assessment:
    """Re-read the row inside the transaction (row lock on PostgreSQL)."""
    return (
        Assessment.objects.select_for_update()
        .select_related("period__agency", "period__instrument", "indicator")
        .get(pk=a.pk)
    )


def _refuse_external_index(a: Assessment) -> None:
    """Indicators scored from another agency's index (Pemdi IK5, IK6, IK7, IK18) are not
    self-assessed: the koordinator records the issuing agency's result instead."""
    if a.indicator.is_external_index:
        raise ValidationError(
            _(
                "Indicator %(code)s is scored from %(source)s; it is not self-assessed. "
                "The koordinator records the result on this page."
            )
            % {"code": a.indicator.code, "source": a.indicator.external_source}
        )


@transaction.atomic
def save_self_assessment(
    *,
    actor: Any,
    assessment: Assessment,
    checked: Collection[int],
    claimed_level: int | None,
    justification: str,
    explanation: str,
    expected_revision: int,
    claimed_value: Decimal | None = None,
) -> Assessment:
    """Save the checklist, the claimed level (and on a decimal instrument the claimed value)
    and the explanation, refusing lost updates."""
    refusal = edit_refusal(actor, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    current = _lock(assessment)
    if current.revision != expected_revision:
        raise EditConflict(current)
    _refuse_external_index(current)
    instrument = current.period.instrument
    by_level = criteria_by_level(current)
    valid_ids = {pk for ids in by_level.values() for pk in ids}
    if set(checked) - valid_ids:
        raise ValidationError(
            {"checked": _("A ticked criterion does not belong to this indicator.")}
        )
    if (
        claimed_level is not None
        and not instrument.min_level <= claimed_level <= instrument.max_level
    ):
        raise ValidationError(
            {
                "claimed_level": _("The level must be between %(min)s and %(max)s.")
                % {"min": instrument.min_level, "max": instrument.max_level}
            }
        )
    derived = derived_level(
        by_level, checked, min_level=instrument.min_level, max_level=instrument.max_level
    )
    if claimed_level is not None and claimed_level != derived and not justification.strip():
        raise ValidationError(
            {
                "claim_justification": _(
                    "The ticked criteria support level %(level)s; explain why you claim a different level."
                )
                % {"level": derived}
            }
        )
    value = claimed_value_for(instrument, claimed_level, claimed_value)
    off_level = value is not None and claimed_level is not None and value != claimed_level
    if off_level and not justification.strip():
        raise ValidationError(
            {
                "claim_justification": _(
                    "You claim %(value)s, not the whole level %(level)s; explain the value in the justification."
                )
                % {"value": shown(value), "level": claimed_level}  # type: ignore[arg-type]
            }
        )
    before = _snapshot(current)
    current.claimed_level = claimed_level
    current.claimed_value = value
    needs_reason = claimed_level != derived or off_level
    current.claim_justification = justification.strip() if needs_reason else ""
    current.explanation = explanation
    current.revision += 1
    current.save()
    current.checked_criteria.set(list(checked))
    after = _snapshot(current)
    before.pop("revision", None)
    after.pop("revision", None)
    if before != after:
        changed = {k for k in after if before.get(k) != after.get(k)}
        audit.record(
            action="update",
            actor=actor,
            agency=current.period.agency,
            instance=current,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    return current


@transaction.atomic
def attach_evidence(
    *,
    actor: Any,
    assessment: Assessment,
    evidence: Evidence,
    level: int,
    criterion: Criterion | None = None,
) -> EvidenceLink:
    """Attach library evidence to the level (or criterion) of an indicator it supports."""
    refusal = edit_refusal(actor, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    instrument = assessment.period.instrument
    if evidence.is_archived:
        raise ValidationError(
            _("Archived evidence cannot be attached; restore it to the library first.")
        )
    if evidence.agency_id != assessment.period.agency_id:
        raise ValidationError(_("This evidence belongs to another agency."))
    if not instrument.min_level <= level <= instrument.max_level:
        raise ValidationError(
            {
                "level": _("The level must be between %(min)s and %(max)s.")
                % {"min": instrument.min_level, "max": instrument.max_level}
            }
        )
    if criterion is not None and (
        criterion.level.indicator_id != assessment.indicator_id or criterion.level.level != level
    ):
        raise ValidationError({"criterion": _("This criterion belongs to another level.")})
    link, created = EvidenceLink.objects.get_or_create(
        assessment=assessment,
        evidence=evidence,
        level=level,
        criterion=criterion,
        defaults={"added_by": actor},
    )
    if created:
        audit.record_create(link, actor=actor, agency=assessment.period.agency)
    return link


@transaction.atomic
def detach_evidence(*, actor: Any, link: EvidenceLink) -> None:
    """Take evidence off an indicator; the evidence stays in the library."""
    refusal = edit_refusal(actor, link.assessment)
    if refusal:
        raise PermissionDenied(refusal)
    audit.record_delete(link, actor=actor, agency=link.assessment.period.agency)
    link.delete()


@transaction.atomic
def add_comment(*, actor: Any, assessment: Assessment, body: str) -> Comment:
    """A message between the OPD and the assessors; the other side is notified."""
    if not can_comment(actor, assessment):
        raise PermissionDenied(
            _(
                "Only the units working on this indicator, the koordinator and the assessors may comment."
            )
        )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = Comment.objects.create(assessment=assessment, author=actor, body=body)
    audit.record_create(comment, actor=actor, agency=assessment.period.agency)
    owners = _owners(assessment)
    recipients = _assessors(assessment) if is_owner(actor, assessment) else owners
    notify(
        [u for u in recipients if u.pk != actor.pk],
        agency=assessment.period.agency,
        title=_("New comment on indicator %(code)s") % {"code": assessment.indicator.code},
        body=body[:500],
        url=_url(assessment),
    )
    return comment


def _transition(
    a: Assessment, target: str, actor: Any, reason: str = "", **fields: Any
) -> Assessment:
    current = _lock(a)
    if not can_transition(current.status, target):
        raise ValidationError(
            _("This indicator cannot go from %(from)s to %(to)s.")
            % {"from": current.get_status_display(), "to": S(target).label}
        )
    before = _snapshot(current)
    current.status = target
    for name, value in fields.items():
        setattr(current, name, value)
    current.revision += 1
    current.save()
    audit.record_update(current, before, actor=actor, agency=current.period.agency, reason=reason)
    return current


@transaction.atomic
def submit_assessment(*, actor: Any, assessment: Assessment) -> Assessment:
    """The OPD hands the indicator to the assessors."""
    refusal = edit_refusal(actor, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    _refuse_external_index(assessment)
    if assessment.claimed_level is None:
        raise ValidationError(_("Choose a level before submitting."))
    if not assessment.explanation.strip():
        raise ValidationError(_("Write the explanation (penjelasan) before submitting."))
    if assessment.indicator.requires_service_name and not assessment.service_name:
        raise ValidationError(_("This indicator must name the sector service it covers."))
    a = _transition(assessment, S.SUBMITTED, actor, submitted_at=timezone.now(), return_reason="")
    notify(
        _assessors(a),
        agency=a.period.agency,
        title=_("Indicator %(code)s submitted for review") % {"code": a.indicator.code},
        body=str(a.indicator),
        url=_url(a),
    )
    return a


def _check_reviewer(actor: Any, assessment: Assessment) -> None:
    refusal = review_refusal(actor, assessment)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def start_review(*, actor: Any, assessment: Assessment) -> Assessment:
    """An assessor takes the indicator into review."""
    _check_reviewer(actor, assessment)
    a = _transition(assessment, S.IN_REVIEW, actor, reviewer=actor)
    notify(
        _owners(a),
        agency=a.period.agency,
        title=_("Indicator %(code)s is being reviewed") % {"code": a.indicator.code},
        body=str(a.indicator),
        url=_url(a),
    )
    return a


@transaction.atomic
def return_assessment(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """An assessor sends the indicator back to the OPD with a reason."""
    _check_reviewer(actor, assessment)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the indicator.")})
    a = _transition(
        assessment,
        S.RETURNED,
        actor,
        reason=reason.strip(),
        reviewer=actor,
        reviewed_at=timezone.now(),
        return_reason=reason.strip(),
    )
    notify(
        _owners(a),
        agency=a.period.agency,
        title=_("Indicator %(code)s returned for revision") % {"code": a.indicator.code},
        body=reason.strip(),
        url=_url(a),
    )
    return a


@transaction.atomic
def accept_assessment(
    *,
    actor: Any,
    assessment: Assessment,
    validated_level: int | None = None,
    validated_value: Decimal | None = None,
    reason: str = "",
) -> Assessment:
    """An assessor accepts the indicator and sets the validated level (or, on a decimal
    instrument, the validated value); a figure different from the claim needs a reason."""
    _check_reviewer(actor, assessment)
    current = _lock(assessment)
    if not can_transition(current.status, S.ACCEPTED):
        _transition(current, S.ACCEPTED, actor)  # raises the usual refusal
    instrument = current.period.instrument
    level, value = validated_figure(instrument, validated_level, validated_value)
    reason = reason.strip()
    claim = figure_of(current.claimed_level, current.claimed_value)
    differs = claim is None or figure_of(level, value) != claim
    if differs and not reason:
        raise ValidationError(
            {
                "validation_reason": _(
                    "The validated figure differs from the claim (%(claim)s); give the reason."
                )
                % {"claim": "—" if claim is None else display(instrument, claim)}
            }
        )
    a = _transition(
        current,
        S.ACCEPTED,
        actor,
        reason=reason,
        reviewer=actor,
        reviewed_at=timezone.now(),
        validated_level=level,
        validated_value=value,
        validation_reason=reason if differs else "",
        return_reason="",
    )
    if value is not None:
        title = _("Indicator %(code)s accepted at value %(value)s") % {
            "code": a.indicator.code,
            "value": shown(value),
        }
    else:
        title = _("Indicator %(code)s accepted at level %(level)s") % {
            "code": a.indicator.code,
            "level": level,
        }
    body = str(a.indicator)
    if differs:
        body += "\n" + _("Reason: %(reason)s") % {"reason": reason}
    notify(_owners(a), agency=a.period.agency, title=title, body=body, url=_url(a))
    return a


@transaction.atomic
def reopen_assessment(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """The koordinator reopens an indicator for editing, with a reason kept in the audit trail."""
    if not can_manage_evaluation(actor, assessment.period.agency):
        raise PermissionDenied(_("Only the SPBE coordinator may reopen an indicator."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the indicator.")})
    # A reopened indicator is no longer validated; the audit row keeps the old level.
    a = _transition(
        assessment,
        S.DRAFT,
        actor,
        reason=reason.strip(),
        validated_level=None,
        validated_value=None,
        validation_reason="",
    )
    notify(
        _owners(a),
        agency=a.period.agency,
        title=_("Indicator %(code)s reopened") % {"code": a.indicator.code},
        body=reason.strip(),
        url=_url(a),
    )
    return a
