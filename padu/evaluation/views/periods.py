"""Periods: list, create, windows, bulk assignment, external results, and the OPD's own list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.accounts.choices import Role
from padu.accounts.permissions import users_of_agency
from padu.core.forms import add_validation_error
from padu.core.http import current_agency
from padu.organizations.models import Agency

from .. import services
from ..forms import AssignmentForm, PeriodForm
from ..models import Assessment, Period
from ..permissions import (
    can_manage_evaluation,
    can_view_evaluation,
    current_stages,
    periods_visible_to,
    unit_ids_of,
)


def _agency_for_viewing(request: HttpRequest) -> Agency:
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    return agency


def _agency_for_managing(request: HttpRequest) -> Agency:
    agency = current_agency(request)
    if not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    return agency


def get_period_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> Period:
    agency = _agency_for_viewing(request)
    try:
        period = (
            periods_visible_to(request.user, agency)
            .select_related("instrument", "agency")
            .get(pk=pk)
        )
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    return period


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    agency = _agency_for_viewing(request)
    periods = (
        periods_visible_to(request.user, agency)
        .select_related("instrument")
        .prefetch_related("windows")
    )
    return render(
        request,
        "evaluation/period_list.html",
        {
            "periods": periods,
            "can_manage": can_manage_evaluation(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    agency = _agency_for_managing(request)
    form = PeriodForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(
                actor=request.user,
                agency=agency,
                year=form.cleaned_data["year"],
                instrument=form.cleaned_data["instrument"],
                windows=form.windows(),
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The period has been opened."))
            return redirect("evaluation:period_detail", pk=period.pk)
    return render(request, "evaluation/period_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    initial = {}
    for w in period.windows.all():
        initial[f"{w.stage}_start"] = w.starts_on
        initial[f"{w.stage}_end"] = w.ends_on
    form = PeriodForm(request.POST or None, initial=initial, agency=period.agency, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_windows(actor=request.user, period=period, windows=form.windows())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The stage windows have been saved."))
            return redirect("evaluation:period_detail", pk=period.pk)
    return render(request, "evaluation/period_form.html", {"form": form, "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    assessments = list(
        period.assessments.select_related("indicator", "lead_unit").prefetch_related(
            "supporting_units", "pics"
        )
    )
    units = period.agency.units.filter(is_active=True).order_by("name")
    users = (
        users_of_agency(period.agency)
        .filter(memberships__role=Role.UNIT_ADMIN, memberships__agency=period.agency)
        .distinct()
        .order_by("full_name")
    )
    # the options of every row's three selects, read once (not three queries a row)
    unit_choices = [(u.pk, str(u)) for u in units]
    user_choices = [(u.pk, str(u)) for u in users]
    forms_ = []
    for a in assessments:
        initial = {
            "assessment_id": a.pk,
            "lead_unit": a.lead_unit,
            "service_name": a.service_name,
            "supporting_units": list(a.supporting_units.all()),
            "pics": list(a.pics.all()),
            "due_on": a.due_on,
        }
        form = AssignmentForm(
            request.POST or None,
            prefix=f"a{a.pk}",
            initial=initial,
            units=units,
            users=users,
            unit_choices=unit_choices,
            user_choices=user_choices,
        )
        forms_.append((a, form))
    if request.method == "POST" and all(f.is_valid() for _a, f in forms_):
        rows = [
            services.AssignmentRow(
                assessment_id=a.pk,
                lead_unit=f.cleaned_data["lead_unit"],
                supporting_units=list(f.cleaned_data["supporting_units"]),
                pics=list(f.cleaned_data["pics"]),
                service_name=f.cleaned_data["service_name"],
                due_on=f.cleaned_data["due_on"],
            )
            for a, f in forms_
        ]
        try:
            changed = services.assign_assessments(actor=request.user, period=period, rows=rows)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Assignment saved: %(count)d indicators changed.") % {"count": changed},
            )
            return redirect("evaluation:assignment", pk=period.pk)
    return render(request, "evaluation/assignment.html", {"period": period, "rows": forms_})


@login_required
@require_http_methods(["GET", "POST"])
def external_results(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    instrument = period.instrument
    if instrument.is_decimal:  # Pemdi: values such as 1,26 (views/history.py)
        from .history import external_values_form

        return external_values_form(request, period)
    assessments = list(period.assessments.select_related("indicator"))
    levels = range(instrument.min_level, instrument.max_level + 1)
    error = ""
    if request.method == "POST":
        parsed: dict[int, int | None] = {}
        for a in assessments:
            raw = request.POST.get(f"level_{a.pk}", "").strip()
            parsed[a.pk] = int(raw) if raw.isdigit() else None
        raw_index = request.POST.get("published_index", "").strip().replace(",", ".")
        try:
            from decimal import Decimal, InvalidOperation

            published = Decimal(raw_index) if raw_index else None
        except InvalidOperation:
            published = None
            error = _("The published index must be a number such as 2.75.")
        if not error:
            try:
                services.set_external_results(
                    actor=request.user, period=period, levels=parsed, published_index=published
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The external results have been saved."))
                return redirect("evaluation:period_detail", pk=period.pk)
    return render(
        request,
        "evaluation/external_results.html",
        {
            "period": period,
            "assessments": assessments,
            "levels": levels,
            "error": error,
        },
    )


@login_required
@require_GET
def my_indicators(request: HttpRequest) -> HttpResponse:
    """The indicators the user's units lead or support, or that name the user as PIC."""
    agency = _agency_for_viewing(request)
    units = unit_ids_of(request.user, agency, Role.UNIT_ADMIN)
    mine = (
        Assessment.objects.filter(period__agency=agency)
        .filter(Q(lead_unit__in=units) | Q(supporting_units__in=units) | Q(pics=request.user))
        .distinct()
        .select_related("indicator", "period__instrument", "lead_unit")
        .order_by("-period__year", "due_on", "indicator__number", "slot")
    )
    from ..services_plans import steps_for_units

    return render(
        request,
        "evaluation/my_indicators.html",
        {"assessments": mine, "plan_steps": list(steps_for_units(agency, units)[:100])},
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The agency's current period, or the list when there is none yet."""
    agency = _agency_for_viewing(request)
    period = periods_visible_to(request.user, agency).order_by("-year").first()
    if period is None:
        return redirect("evaluation:period_list")
    return redirect("evaluation:period_detail", pk=period.pk)


def latest_period_redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    """Send a navigation link without a period to `url_name` of the latest visible period."""
    agency = _agency_for_viewing(request)
    period = periods_visible_to(request.user, agency).order_by("-year").first()
    if period is None:
        messages.info(request, _("Create an evaluation period first."))
        return redirect("evaluation:period_list")
    return redirect(url_name, pk=period.pk)


def stage_labels(period: Period) -> list[str]:
    from ..choices import Stage

    return [str(Stage(s).label) for s in sorted(current_stages(period))]


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency dashboard of one period: index series, charts, progress per unit, attention list."""
    from ..choices import AssessmentStatus as S
    from ..permissions import today_in
    from ..selectors import progress_by_unit

    period = get_period_for_user(request, pk)
    period_windows = list(period.windows.all())
    assessments = list(
        period.assessments.select_related("indicator__aspect__domain", "lead_unit").order_by(
            "indicator__number", "slot"
        )
    )
    today = today_in(period.agency)
    attention = [
        a
        for a in assessments
        if (a.lead_unit_id is None and not a.indicator.is_external_index)
        or a.status == S.RETURNED
        or (a.due_on and a.due_on < today and a.status in (S.DRAFT, S.RETURNED))
    ]
    return render(
        request,
        "evaluation/period_detail.html",
        {
            "period": period,
            "windows": period_windows,
            "assessments": assessments,
            "progress": progress_by_unit(assessments, today),
            "attention": attention[:20],
            "stages": stage_labels(period),
            "can_manage": can_manage_evaluation(request.user, period.agency),
            "scores": period_scores(period, assessments),
        },
    )


def period_scores(period: Period, assessments: list[Assessment]) -> Any:
    from ..index import scores_for_period

    return scores_for_period(period, assessments)
