"""Writes for periods, stage windows, assignment and external (LHE) results."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.accounts.models import User
from padu.accounts.permissions import is_member
from padu.audit import services as audit
from padu.organizations.models import Agency, Unit

from .choices import InstrumentStatus, PeriodStatus, Stage
from .models import Assessment, Instrument, Period, StageWindow

Windows = Mapping[str, tuple[datetime.date, datetime.date]]


def _check_windows(windows: Windows) -> None:
    errors: dict[str, str] = {}
    for stage, (start, end) in windows.items():
        if stage not in Stage.values:
            raise ValueError(stage)
        if end < start:
            errors[stage] = _("The end date is before the start date.")
    if Stage.SELF_ASSESSMENT not in windows:
        errors[Stage.SELF_ASSESSMENT] = _("The self-assessment window is required.")
    if errors:
        raise ValidationError(errors)


def _previous_period(agency: Agency, year: int) -> Period | None:
    return Period.objects.filter(agency=agency, year__lt=year).order_by("-year").first()


DEFAULT_STATUSES = (InstrumentStatus.VERIFIED, InstrumentStatus.VERIFIED_SECONDARY)


def default_instrument(year: int) -> Instrument | None:
    """The national instrument a new period of `year` runs on: of the verified ones not
    superseded, the one that applies from the latest year not after `year` (8/2026 from 2026;
    59/2020, which names no year, before it)."""
    candidates = Instrument.objects.filter(
        agency__isnull=True, superseded_by__isnull=True, status__in=DEFAULT_STATUSES
    ).order_by("-loaded_at")
    best: Instrument | None = None
    for instrument in candidates:
        start = instrument.applies_from_year or 0
        if start <= year and (best is None or start > (best.applies_from_year or 0)):
            best = instrument
    return best


def _check_instrument(instrument: Instrument, agency: Agency) -> None:
    if instrument.agency_id not in (None, agency.pk):
        raise ValidationError({"instrument": _("This instrument belongs to another agency.")})
    newer = instrument.superseded_by
    if newer is not None:
        raise ValidationError(
            {
                "instrument": _(
                    "%(old)s has been superseded by %(new)s and cannot open a new period; "
                    "choose %(new)s."
                )
                % {"old": instrument, "new": newer}
            }
        )


@transaction.atomic
def create_period(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    instrument: Instrument | None,
    windows: Windows,
    copy_assignments: bool = True,
) -> Period:
    """Open a period: its windows and one assessment per indicator slot (assignment copied
    from the previous period where the indicator numbers match). Without an instrument the
    year's default is used (PermenPANRB 8/2026 from 2026)."""
    if instrument is None:
        instrument = default_instrument(year)
        if instrument is None:
            message = _("No national instrument applies to %(year)s; load one first.")
            raise ValidationError({"instrument": message % {"year": year}})
    _check_instrument(instrument, agency)
    if Period.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": _("This agency already has a period for that year.")})
    _check_windows(windows)
    period = Period.objects.create(
        agency=agency, year=year, instrument=instrument, status=PeriodStatus.ACTIVE
    )
    StageWindow.objects.bulk_create(
        StageWindow(period=period, stage=s, starts_on=a, ends_on=b) for s, (a, b) in windows.items()
    )
    indicators = list(instrument.indicators.order_by("number"))
    Assessment.objects.bulk_create(
        Assessment(period=period, indicator=ind, slot=slot)
        for ind in indicators
        for slot in range(1, ind.slots + 1)
    )
    previous = _previous_period(agency, year) if copy_assignments else None
    if previous is not None:
        copy_assignments_from(previous, period)
    audit.record_create(period, actor=actor, agency=agency)
    return period


def _assign_from_mapping(source: Period, target: Period) -> int:
    """Each target indicator gets the OPDs that led its mapped predecessors (the first as lead,
    the next two supporting); no PICs (they were named for other work)."""
    from .migration_pemdi import suggested_leads

    leads = suggested_leads(target)
    changed, through_units = [], []
    for a in target.assessments.select_related("indicator"):
        suggested = leads.get(a.indicator.number, [])
        if not suggested or a.indicator.is_external_index:
            continue
        a.lead_unit_id = suggested[0].unit.pk
        changed.append(a)
        through_units += [
            Assessment.supporting_units.through(assessment_id=a.pk, unit_id=s.unit.pk)
            for s in suggested[1:3]
        ]
    Assessment.objects.bulk_update(changed, ["lead_unit"])
    Assessment.supporting_units.through.objects.bulk_create(through_units, ignore_conflicts=True)
    return len(changed)


def copy_assignments_from(source: Period, target: Period) -> int:
    """Copy lead unit, supporting units, PICs and service names by indicator number and slot
    (a new version of the same instrument); where a mapping between two instruments is shipped
    (59/2020 -> 8/2026), through it, since the numbers mean different indicators."""
    from .migration_pemdi import mapping_between

    if source.instrument.code != target.instrument.code and mapping_between(
        source.instrument, target.instrument
    ):
        return _assign_from_mapping(source, target)
    old = {
        (a.indicator.number, a.slot): a
        for a in source.assessments.select_related("indicator").prefetch_related(
            "supporting_units", "pics"
        )
    }
    changed = []
    through_units, through_pics = [], []
    for a in target.assessments.select_related("indicator"):
        prev = old.get((a.indicator.number, a.slot))
        if prev is None or a.indicator.is_external_index:
            continue  # indicators scored from another agency's index are not assigned
        a.lead_unit_id = prev.lead_unit_id
        a.service_name = prev.service_name
        changed.append(a)
        through_units += [
            Assessment.supporting_units.through(assessment_id=a.pk, unit_id=u.pk)
            for u in prev.supporting_units.all()
        ]
        through_pics += [
            Assessment.pics.through(assessment_id=a.pk, user_id=u.pk) for u in prev.pics.all()
        ]
    Assessment.objects.bulk_update(changed, ["lead_unit", "service_name"])
    Assessment.supporting_units.through.objects.bulk_create(through_units, ignore_conflicts=True)
    Assessment.pics.through.objects.bulk_create(through_pics, ignore_conflicts=True)
    return len(changed)


@transaction.atomic
def update_windows(*, actor: Any, period: Period, windows: Windows) -> Period:
    """Replace the stage windows of a period."""
    _check_windows(windows)
    before = {w.stage: [str(w.starts_on), str(w.ends_on)] for w in period.windows.all()}
    period.windows.all().delete()
    StageWindow.objects.bulk_create(
        StageWindow(period=period, stage=s, starts_on=a, ends_on=b) for s, (a, b) in windows.items()
    )
    after = {s: [str(a), str(b)] for s, (a, b) in windows.items()}
    if before != after:
        audit.record(
            action="update",
            actor=actor,
            agency=period.agency,
            instance=period,
            before={"windows": before},
            after={"windows": after},
        )
    return period


@dataclass
class AssignmentRow:
    assessment_id: int
    lead_unit: Unit | None
    supporting_units: list[Unit] = field(default_factory=list)
    pics: list[User] = field(default_factory=list)
    service_name: str = ""
    due_on: datetime.date | None = None


def _assignment_snapshot(a: Assessment) -> dict[str, Any]:
    return {
        "lead_unit": a.lead_unit_id,
        "supporting_units": sorted(u.pk for u in a.supporting_units.all()),
        "pics": sorted(u.pk for u in a.pics.all()),
        "service_name": a.service_name,
        "due_on": a.due_on.isoformat() if a.due_on else None,
    }


@transaction.atomic
def assign_assessments(*, actor: Any, period: Period, rows: Iterable[AssignmentRow]) -> int:
    """Bulk assignment: every row checked first (units and PICs of this agency, service names
    where the indicator needs one), then saved; one audit row per changed indicator."""
    rows = list(rows)
    by_id = {
        a.pk: a
        for a in period.assessments.select_related("indicator").prefetch_related(
            "supporting_units", "pics"
        )
    }
    errors: list[str] = []
    for row in rows:
        a = by_id.get(row.assessment_id)
        if a is None:
            raise ValidationError(_("An indicator does not belong to this period."))
        units = [u for u in [row.lead_unit, *row.supporting_units] if u is not None]
        if a.indicator.is_external_index and (units or row.pics):
            errors.append(
                _(
                    "Indicator %(code)s is scored from %(source)s; it is not assigned to a unit "
                    "or a person in charge."
                )
                % {"code": a.indicator.code, "source": a.indicator.external_source}
            )
        if any(u.agency_id != period.agency_id for u in units):
            errors.append(
                _("Indicator %(code)s: a unit belongs to another agency.")
                % {"code": a.indicator.code}
            )
        if any(not is_member(u, period.agency) for u in row.pics):
            errors.append(
                _("Indicator %(code)s: a person in charge does not work for this agency.")
                % {"code": a.indicator.code}
            )
        if a.indicator.requires_service_name and row.lead_unit and not row.service_name.strip():
            errors.append(
                _("Indicator %(code)s: name the sector service it covers.")
                % {"code": a.indicator.code}
            )
    if errors:
        raise ValidationError(errors)
    changed = 0
    for row in rows:
        a = by_id[row.assessment_id]
        before = _assignment_snapshot(a)
        a.lead_unit = row.lead_unit
        a.service_name = row.service_name.strip()
        a.due_on = row.due_on
        a.save(update_fields=["lead_unit", "service_name", "due_on", "updated_at"])
        a.supporting_units.set([u for u in row.supporting_units if u != row.lead_unit])
        a.pics.set(row.pics)
        after = _assignment_snapshot(a)
        if before != after:
            changed += 1
            audit.record(
                action="update",
                actor=actor,
                agency=period.agency,
                instance=a,
                before=before,
                after=after,
                reason=_("Assignment"),
            )
    return changed


@transaction.atomic
def set_external_results(
    *, actor: Any, period: Period, levels: Mapping[int, int | None], published_index: Any = None
) -> int:
    """Record the national (LHE) levels per assessment and the published index."""
    instrument = period.instrument
    assessments = {a.pk: a for a in period.assessments.select_related("indicator")}
    for pk, level in levels.items():
        if pk not in assessments:
            raise ValidationError(_("An indicator does not belong to this period."))
        if level is not None and not instrument.min_level <= level <= instrument.max_level:
            raise ValidationError(
                _("Indicator %(code)s: level %(level)s is outside %(min)s-%(max)s.")
                % {
                    "code": assessments[pk].indicator.code,
                    "level": level,
                    "min": instrument.min_level,
                    "max": instrument.max_level,
                }
            )
    if published_index is not None and not (
        published_index.is_finite()
        and instrument.min_level <= published_index <= instrument.max_level
    ):
        raise ValidationError(
            {
                "published_index": _("The published index must lie between %(min)s and %(max)s.")
                % {"min": instrument.min_level, "max": instrument.max_level}
            }
        )
    changed = []
    for pk, level in levels.items():
        a = assessments[pk]
        if a.external_level != level:
            audit.record(
                action="update",
                actor=actor,
                agency=period.agency,
                instance=a,
                before={"external_level": a.external_level},
                after={"external_level": level},
            )
            a.external_level = level
            changed.append(a)
    Assessment.objects.bulk_update(changed, ["external_level"])
    if published_index is not None and period.external_index != published_index:
        before = audit.snapshot(period)
        period.external_index = published_index
        period.save(update_fields=["external_index"])
        audit.record_update(period, before, actor=actor, agency=period.agency)
    return len(changed)
