"""Who may see and change evaluation data: predicates, scopes and fetchers."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from padu.accounts.choices import Role
from padu.accounts.permissions import has_role, memberships_of
from padu.organizations.models import Agency

from .choices import OPD_EDIT_STAGES, REVIEW_STAGES
from .models import Assessment, Evidence, Period
from .workflow import EDITABLE_STATUSES, stages_on

EVALUATION_ROLES = (
    Role.AGENCY_ADMIN,
    Role.SPBE_COORDINATOR,
    Role.UNIT_ADMIN,
    Role.INTERNAL_ASSESSOR,
    Role.LEADER,
    Role.VIEWER,
)
OVERSIGHT_ROLES = (Role.AGENCY_ADMIN, Role.SPBE_COORDINATOR, Role.INTERNAL_ASSESSOR, Role.LEADER)


def can_view_evaluation(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, *EVALUATION_ROLES)


def can_manage_evaluation(user: Any, agency: Agency | None) -> bool:
    """Koordinator SPBE (and the agency admin): periods, assignment, reopening, LHE results."""
    return has_role(user, agency, Role.SPBE_COORDINATOR, Role.AGENCY_ADMIN)


def is_assessor(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, Role.INTERNAL_ASSESSOR)


def unit_ids_of(user: Any, agency: Agency | None, *roles: str) -> set[int]:
    """Units where `user` holds one of `roles` in `agency`."""
    if agency is None:
        return set()
    return {
        m.unit_id
        for m in memberships_of(user)
        if m.agency_id == agency.pk and m.role in roles and m.unit_id is not None
    }


def today_in(agency: Agency) -> datetime.date:
    """Today's date in the agency's own time zone."""
    import zoneinfo

    return timezone.now().astimezone(zoneinfo.ZoneInfo(agency.timezone)).date()


def current_stages(period: Period, day: datetime.date | None = None) -> set[str]:
    """Stages open for `period` on `day` (default: today in the agency's time zone)."""
    day = day or today_in(period.agency)
    windows = [(w.stage, w.starts_on, w.ends_on) for w in period.windows.all()]
    return stages_on(windows, day)


# --- assessments -----------------------------------------------------------------


def periods_visible_to(user: Any, agency: Agency | None) -> QuerySet[Period]:
    if not can_view_evaluation(user, agency):
        return Period.objects.none()
    return Period.objects.filter(agency=agency)


def assessments_visible_to(user: Any, agency: Agency | None) -> QuerySet[Assessment]:
    """All assessments of the agency's periods, for anyone taking part in the evaluation."""
    if not can_view_evaluation(user, agency):
        return Assessment.objects.none()
    return Assessment.objects.filter(period__agency=agency)


def is_owner(user: Any, assessment: Assessment) -> bool:
    """The user works for the lead or a supporting unit, or is a named PIC."""
    agency = assessment.period.agency
    units = unit_ids_of(user, agency, Role.UNIT_ADMIN)
    if assessment.lead_unit_id in units:
        return True
    if units & {u.pk for u in assessment.supporting_units.all()}:
        return True
    return any(p.pk == user.pk for p in assessment.pics.all())


def edit_refusal(user: Any, assessment: Assessment, day: datetime.date | None = None) -> str:
    """Why `user` may not edit the self-assessment now; empty when they may."""
    from django.utils.translation import gettext as _

    agency = assessment.period.agency
    if not (is_owner(user, assessment) or can_manage_evaluation(user, agency)):
        return _("Only the unit in charge of this indicator may fill it in.")
    if not current_stages(assessment.period, day) & OPD_EDIT_STAGES:
        return _("The self-assessment window of this period is closed.")
    if assessment.status not in EDITABLE_STATUSES:
        return _(
            "This indicator has been submitted; it can be changed again once it is returned or reopened."
        )
    return ""


def can_comment(user: Any, assessment: Assessment) -> bool:
    """The conversation on an indicator is between the units working on it (and its PICs),
    the koordinator and the assessors; other readers follow it without writing in it."""
    agency = assessment.period.agency
    return (
        is_owner(user, assessment)
        or can_manage_evaluation(user, agency)
        or is_assessor(user, agency)
    )


def review_refusal(user: Any, assessment: Assessment, day: datetime.date | None = None) -> str:
    """Why `user` may not review this assessment now; empty when they may."""
    from django.utils.translation import gettext as _

    agency = assessment.period.agency
    if not is_assessor(user, agency):
        return _("Only internal assessors review indicators.")
    own_units = unit_ids_of(user, agency, Role.INTERNAL_ASSESSOR, Role.UNIT_ADMIN)
    working_units = {assessment.lead_unit_id, *(u.pk for u in assessment.supporting_units.all())}
    if own_units & working_units:
        return _("Assessors may not review an indicator of their own unit.")
    if not current_stages(assessment.period, day) & REVIEW_STAGES:
        return _("The internal review window of this period is closed.")
    return ""


def get_assessment_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Assessment:
    """404 when the assessment is not visible to the user; 403 when they may only read it."""
    try:
        assessment = (
            assessments_visible_to(user, agency)
            .select_related(
                "period__agency",
                "period__instrument",
                "indicator__aspect__domain",
                "lead_unit",
                "reviewer",
            )
            .prefetch_related("supporting_units", "pics", "period__windows")
            .get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not (is_owner(user, assessment) or can_manage_evaluation(user, agency)):
        raise PermissionDenied
    return assessment


# --- evidence --------------------------------------------------------------------


def evidence_visible_to(user: Any, agency: Agency | None) -> QuerySet[Evidence]:
    """Oversight roles see the agency's whole library; OPD admins see their units' evidence
    and evidence attached to indicators they work on."""
    if agency is None:
        return Evidence.objects.none()
    if has_role(user, agency, *OVERSIGHT_ROLES):
        return Evidence.objects.filter(agency=agency)
    units = unit_ids_of(user, agency, Role.UNIT_ADMIN)
    is_pic = (
        getattr(user, "is_authenticated", False)
        and Assessment.objects.filter(period__agency=agency, pics=user).exists()
    )
    if not units and not is_pic:
        return Evidence.objects.none()
    pic_filter = Q(links__assessment__pics=user) if is_pic else Q(pk__in=[])
    return (
        Evidence.objects.filter(agency=agency)
        .filter(
            Q(owner_unit__in=units)
            | Q(links__assessment__lead_unit__in=units)
            | Q(links__assessment__supporting_units__in=units)
            | pic_filter
        )
        .distinct()
    )


def openable_evidence(user: Any, agency: Agency | None, assessment: Assessment) -> set[int] | None:
    """Ids of the evidence attached to `assessment` that `user` may open (the others are
    listed by title only); None, without a query, for the oversight roles who open all."""
    if agency is not None and has_role(user, agency, *OVERSIGHT_ROLES):
        return None
    return set(
        evidence_visible_to(user, agency)
        .filter(links__assessment=assessment)
        .values_list("pk", flat=True)
    )


def can_edit_evidence(user: Any, evidence: Evidence) -> bool:
    agency = evidence.agency
    return can_manage_evaluation(user, agency) or evidence.owner_unit_id in unit_ids_of(
        user, agency, Role.UNIT_ADMIN
    )


def can_review_evidence(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, Role.INTERNAL_ASSESSOR, Role.SPBE_COORDINATOR)


def get_evidence_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Evidence:
    try:
        evidence = (
            evidence_visible_to(user, agency).select_related("owner_unit", "agency").get(pk=pk)
        )
    except (Evidence.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit_evidence(user, evidence):
        raise PermissionDenied
    return evidence
