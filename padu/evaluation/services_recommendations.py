"""Writes for LHE recommendations: create, edit, delete, follow-up, carry-over and import."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Unit

from .choices import RecommendationStatus
from .models import Indicator, Period, Recommendation
from .permissions import can_manage_evaluation
from .recommendations_import import ImportRow, normalise
from .selectors_recommendations import OPEN_STATUSES, can_follow_up


def _require_manager(actor: Any, period: Period) -> None:
    if not can_manage_evaluation(actor, period.agency):
        raise PermissionDenied(_("Only the SPBE coordinator may manage recommendations."))


def year_start(period: Period) -> datetime.date:
    return datetime.date(period.year, 1, 1)


def _check(
    *,
    period: Period,
    indicator: Indicator | None,
    text: str,
    owner_unit: Unit | None,
    target_on: datetime.date | None,
    status: str,
) -> None:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the recommendation.")
    if indicator is None:
        errors["indicator"] = _("Choose the indicator.")
    elif indicator.instrument_id != period.instrument_id:
        errors["indicator"] = _("This indicator is not in the period's instrument.")
    if owner_unit is not None and owner_unit.agency_id != period.agency_id:
        errors["owner_unit"] = _("This OPD does not belong to the agency.")
    if target_on is not None and target_on < year_start(period):
        errors["target_on"] = _("The target date may not be before 1 January %(year)d.") % {
            "year": period.year
        }
    if status not in RecommendationStatus.values:
        errors["status"] = _("Unknown status.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_recommendation(
    *,
    actor: Any,
    period: Period,
    indicator: Indicator | None,
    text: str,
    action: str = "",
    owner_unit: Unit | None = None,
    target_on: datetime.date | None = None,
    status: str = RecommendationStatus.OPEN,
) -> Recommendation:
    _require_manager(actor, period)
    _check(
        period=period,
        indicator=indicator,
        text=text,
        owner_unit=owner_unit,
        target_on=target_on,
        status=status,
    )
    assert indicator is not None  # _check refused a missing indicator
    rec = Recommendation.objects.create(
        period=period,
        indicator=indicator,
        text=text.strip(),
        action=action.strip(),
        owner_unit=owner_unit,
        target_on=target_on,
        status=status,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(rec, actor=actor, agency=period.agency)
    return rec


@transaction.atomic
def update_recommendation(
    *,
    actor: Any,
    recommendation: Recommendation,
    indicator: Indicator | None,
    text: str,
    action: str,
    owner_unit: Unit | None,
    target_on: datetime.date | None,
    status: str,
) -> Recommendation:
    period = recommendation.period
    _require_manager(actor, period)
    _check(
        period=period,
        indicator=indicator,
        text=text,
        owner_unit=owner_unit,
        target_on=target_on,
        status=status,
    )
    before = audit.snapshot(recommendation)
    recommendation.indicator = indicator  # type: ignore[assignment]
    recommendation.text = text.strip()
    recommendation.action = action.strip()
    recommendation.owner_unit = owner_unit
    recommendation.target_on = target_on
    recommendation.status = status
    recommendation.save()
    audit.record_update(recommendation, before, actor=actor, agency=period.agency)
    return recommendation


@transaction.atomic
def delete_recommendation(*, actor: Any, recommendation: Recommendation) -> None:
    period = recommendation.period
    _require_manager(actor, period)
    audit.record_delete(recommendation, actor=actor, agency=period.agency)
    recommendation.delete()


@transaction.atomic
def update_follow_up(
    *,
    actor: Any,
    recommendation: Recommendation,
    action: str,
    status: str,
    target_on: datetime.date | None,
) -> Recommendation:
    """The tindak lanjut: the koordinator or the admin OPD of the owner unit."""
    period = recommendation.period
    if not can_follow_up(actor, recommendation, period.agency):
        raise PermissionDenied(
            _("Only the owner OPD or the SPBE coordinator may update the follow-up.")
        )
    errors: dict[str, str] = {}
    if status not in RecommendationStatus.values:
        errors["status"] = _("Unknown status.")
    if target_on is not None and target_on < year_start(period):
        errors["target_on"] = _("The target date may not be before 1 January %(year)d.") % {
            "year": period.year
        }
    if status == RecommendationStatus.DONE and not action.strip():
        errors["action"] = _("Describe what was done before marking the recommendation done.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(recommendation)
    recommendation.action = action.strip()
    recommendation.status = status
    recommendation.target_on = target_on
    recommendation.save(update_fields=["action", "status", "target_on", "updated_at"])
    audit.record_update(recommendation, before, actor=actor, agency=period.agency)
    return recommendation


@dataclass
class CarryResult:
    copied: list[Recommendation] = field(default_factory=list)
    already: int = 0
    skipped: list[tuple[Recommendation, str]] = field(default_factory=list)


@transaction.atomic
def carry_recommendations(*, from_period: Period, to_period: Period, user: Any) -> CarryResult:
    """Copy every open or in-progress recommendation of `from_period` into `to_period`,
    matching the indicator by number and code; a second run copies nothing."""
    _require_manager(user, to_period)
    if from_period.agency_id != to_period.agency_id or from_period.year >= to_period.year:
        raise ValidationError(
            _("Recommendations are carried from an earlier period of the same agency.")
        )
    candidates = {
        (i.number, i.code.strip().lower()): i for i in to_period.instrument.indicators.all()
    }
    done = set(
        Recommendation.objects.filter(
            period=to_period, carried_from__period=from_period
        ).values_list("carried_from_id", flat=True)
    )
    result = CarryResult()
    start = year_start(to_period)
    sources = from_period.recommendations.filter(status__in=OPEN_STATUSES).select_related(
        "indicator"
    )
    for old in sources.order_by("indicator__number", "pk"):
        if old.pk in done:
            result.already += 1
            continue
        target = candidates.get((old.indicator.number, old.indicator.code.strip().lower()))
        if target is None:
            reason = _("Indicator %(code)s is not in the %(year)d instrument.") % {
                "code": old.indicator.code,
                "year": to_period.year,
            }
            result.skipped.append((old, reason))
            continue
        new = Recommendation.objects.create(
            period=to_period,
            indicator=target,
            text=old.text,
            action=old.action,
            owner_unit_id=old.owner_unit_id,
            target_on=old.target_on if old.target_on and old.target_on >= start else None,
            status=old.status,
            carried_from=old,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        audit.record_create(
            new,
            actor=user,
            agency=to_period.agency,
            reason=_("Carried from %(year)d") % {"year": from_period.year},
        )
        result.copied.append(new)
    return result


def import_lookups(period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Normalised indicator numbers/codes and unit acronyms/names of the period, to ids."""
    indicators: dict[str, int] = {}
    for ind in period.instrument.indicators.all():
        indicators[str(ind.number)] = ind.pk
        indicators.setdefault(normalise(ind.code), ind.pk)
    units: dict[str, int] = {}
    for unit in period.agency.units.all():
        units[normalise(unit.name)] = unit.pk
        if unit.acronym:
            units.setdefault(normalise(unit.acronym), unit.pk)
    return indicators, units


def _text_key(indicator_id: int, text: str) -> tuple[int, str]:
    return indicator_id, " ".join(text.split()).casefold()


def without_duplicates(period: Period, rows: Sequence[ImportRow]) -> list[ImportRow]:
    """The rows not already in the period: same indicator and text, ignoring case and spacing.

    A row repeated in the file counts once, so importing the same file twice adds nothing.
    """
    seen = {
        _text_key(indicator_id, text)
        for indicator_id, text in period.recommendations.values_list("indicator_id", "text")
    }
    fresh = []
    for row in rows:
        key = _text_key(row.indicator_id, row.text)
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    return fresh


@transaction.atomic
def import_recommendations(
    *, actor: Any, period: Period, rows: Sequence[ImportRow]
) -> list[Recommendation]:
    """Create one recommendation per checked row not already in the period (see
    `without_duplicates`); the caller has refused files with errors."""
    _require_manager(actor, period)
    indicators = {i.pk for i in period.instrument.indicators.all()}
    units = set(period.agency.units.values_list("pk", flat=True))
    if any(
        r.indicator_id not in indicators or (r.unit_id and r.unit_id not in units) for r in rows
    ):
        raise ValidationError(_("The rows do not match this period; nothing was imported."))
    creator = actor if getattr(actor, "is_authenticated", False) else None
    created = Recommendation.objects.bulk_create(
        Recommendation(
            period=period,
            indicator_id=row.indicator_id,
            text=row.text,
            owner_unit_id=row.unit_id,
            target_on=row.target_on,
            created_by=creator,
        )
        for row in without_duplicates(period, rows)
    )
    for rec in created:
        audit.record_create(rec, actor=actor, agency=period.agency, reason=_("Import"))
    return created
