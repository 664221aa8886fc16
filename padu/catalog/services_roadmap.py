"""The roadmap (peta rencana): initiatives over a five-year horizon."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency, Unit

from .models import Application, Initiative
from .permissions import can_edit_unit_entry

HORIZON_YEARS = 5


def horizon(first_year: int) -> list[int]:
    return list(range(first_year, first_year + HORIZON_YEARS))


def check_years(
    start: int | None, end: int | None, progress: int | None, first_year: int
) -> dict[str, str]:
    """Errors by field: years ordered and within the horizon, progress 0-100 (pure)."""
    errors: dict[str, str] = {}
    years = horizon(first_year)
    for name, value in (("start_year", start), ("end_year", end)):
        if value is None or value not in years:
            errors[name] = _("Choose a year between %(first)s and %(last)s.") % {
                "first": years[0],
                "last": years[-1],
            }
    if "start_year" not in errors and "end_year" not in errors and end < start:  # type: ignore[operator]
        errors["end_year"] = _("The last year cannot be before the first year.")
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage from 0 to 100.")
    return errors


@dataclass(frozen=True)
class TimelineRow:
    initiative: Initiative
    cells: list[bool]  # one per horizon year: active that year


def timeline(initiatives: Iterable[Initiative], years: list[int]) -> list[TimelineRow]:
    return [TimelineRow(i, [i.start_year <= y <= i.end_year for y in years]) for i in initiatives]


def current_indicators(agency: Agency) -> QuerySet[Any]:
    """The indicators of the instrument of the agency's latest period."""
    from padu.evaluation.models import Indicator, Period

    period = Period.objects.filter(agency=agency).order_by("-year").first()
    if period is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(instrument_id=period.instrument_id).order_by("number")


@transaction.atomic
def save_initiative(
    *,
    actor: Any,
    agency: Agency,
    first_year: int,
    owner_unit: Unit,
    title: str,
    start_year: int,
    end_year: int,
    progress: int,
    initiative: Initiative | None = None,
    indicators: Iterable[Any] = (),
    applications: Iterable[Application] = (),
    **fields: Any,
) -> Initiative:
    """Create or change an initiative; an admin OPD only their own OPD's."""
    unknown = set(fields) - {"description", "budget", "status"}
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")
    if owner_unit.agency_id != agency.pk:
        raise ValidationError({"owner_unit": _("This unit belongs to another agency.")})
    for unit_id in {owner_unit.pk, initiative.owner_unit_id if initiative else owner_unit.pk}:
        if not can_edit_unit_entry(actor, agency, unit_id):
            raise PermissionDenied
    errors = check_years(start_year, end_year, progress, first_year)
    if errors:
        raise ValidationError(errors)
    allowed = set(current_indicators(agency).values_list("pk", flat=True))
    chosen = list(indicators)
    if any(i.pk not in allowed for i in chosen):
        raise ValidationError({"indicators": _("Choose indicators of the current instrument.")})
    apps = list(applications)
    if any(a.agency_id != agency.pk for a in apps):
        raise ValidationError({"applications": _("This application belongs to another agency.")})
    before = audit.snapshot(initiative) if initiative else None
    item = initiative or Initiative(agency=agency)
    item.owner_unit, item.title = owner_unit, title
    item.start_year, item.end_year, item.progress = start_year, end_year, progress
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    item.indicators.set(chosen)
    item.applications.set(apps)
    if before is None:
        audit.record_create(item, actor=actor, agency=agency)
    else:
        audit.record_update(item, before, actor=actor, agency=agency)
    return item
