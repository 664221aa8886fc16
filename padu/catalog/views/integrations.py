"""Integrations: list with filters, create/edit/delete, and the integration map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.core.forms import add_validation_error
from padu.core.http import current_agency
from padu.organizations.models import Agency, Unit

from .. import graph
from .. import services_integrations as services
from ..choices import IntegrationMethod, IntegrationStatus
from ..forms_planning import IntegrationForm
from ..models import Application, Integration
from ..permissions import (
    applications_visible_to,
    can_create_entries,
    can_view_catalog,
    get_integration_for_user,
    integrations_visible_to,
    is_catalog_manager,
    own_unit_ids,
    services_visible_to,
)

FILTERS = ("unit", "service", "method", "status")


def viewing_agency(request: HttpRequest) -> Agency:
    agency = current_agency(request)
    if not can_view_catalog(request.user, agency):
        raise PermissionDenied
    return agency


def _filtered(request: HttpRequest, agency: Agency) -> tuple[QuerySet[Integration], dict[str, str]]:
    params = {k: request.GET.get(k, "") for k in FILTERS}
    qs = integrations_visible_to(request.user, agency)
    if params["unit"].isdigit():
        unit = int(params["unit"])
        qs = qs.filter(Q(provider__owner_unit_id=unit) | Q(consumer__owner_unit_id=unit))
    if params["service"].isdigit():
        apps = Application.objects.filter(services__pk=int(params["service"]))
        qs = qs.filter(Q(provider__in=apps) | Q(consumer__in=apps))
    if params["method"] in IntegrationMethod.values:
        qs = qs.filter(method=params["method"])
    if params["status"] in IntegrationStatus.values:
        qs = qs.filter(status=params["status"])
    return qs, params


def _filter_context(request: HttpRequest, agency: Agency) -> dict[str, Any]:
    return {
        "units": Unit.objects.filter(agency=agency).order_by("name"),
        "catalog_services": services_visible_to(request.user, agency).order_by("name"),
        "methods": IntegrationMethod.choices,
        "statuses": IntegrationStatus.choices,
    }


def _consumers(request: HttpRequest, agency: Agency) -> QuerySet[Application]:
    apps = applications_visible_to(request.user, agency)
    if is_catalog_manager(request.user, agency):
        return apps
    return apps.filter(owner_unit_id__in=own_unit_ids(request.user, agency))


@login_required
@require_GET
def integration_list(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    qs, params = _filtered(request, agency)
    rows = qs.select_related(
        "provider__owner_unit", "provider_national", "consumer__owner_unit"
    ).order_by("consumer__name", "method")
    context = {"integrations": rows, "params": params, **_filter_context(request, agency)}
    context["can_add"] = can_create_entries(request.user, agency)
    return render(request, "catalog/integration_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def integration_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    if not can_create_entries(request.user, agency):
        raise PermissionDenied
    form = IntegrationForm(
        request.POST or None, agency=agency, consumers=_consumers(request, agency)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_integration(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Integration saved."))
            return redirect("catalog:integration_list")
    return render(request, "catalog/integration_form.html", {"form": form, "integration": None})


@login_required
@require_http_methods(["GET", "POST"])
def integration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    integration = get_integration_for_user(request.user, agency, pk, write=True)
    initial = {f: getattr(integration, f) for f in services.FIELDS}
    form = IntegrationForm(
        request.POST or None,
        initial=initial,
        agency=agency,
        consumers=_consumers(request, agency),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_integration(
                actor=request.user, integration=integration, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Integration saved."))
            return redirect("catalog:integration_list")
    context = {"form": form, "integration": integration}
    return render(request, "catalog/integration_form.html", context)


@login_required
@require_POST
def integration_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    integration = get_integration_for_user(request.user, agency, pk, write=True)
    services.delete_integration(actor=request.user, integration=integration)
    messages.success(request, _("Integration removed."))
    return redirect("catalog:integration_list")


def graph_data(
    agency: Agency, integrations: QuerySet[Integration], params: dict[str, str]
) -> dict[str, Any]:
    """Nodes (applications; national providers too) and edges for the map, plus the islands."""
    apps = list(
        Application.objects.filter(agency=agency)
        .select_related("owner_unit")
        .only("pk", "name", "acronym", "national_id", "owner_unit__acronym", "owner_unit__name")
    )
    edges = list(
        integrations.values_list(
            "provider_id",
            "provider_national_id",
            "provider_national__name",
            "consumer_id",
            "method",
        )
    )
    pairs = [(f"a{p}" if p else f"n{n}", f"a{c}") for p, n, _name, c, _m in edges]
    national = {f"n{n}": name for _p, n, name, _c, _m in edges if n}
    keys = [f"a{a.pk}" for a in apps]
    deg = graph.degrees([*keys, *national], pairs)
    shown = set(keys)
    if params["unit"] or params["service"]:
        in_service = set(
            Application.objects.filter(services__pk=params["service"] or 0).values_list(
                "pk", flat=True
            )
        )
        shown = {k for k in keys if deg[k].total} | {
            f"a{a.pk}" for a in apps if str(a.owner_unit_id) == params["unit"] or a.pk in in_service
        }
    nodes = [
        {
            "id": f"a{a.pk}",
            "label": a.acronym or a.name,
            "name": a.name,
            "unit": a.owner_unit.acronym or a.owner_unit.name,
            "national": a.national_id is not None,
        }
        for a in apps
        if f"a{a.pk}" in shown
    ] + [
        {"id": k, "label": v, "name": v, "unit": "", "national": True} for k, v in national.items()
    ]
    return {
        "nodes": nodes,
        "edges": [[p, c, m] for (p, c), (*_x, m) in zip(pairs, edges, strict=True)],
        "islands": sorted(
            (a for a in apps if f"a{a.pk}" in shown and deg[f"a{a.pk}"].total == 0),
            key=lambda a: a.name,
        ),
        "share": graph.share_integrated([k for k in keys if k in shown], pairs),
        "app_count": len(shown),
    }


@login_required
@require_GET
def integration_graph(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    qs, params = _filtered(request, agency)
    data = graph_data(agency, qs, params)
    islands = data.pop("islands")
    context = {"graph": data, "islands": islands, "params": params}
    context.update(_filter_context(request, agency))
    return render(request, "catalog/integration_graph.html", context)
