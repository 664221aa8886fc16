"""Services (layanan) of the register and the agency's own reference codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.forms import add_validation_error

from .. import services as svc
from ..choices import ServiceKind
from ..filters import ServiceFilterSet
from ..forms_register import ReferenceCodeForm, ServiceForm
from ..models import Service
from ..permissions import (
    can_create_entries,
    can_edit_unit_entry,
    get_service_for_user,
    is_catalog_manager,
    services_visible_to,
)
from .register import history_of, owner_units, viewing_agency


@login_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    filters = ServiceFilterSet(
        request.GET,
        queryset=services_visible_to(request.user, agency)
        .select_related("owner_unit")
        .annotate(app_count=Count("applications"))
        .order_by("name"),
        request=request,
    )
    context = {
        "page": Paginator(filters.qs, 50).get_page(request.GET.get("page")),
        "params": request.GET,
        "units": filters.form.fields["unit"].queryset,  # type: ignore[attr-defined]
        "kinds": ServiceKind.choices,
        "can_add": can_create_entries(request.user, agency),
    }
    return render(request, "catalog/service_list.html", context)


@login_required
@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    service = get_service_for_user(request.user, agency, pk)
    context = {
        "service": service,
        "applications": service.applications.select_related("owner_unit"),
        "codes": service.reference_codes.order_by("code"),
        "history": history_of(service),
        "can_edit": can_edit_unit_entry(request.user, agency, service.owner_unit_id),
    }
    return render(request, "catalog/service_detail.html", context)


def _save(request: HttpRequest, form: ServiceForm) -> Service | None:
    if not form.is_valid():
        return None
    kwargs = {
        "actor": request.user,
        "fields": form.service_fields(),
        "applications": list(form.cleaned_data["applications"]),
        "codes": form.cleaned_data["codes"],
    }
    try:
        if form.instance.pk:
            return svc.update_service(service=form.instance, **kwargs)
        return svc.create_service(agency=form.agency, **kwargs)
    except ValidationError as exc:
        add_validation_error(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    units = owner_units(request, agency)
    if not units.exists():
        raise PermissionDenied
    form = ServiceForm(request.POST or None, agency=agency, owner_units=units)
    if request.method == "POST" and (service := _save(request, form)):
        messages.success(request, _("The service has been registered."))
        return redirect("catalog:service_detail", pk=service.pk)
    return render(request, "catalog/service_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    service = get_service_for_user(request.user, agency, pk, write=True)
    form = ServiceForm(
        request.POST or None,
        instance=service,
        agency=agency,
        owner_units=owner_units(request, agency),
    )
    if request.method == "POST" and _save(request, form):
        messages.success(request, _("The service has been saved."))
        return redirect("catalog:service_detail", pk=service.pk)
    return render(request, "catalog/service_form.html", {"form": form, "service": service})


@login_required
@require_GET
def reference_list(request: HttpRequest) -> HttpResponse:
    """The agency's own level-3 codes, each under its national parent."""
    agency = viewing_agency(request)
    codes = (
        svc.codes_available(agency).filter(agency=agency).select_related("parent").order_by("code")
    )
    context = {
        "codes": codes,
        "version": svc.current_version(),
        "can_add": is_catalog_manager(request.user, agency),
    }
    return render(request, "catalog/reference_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reference_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    if not is_catalog_manager(request.user, agency):
        raise PermissionDenied
    parents = svc.codes_available(agency).filter(agency__isnull=True, level=2)
    form = ReferenceCodeForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            svc.create_reference_code(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The code has been added."))
            return redirect("catalog:reference_list")
    return render(request, "catalog/reference_form.html", {"form": form})
