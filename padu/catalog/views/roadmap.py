"""The roadmap: a timeline of initiatives (years x initiatives) and their form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.forms import add_validation_error
from padu.evaluation.permissions import today_in
from padu.organizations.models import Agency

from .. import services_roadmap as services
from ..forms_planning import InitiativeForm
from ..models import Initiative
from ..permissions import can_create_entries, can_edit_unit_entry
from .integrations import viewing_agency
from .proposals import _units


def _first_year(request: HttpRequest, agency: Agency) -> int:
    raw = request.GET.get("from", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today_in(agency).year


@login_required
@require_GET
def roadmap(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    first = _first_year(request, agency)
    years = services.horizon(first)
    items = (
        Initiative.objects.filter(agency=agency, end_year__gte=years[0], start_year__lte=years[-1])
        .select_related("owner_unit")
        .prefetch_related("indicators", "applications")
    )
    context: dict[str, Any] = {
        "years": years,
        "rows": services.timeline(items, years),
        "previous": first - 1,
        "next": first + 1,
        "can_add": can_create_entries(request.user, agency),
    }
    return render(request, "catalog/roadmap_timeline.html", context)


def _form(request: HttpRequest, agency: Agency, item: Initiative | None) -> HttpResponse:
    first = _first_year(request, agency)
    if item is not None and "from" not in request.GET:
        first = min(first, item.start_year)
    initial: dict[str, Any] = {"start_year": first, "end_year": first, "progress": 0}
    if item is not None:
        skip = ("indicators", "applications")
        initial = {f: getattr(item, f) for f in InitiativeForm.base_fields if f not in skip}
        initial["indicators"] = list(item.indicators.all())
        initial["applications"] = list(item.applications.all())
    form = InitiativeForm(
        request.POST or None,
        initial=initial,
        agency=agency,
        units=_units(request, agency),
        indicators=services.current_indicators(agency),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_initiative(
                actor=request.user,
                agency=agency,
                first_year=first,
                initiative=item,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Initiative saved."))
            return redirect("catalog:roadmap")
    context = {"form": form, "initiative": item, "years": services.horizon(first)}
    return render(request, "catalog/roadmap_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    if not can_create_entries(request.user, agency):
        raise PermissionDenied
    return _form(request, agency, None)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    item = Initiative.objects.filter(agency=agency, pk=pk).first()
    if item is None:
        raise Http404
    if not can_edit_unit_entry(request.user, agency, item.owner_unit_id):
        raise PermissionDenied
    return _form(request, agency, item)
