"""Reads for LHE recommendations: the period list, the indicator panel, and who may act."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from padu.accounts.choices import Role
from padu.organizations.models import Agency

from .choices import RecommendationStatus
from .models import Assessment, Indicator, Period, Recommendation
from .permissions import can_manage_evaluation, can_view_evaluation, unit_ids_of

OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
SORTS = {
    "indicator": "indicator__number",
    "owner": "owner_unit__name",
    "target_on": "target_on",
    "status": "status",
    "updated": "updated_at",
}


def can_follow_up(user: Any, recommendation: Recommendation, agency: Agency) -> bool:
    """The koordinator, or the admin OPD of the recommendation's owner unit."""
    if can_manage_evaluation(user, agency):
        return True
    owner = recommendation.owner_unit_id
    return owner is not None and owner in unit_ids_of(user, agency, Role.UNIT_ADMIN)


def get_recommendation_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: str = ""
) -> Recommendation:
    """404 when not visible; with `write="manage"` 403 unless koordinator, with
    `write="follow_up"` 403 unless koordinator or admin OPD of the owner unit."""
    if agency is None or not can_view_evaluation(user, agency):
        raise Http404
    try:
        rec = Recommendation.objects.select_related(
            "period__agency",
            "period__instrument",
            "indicator",
            "owner_unit",
            "carried_from__period",
        ).get(pk=pk, period__agency=agency)
    except (Recommendation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write == "manage" and not can_manage_evaluation(user, agency):
        raise PermissionDenied
    if write == "follow_up" and not can_follow_up(user, rec, agency):
        raise PermissionDenied
    return rec


def recommendations_for_period(
    period: Period,
    *,
    status: str = "",
    unit: Any = None,
    indicator: Any = None,
    sort: str = "",
) -> QuerySet[Recommendation]:
    """The period's recommendations, filtered and sorted (indicator order by default);
    unknown filter and sort values are ignored."""
    qs = period.recommendations.select_related("indicator", "owner_unit", "carried_from__period")
    if status in RecommendationStatus.values:
        qs = qs.filter(status=status)
    if unit == "none":
        qs = qs.filter(owner_unit__isnull=True)
    elif str(unit or "").isdigit():
        qs = qs.filter(owner_unit_id=int(unit))
    if str(indicator or "").isdigit():
        qs = qs.filter(indicator__number=int(indicator))
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        return qs.order_by("indicator__number", "created_at", "pk")
    descending = sort.startswith("-")
    return qs.order_by(f"-{key}" if descending else key, "indicator__number", "pk")


def previous_period(period: Period) -> Period | None:
    """The agency's period of the latest year before this one."""
    return (
        Period.objects.filter(agency_id=period.agency_id, year__lt=period.year)
        .select_related("instrument")
        .order_by("-year")
        .first()
    )


def matching_indicator(indicator: Indicator, candidates: dict[tuple[int, str], Indicator]) -> Any:
    return candidates.get((indicator.number, indicator.code.strip().lower()))


@dataclass
class IndicatorRecommendations:
    """For the indicator page: this period's recommendations and the previous period's
    open ones that have not been carried over yet."""

    current: list[Recommendation] = field(default_factory=list)
    previous: list[Recommendation] = field(default_factory=list)
    editable: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.current or self.previous)


def indicator_recommendations(assessment: Assessment, user: Any = None) -> IndicatorRecommendations:
    """One query: this period's recommendations for the indicator, and the open ones of the
    latest earlier period (matched by indicator number and code) not yet carried here;
    `editable` holds the current ones whose follow-up `user` may update."""
    period, indicator = assessment.period, assessment.indicator
    latest_before = (
        Period.objects.filter(agency_id=period.agency_id, year__lt=period.year)
        .order_by("-year")
        .values("year")[:1]
    )
    previous_q = (
        Q(period__agency_id=period.agency_id)
        & Q(period__year=latest_before)
        & Q(indicator__number=indicator.number, indicator__code=indicator.code)
        & Q(status__in=OPEN_STATUSES)
        & ~Q(
            pk__in=Recommendation.objects.filter(period=period, carried_from__isnull=False).values(
                "carried_from_id"
            )
        )
    )
    rows = (
        Recommendation.objects.filter(Q(period=period, indicator=indicator) | previous_q)
        .select_related("owner_unit", "period")
        .order_by("-period__year", "created_at", "pk")
    )
    result = IndicatorRecommendations()
    for rec in rows:
        if rec.period_id != period.pk:
            result.previous.append(rec)
            continue
        result.current.append(rec)
        if user is not None and can_follow_up(user, rec, period.agency):
            result.editable.add(rec.pk)
    return result
