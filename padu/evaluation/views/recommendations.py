"""LHE recommendations of a period: list and export, create, edit, follow-up, import, carry-over."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.accounts.choices import Role
from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv

from .. import services_recommendations as svc
from ..choices import RecommendationStatus
from ..forms_recommendations import FollowUpForm, RecommendationForm, RecommendationImportForm
from ..models import Period
from ..permissions import can_manage_evaluation, unit_ids_of
from ..recommendations_import import ImportFileError, parse_rows, read_table
from ..selectors_recommendations import (
    get_recommendation_for_user,
    previous_period,
    recommendations_for_period,
)
from .periods import get_period_for_user


def _csv(period: Period, items: Any) -> HttpResponseBase:
    header = [
        _("Indicator"),
        _("Recommendation"),
        _("Owner OPD"),
        _("Planned action"),
        _("Target date"),
        _("Status"),
        _("Carried from"),
    ]
    rows = (
        (
            r.indicator.code,
            r.text,
            r.owner_unit.name if r.owner_unit else "",
            r.action,
            r.target_on,
            r.get_status_display(),
            r.carried_from.period.year if r.carried_from else "",
        )
        for r in items
    )
    return csv_response(f"rekomendasi-{period.year}.csv", header, rows)


@login_required
@require_GET
def recommendation_list(request: HttpRequest, pk: int) -> HttpResponseBase:
    period = get_period_for_user(request, pk)
    params = request.GET
    items = recommendations_for_period(
        period,
        status=params.get("status", ""),
        unit=params.get("unit"),
        indicator=params.get("indicator"),
        sort=params.get("sort", ""),
    )
    if wants_csv(request):
        return _csv(period, items)
    agency = period.agency
    return render(
        request,
        "evaluation/recommendation_list.html",
        {
            "period": period,
            "items": items,
            "params": params,
            "statuses": RecommendationStatus.choices,
            "units": agency.units.order_by("name"),
            "indicators": period.instrument.indicators.order_by("number"),
            "can_manage": can_manage_evaluation(request.user, agency),
            "my_units": unit_ids_of(request.user, agency, Role.UNIT_ADMIN),
            "previous": previous_period(period),
        },
    )


def _form(period: Period, data: Any = None, **kwargs: Any) -> RecommendationForm:
    return RecommendationForm(
        data,
        indicators=period.instrument.indicators.order_by("number"),
        units=period.agency.units.filter(is_active=True).order_by("name"),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    form = _form(period, request.POST or None, initial={"indicator": request.GET.get("indicator")})
    if request.method == "POST" and form.is_valid():
        try:
            svc.create_recommendation(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The recommendation has been added."))
            return redirect("evaluation:recommendation_list", pk=period.pk)
    return render(request, "evaluation/recommendation_form.html", {"form": form, "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_recommendation_for_user(request.user, current_agency(request), pk, write="manage")
    initial = {
        f: getattr(rec, f)
        for f in ("indicator", "text", "owner_unit", "action", "target_on", "status")
    }
    form = _form(rec.period, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_recommendation(actor=request.user, recommendation=rec, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The recommendation has been saved."))
            return redirect("evaluation:recommendation_list", pk=rec.period_id)
    context = {"form": form, "period": rec.period, "recommendation": rec}
    return render(request, "evaluation/recommendation_form.html", context)


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_recommendation_for_user(request.user, current_agency(request), pk, write="manage")
    period_pk = rec.period_id
    svc.delete_recommendation(actor=request.user, recommendation=rec)
    messages.success(request, _("The recommendation has been deleted."))
    return redirect("evaluation:recommendation_list", pk=period_pk)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_recommendation_for_user(request.user, current_agency(request), pk, write="follow_up")
    initial = {"action": rec.action, "status": rec.status, "target_on": rec.target_on}
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_follow_up(actor=request.user, recommendation=rec, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The follow-up has been saved."))
            return redirect("evaluation:recommendation_list", pk=rec.period_id)
    context = {"form": form, "period": rec.period, "recommendation": rec}
    return render(request, "evaluation/recommendation_follow_up.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a file (dry run) or import it: all rows or none, each bad row named."""
    period = get_period_for_user(request, pk, write=True)
    form = RecommendationImportForm(request.POST or None, request.FILES or None)
    result, errors, skipped = None, [], 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        indicators, units = svc.import_lookups(period)
        try:
            table = read_table(upload.name, upload.read())
            result = parse_rows(
                table, indicators=indicators, units=units, earliest=svc.year_start(period)
            )
        except ImportFileError as exc:
            errors = [str(exc)]
        else:
            errors = [str(e) for e in result.errors]
            skipped = len(result.rows) - len(svc.without_duplicates(period, result.rows))
        if result is not None and not errors and not form.cleaned_data["dry_run"]:
            created = svc.import_recommendations(
                actor=request.user, period=period, rows=result.rows
            )
            skipped = len(result.rows) - len(created)
            messages.success(
                request, _("%(count)d recommendations imported.") % {"count": len(created)}
            )
            if skipped:
                messages.info(
                    request,
                    _(
                        "Rows skipped because the same recommendation is already in this"
                        " period: %(count)d."
                    )
                    % {"count": skipped},
                )
            return redirect("evaluation:recommendation_list", pk=period.pk)
    context = {
        "form": form,
        "period": period,
        "result": result,
        "errors": errors,
        "skipped": skipped,
    }
    return render(request, "evaluation/recommendation_import.html", context)


@login_required
@require_POST
def recommendation_carry(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the previous period's open recommendations into this one."""
    period = get_period_for_user(request, pk, write=True)
    source = previous_period(period)
    if source is None:
        messages.error(request, _("There is no earlier period to carry recommendations from."))
        return redirect("evaluation:recommendation_list", pk=period.pk)
    result = svc.carry_recommendations(from_period=source, to_period=period, user=request.user)
    messages.success(
        request,
        _("%(copied)d recommendations carried from %(year)d; %(already)d were already here.")
        % {"copied": len(result.copied), "year": source.year, "already": result.already},
    )
    for rec, reason in result.skipped:
        messages.warning(request, f"{rec.text[:60]}: {reason}")
    return redirect("evaluation:recommendation_list", pk=period.pk)
