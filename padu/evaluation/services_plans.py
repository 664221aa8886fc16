"""Target plans: build the planner's inputs from a period, save a plan, assign and track steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.accounts.choices import Role
from padu.audit import services as audit
from padu.organizations.models import Unit

from .choices import PlanStatus, StepStatus
from .index import SERIES, item_value, shape_for
from .models import Assessment, Period, PlanStep, TargetPlan
from .permissions import can_manage_evaluation, unit_ids_of
from .planner import ItemInput, PlannerError, PlanResult, plan_target
from .scoring import HUNDREDTH

SERIES_ATTRIBUTES = {key: attr for key, attr, _label in SERIES}


@dataclass
class PlannerRow:
    """One scored item on the planner page: the assessment and its starting level or value."""

    assessment: Assessment
    current: int | Decimal  # a value such as 1.26 on a decimal instrument (Pemdi)

    @property
    def is_external_index(self) -> bool:
        """Scored from another agency's index (Pemdi IK5, IK6, IK7, IK18): not planned by default."""
        return self.assessment.indicator.external_default is not None

    @property
    def key(self) -> tuple[int, int]:
        return (self.assessment.indicator.number, self.assessment.slot)


def planner_rows(period: Period, series: str) -> list[PlannerRow]:
    """Every assessment of the period with its level in `series` (unfilled counts at the floor;
    on a decimal instrument at its default, 1.00 for an external index not yet recorded)."""
    attribute = SERIES_ATTRIBUTES[series]
    floor = period.instrument.min_level
    assessments = period.assessments.select_related(
        "indicator__aspect__domain", "lead_unit"
    ).order_by("indicator__number", "slot")
    if not period.instrument.is_decimal:
        return [PlannerRow(a, getattr(a, attribute) or floor) for a in assessments]
    defaults = shape_for(period.instrument).defaults
    rows = []
    for a in assessments:
        value = item_value(a, attribute)
        start = Decimal(value) if value is not None else defaults[(a.indicator.number, a.slot)]
        rows.append(PlannerRow(a, start.quantize(HUNDREDTH)))
    return rows


def planner_message(error: PlannerError, period: Period) -> str:
    """The planner's refusal in the user's language."""
    top = period.instrument.max_level
    if error.code == "target_above_max":
        return _("The target is above the highest index the instrument allows (%(max)s.00).") % {
            "max": top
        }
    if error.code == "target_below_min":
        return _("The target is below the lowest index the instrument allows (%(min)s.00).") % {
            "min": period.instrument.min_level
        }
    if error.code == "effort":
        return _("Every effort must be a number above 0 and at most 1000.")
    if error.code == "levels":
        return _("The reachable level cannot be below the starting level.")
    if error.code == "values":
        return _("A value has at most two decimals, from 1.00 to 5.00.")
    return _("The planner could not use these inputs.")


def run_planner(
    period: Period,
    rows: list[PlannerRow],
    reachable: dict[int, int | Decimal],
    efforts: dict[int, Any],
    target: Decimal,
) -> PlanResult:
    """Plan over the rows; `reachable`/`efforts` are keyed by assessment pk. Raises PlannerError."""
    items = [
        ItemInput(
            key=row.key,
            current=row.current,
            reachable=reachable.get(row.assessment.pk, row.current),
            efforts=tuple(efforts.get(row.assessment.pk, ())),
        )
        for row in rows
    ]
    return plan_target(shape_for(period.instrument), items, target)


@transaction.atomic
def save_plan(
    *,
    actor: Any,
    period: Period,
    name: str,
    series: str,
    rows: list[PlannerRow],
    reachable: dict[int, int | Decimal],
    efforts: dict[int, Any],
    target: Decimal,
    due_on: datetime.date | None = None,
) -> TargetPlan:
    """Run the planner again on the given inputs and store its answer with one row per step."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the plan a name."))
    try:
        result = run_planner(period, rows, reachable, efforts, target)
    except PlannerError as exc:
        raise ValidationError(planner_message(exc, period)) from exc
    by_key = {row.key: row for row in rows}
    plan = TargetPlan.objects.create(
        period=period,
        name=name[:200],
        series=series,
        target_index=target,
        baseline_index=result.baseline_index.quantize(Decimal("0.0001")),
        planned_index=result.planned_index.quantize(Decimal("0.0001")),
        total_effort=result.total_effort.quantize(HUNDREDTH),
        reachable=result.reachable,
        inputs={
            str(row.assessment.pk): {
                "current": _plain(row.current),
                "reachable": _plain(reachable.get(row.assessment.pk, row.current)),
                "efforts": [str(e) for e in efforts.get(row.assessment.pk, ())],
            }
            for row in rows
        },
        created_by=actor,
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan,
            assessment=by_key[step.key].assessment,
            from_level=step.from_level,
            to_level=step.to_level,
            from_value=step.from_value,
            to_value=step.to_value,
            gain=step.gain.quantize(Decimal("0.00001")),
            effort=step.effort.quantize(HUNDREDTH),
            unit=by_key[step.key].assessment.lead_unit,
            due_on=due_on,
        )
        for step in result.steps
    )
    audit.record_create(plan, actor=actor, agency=period.agency)
    return plan


def _plain(value: int | Decimal) -> int | str:
    """A level as a JSON number, a decimal value as its text ("1.26"), so nothing is lost."""
    return value if isinstance(value, int) else str(value)


@dataclass
class StepChange:
    step: PlanStep
    unit_id: int | None
    due_on: datetime.date | None
    status: str
    note: str


@transaction.atomic
def update_steps(*, actor: Any, plan: TargetPlan, changes: list[StepChange]) -> int:
    """Assign steps to OPDs with due dates and record their progress; returns how many changed.

    The koordinator changes everything; an OPD admin only the status and note of the steps
    assigned to their own OPD.
    """
    agency = plan.period.agency
    manager = can_manage_evaluation(actor, agency)
    own_units = unit_ids_of(actor, agency, Role.UNIT_ADMIN)
    unit_ids = set(Unit.objects.filter(agency=agency).values_list("pk", flat=True))
    locked = {s.pk: s for s in PlanStep.objects.select_for_update().filter(plan=plan)}
    changed = 0
    for change in changes:
        step = locked.get(change.step.pk)
        if step is None:
            raise ValidationError(_("A step does not belong to this plan."))
        if not manager:
            if step.unit_id not in own_units:
                raise PermissionDenied
            if change.unit_id != step.unit_id or change.due_on != step.due_on:
                raise PermissionDenied
        if change.unit_id is not None and change.unit_id not in unit_ids:
            raise ValidationError(_("The OPD must belong to the agency."))
        if change.status not in StepStatus.values:
            raise ValidationError(_("Unknown step status."))
        before = audit.snapshot(step)
        step.unit_id = change.unit_id
        step.due_on = change.due_on
        step.status = change.status
        step.note = change.note.strip()
        if audit.snapshot(step) != before:
            step.save()
            audit.record_update(step, before, actor=actor, agency=agency)
            changed += 1
    return changed


@transaction.atomic
def set_plan_status(*, actor: Any, plan: TargetPlan, status: str) -> TargetPlan:
    if status not in PlanStatus.values:
        raise ValidationError(_("Unknown plan status."))
    before = audit.snapshot(plan)
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit.record_update(plan, before, actor=actor, agency=plan.period.agency)
    return plan


@dataclass
class PlanProgress:
    steps: int
    done: int
    reached_in_assessment: int
    index_if_done: Decimal
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.steps) if self.steps else 100


def plan_progress(plan: TargetPlan, steps: list[PlanStep], today: datetime.date) -> PlanProgress:
    """Done steps, steps whose level the self-assessment already shows, index from done steps."""
    attribute = SERIES_ATTRIBUTES.get(plan.series, "claimed_level")
    done = [s for s in steps if s.status == StepStatus.DONE]
    reached = [s for s in steps if _reached(s, attribute)]
    overdue = [
        s
        for s in steps
        if s.due_on and s.due_on < today and s.status not in (StepStatus.DONE, StepStatus.DROPPED)
    ]
    return PlanProgress(
        steps=len(steps),
        done=len(done),
        reached_in_assessment=len(reached),
        index_if_done=plan.baseline_index + sum((s.gain for s in done), Decimal(0)),
        overdue=len(overdue),
    )


def _reached(step: PlanStep, attribute: str) -> bool:
    """Whether the assessment already shows the step's top (its value on a decimal plan)."""
    if step.to_value is not None:
        value = item_value(step.assessment, attribute)
        return value is not None and value >= step.to_value
    return (getattr(step.assessment, attribute) or 0) >= step.to_level


def steps_for_units(agency: Any, unit_ids: set[int]) -> Any:
    """Open steps of active plans assigned to these OPDs, soonest due first."""
    return (
        PlanStep.objects.filter(
            plan__period__agency=agency, plan__status=PlanStatus.ACTIVE, unit_id__in=unit_ids
        )
        .exclude(status__in=[StepStatus.DONE, StepStatus.DROPPED])
        .select_related("plan__period", "assessment__indicator", "unit")
        .order_by("due_on", "plan__period__year", "assessment__indicator__number")
    )
