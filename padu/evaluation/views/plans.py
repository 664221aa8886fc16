"""Target planner, saved plans with their steps, and the what-if simulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.accounts.choices import Role
from padu.organizations.models import Unit

from .. import services_plans as plans
from ..choices import PlanStatus
from ..forms_plans import PlannerForm, StepForm, default_reachable, parse_row_inputs
from ..index import SERIES, figure, shape_for
from ..models import PlanStep, TargetPlan
from ..permissions import can_manage_evaluation, periods_visible_to, today_in, unit_ids_of
from ..planner import PlannerError
from .periods import _agency_for_viewing, get_period_for_user, latest_period_redirect


def get_plan_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> TargetPlan:
    agency = _agency_for_viewing(request)
    try:
        plan = TargetPlan.objects.select_related("period__instrument", "period__agency").get(
            pk=pk, period__in=periods_visible_to(request.user, agency)
        )
    except (TargetPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    return plan


@login_required
@require_GET
def plans_home(request: HttpRequest) -> HttpResponse:
    return latest_period_redirect(request, "evaluation:plan_list")


@login_required
@require_GET
def reports_home(request: HttpRequest) -> HttpResponse:
    return latest_period_redirect(request, "evaluation:report_index")


@login_required
@require_GET
def recommendations_home(request: HttpRequest) -> HttpResponse:
    return latest_period_redirect(request, "evaluation:recommendation_list")


@login_required
@require_GET
def plan_list(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk)
    return render(
        request,
        "evaluation/plan_list.html",
        {
            "period": period,
            "plans": period.plans.select_related("created_by").order_by("status", "-created_at"),
            "can_manage": can_manage_evaluation(request.user, period.agency),
        },
    )


def _effort_cells(row: plans.PlannerRow, data: Any, top: int) -> list[dict[str, Any]]:
    pk = row.assessment.pk
    return [
        {
            "level": level,
            "name": f"effort_{pk}_{level}",
            "value": data.get(f"effort_{pk}_{level}", "1") if data else "1",
            "enabled": level > row.current,
        }
        for level in range(2, top + 1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner: target, reachable level and effort per step; calculate, then save."""
    period = get_period_for_user(request, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = PlannerForm(data, initial={"series": request.GET.get("series", "self")})
    series = (data or request.GET).get("series", "self")
    if series not in plans.SERIES_ATTRIBUTES:
        series = "self"
    rows = plans.planner_rows(period, series)
    top = period.instrument.max_level
    reachable, efforts, row_errors = parse_row_inputs(data or {}, rows, top)
    result, error = None, ""
    if data is not None and form.is_valid() and not row_errors:
        target = form.cleaned_data["target"]
        if data.get("action") == "save":
            try:
                plan = plans.save_plan(
                    actor=request.user,
                    period=period,
                    name=form.cleaned_data["name"],
                    series=form.cleaned_data["series"],
                    rows=rows,
                    reachable=reachable,
                    efforts=efforts,
                    target=target,
                    due_on=form.cleaned_data["due_on"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect("evaluation:plan_detail", pk=plan.pk)
        try:
            result = plans.run_planner(period, rows, reachable, efforts, target)
        except PlannerError as exc:
            error = error or plans.planner_message(exc, period)
    elif data is not None and row_errors:
        error = _("Some rows need attention; see the messages in the table.")
    steps_by_pk: dict[int, list[Any]] = {}
    if result:
        by_key = {row.key: row.assessment.pk for row in rows}
        for step in result.steps:
            steps_by_pk.setdefault(by_key[step.key], []).append(step)
    defaults = default_reachable(rows, top)
    decimal = period.instrument.is_decimal
    table = [
        {
            "row": row,
            "reach": reachable.get(row.assessment.pk, defaults[row.assessment.pk]),
            "reach_text": (data.get(f"reach_{row.assessment.pk}") if data is not None else None)
            or formats.number_format(defaults[row.assessment.pk], 2),
            "levels": range(int(row.current), top + 1),
            "efforts": _effort_cells(row, data, top),
            "error": row_errors.get(row.assessment.pk, ""),
            "steps": steps_by_pk.get(row.assessment.pk, []),
        }
        for row in rows
    ]
    return render(
        request,
        "evaluation/plan_form.html",
        {
            "period": period,
            "form": form,
            "series": series,
            "table": table,
            "result": result,
            "figures": _result_figures(result, period.instrument) if result else {},
            "decimal": decimal,
            "error": error,
            "max_index": top,
        },
    )


def _result_figures(result: Any, instrument: Any) -> dict[str, str]:
    """The plan's index figures as published under the instrument's rounding ("2,98")."""
    return {
        name: formats.number_format(figure(getattr(result, name), instrument), 2)
        for name in ("baseline_index", "planned_index", "shortfall", "target")
    }


def _units(period: Any) -> list[tuple[int, str]]:
    return list(
        Unit.objects.filter(agency=period.agency, is_active=True)
        .order_by("name")
        .values_list("pk", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved plan: its steps, who does them by when, and how far it has come.

    The koordinator assigns every step; an OPD admin reports progress on their OPD's steps.
    """
    plan = get_plan_for_user(request, pk)
    agency = plan.period.agency
    manager = can_manage_evaluation(request.user, agency)
    own_units = unit_ids_of(request.user, agency, Role.UNIT_ADMIN)
    steps = list(
        PlanStep.objects.filter(plan=plan)
        .select_related("assessment__indicator", "assessment__lead_unit", "unit")
        .order_by("assessment__indicator__number", "assessment__slot", "to_level")
    )
    editable = [s for s in steps if manager or s.unit_id in own_units]
    if request.method == "POST" and not editable:
        raise PermissionDenied
    units = _units(plan.period)
    data = request.POST if request.method == "POST" else None
    forms = {
        step.pk: StepForm(
            data,
            prefix=f"s{step.pk}",
            units=units,
            restricted=not manager,
            initial={
                "unit": step.unit_id,
                "due_on": step.due_on,
                "status": step.status,
                "note": step.note,
            },
        )
        for step in editable
    }
    error = ""
    instrument = plan.period.instrument
    progress = plans.plan_progress(plan, steps, today_in(agency))
    if data is not None:
        if all(f.is_valid() for f in forms.values()):
            changes = [
                plans.StepChange(
                    step=step,
                    unit_id=forms[step.pk].cleaned_data["unit"],
                    due_on=forms[step.pk].cleaned_data["due_on"],
                    status=forms[step.pk].cleaned_data["status"],
                    note=forms[step.pk].cleaned_data["note"],
                )
                for step in editable
            ]
            try:
                count = plans.update_steps(actor=request.user, plan=plan, changes=changes)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("%(count)s steps updated.") % {"count": count})
                return redirect("evaluation:plan_detail", pk=plan.pk)
        else:
            error = _("Some steps need attention; see the messages in the table.")
    return render(
        request,
        "evaluation/plan_detail.html",
        {
            "plan": plan,
            "period": plan.period,
            "rows": [(step, forms.get(step.pk)) for step in steps],
            "progress": progress,
            "figures": {
                "baseline": formats.number_format(figure(plan.baseline_index, instrument), 2),
                "planned": formats.number_format(figure(plan.planned_index, instrument), 2),
                "if_done": formats.number_format(figure(progress.index_if_done, instrument), 2),
            },
            "decimal": instrument.is_decimal,
            "can_manage": manager,
            "can_edit": bool(editable),
            "error": error,
            "statuses": PlanStatus,
        },
    )


@login_required
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    try:
        plans.set_plan_status(actor=request.user, plan=plan, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("evaluation:plan_detail", pk=plan.pk)


@login_required
@require_GET
def simulator(request: HttpRequest, pk: int) -> HttpResponse:
    """What-if: move levels (or type Pemdi values) and see the index, domains or aspects and
    predicate change at once (in JS)."""
    period = get_period_for_user(request, pk)
    series = request.GET.get("series", "self")
    if series not in plans.SERIES_ATTRIBUTES:
        series = "self"
    rows = plans.planner_rows(period, series)
    shape = shape_for(period.instrument)
    model = {
        "divisor": str(shape.divisor),
        "min": shape.min_level,
        "max": shape.max_level,
        "bands": [
            {"name": b.name, "min": str(b.min), "max": str(b.max), "inclusive": b.max_inclusive}
            for b in shape.bands
        ],
        "domains": {d: str(w) for d, w in shape.domain_weights.items()},
        "items": [
            {
                "id": row.assessment.pk,
                "weight": str(shape.weights[row.key]),
                "domain": shape.domain_of.get(row.assessment.indicator.aspect.code) or "",
                "aspect": row.assessment.indicator.aspect.code,
                "start": str(row.current),
            }
            for row in rows
        ],
        # Pemdi (8/2026): typed decimal values, aspects in place of domains, its rounding rule.
        "decimal": shape.decimal_values,
        "rounding": shape.rounding,
        "aspects": {a: str(w) for a, w in shape.aspect_weights.items()},
        "invalid": _(
            "Type a value from %(low)s to %(high)s with at most two decimals, such as %(example)s. "
            "Until then this row counts at its starting value."
        )
        % {
            "low": formats.number_format(shape.min_level, 2),
            "high": formats.number_format(shape.max_level, 2),
            "example": formats.number_format(Decimal("2.40"), 2),
        },
    }
    names = {row.assessment.indicator.aspect.code: row.assessment.indicator.aspect for row in rows}
    aspect_names = (
        {code: names[code].name for code in shape.aspect_weights if code in names}
        if not shape.has_domains
        else {}
    )
    domain_names = {
        row.assessment.indicator.aspect.domain.code: row.assessment.indicator.aspect.domain.name
        for row in rows
        if row.assessment.indicator.aspect.domain
    }
    return render(
        request,
        "evaluation/plan_simulator.html",
        {
            "period": period,
            "rows": rows,
            "levels": range(shape.min_level, shape.max_level + 1),
            "model": model,
            "series": series,
            "series_choices": [(key, label) for key, _attr, label in SERIES],
            "domain_names": domain_names,
            "aspect_names": aspect_names,
            "zero": Decimal(0),
        },
    )
