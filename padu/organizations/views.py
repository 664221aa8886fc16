"""Units (OPD), the agency's regions and the agency settings."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.accounts.permissions import is_member
from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv

from . import services
from .choices import UnitKind
from .forms import AgencyForm, UnitForm
from .models import Region
from .permissions import can_manage_agency, get_unit_for_user, regions_of_agency, units_visible_to

UNIT_SORTS = {"name", "-name", "acronym", "-acronym", "kind", "-kind"}


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    units = units_visible_to(request.user, agency).select_related("parent", "region")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    active = request.GET.get("active", "1")
    if q:
        units = units.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if active in {"0", "1"}:
        units = units.filter(is_active=active == "1")
    sort = request.GET.get("sort", "name")
    units = units.order_by(sort if sort in UNIT_SORTS else "name")
    if wants_csv(request):
        rows = (
            (u.name, u.acronym, u.get_kind_display(), u.parent or "", u.region or "", u.is_active)
            for u in units
        )
        header = [_("Name"), _("Acronym"), _("Kind"), _("Parent unit"), _("Region"), _("Active")]
        return csv_response("unit-opd.csv", header, rows)
    return render(
        request,
        "organizations/unit_list.html",
        {
            "page": Paginator(units, 50).get_page(request.GET.get("page")),
            "q": q,
            "kind": kind,
            "active": active,
            "sort": sort,
            "kinds": UnitKind.choices,
            "can_manage": can_manage_agency(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_manage_agency(request.user, agency):
        raise PermissionDenied
    form = UnitForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_unit(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The unit has been added."))
            return redirect("organizations:unit_list")
    return render(request, "organizations/unit_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    unit = get_unit_for_user(request.user, agency, pk, write=True)
    form = UnitForm(request.POST or None, instance=unit, agency=agency)
    if request.method == "POST" and form.is_valid():
        unit.refresh_from_db()
        try:
            services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect("organizations:unit_list")
    return render(request, "organizations/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_GET
def region_list(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    if not is_member(request.user, agency):
        raise PermissionDenied
    regions = regions_of_agency(agency)
    parent_code = request.GET.get("parent") or (agency.region.code if agency.region else "")
    parent = regions.filter(code=parent_code).first()
    if parent is None and parent_code:
        raise Http404
    children = (
        regions.filter(parent=parent).annotate(child_count=Count("children")).order_by("code")
    )
    if wants_csv(request):
        rows = ((r.code, r.name, r.get_kind_display()) for r in children)
        return csv_response("wilayah.csv", [_("Code"), _("Name"), _("Kind")], rows)
    ancestors: list[Region] = []
    node = parent
    while node is not None and agency.region is not None and node.is_within(agency.region):
        ancestors.insert(0, node)
        node = node.parent
    return render(
        request,
        "organizations/region_list.html",
        {
            "parent": parent,
            "children": children,
            "ancestors": ancestors,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_manage_agency(request.user, agency):
        raise PermissionDenied
    form = AgencyForm(request.POST or None, request.FILES or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        agency.refresh_from_db()
        try:
            services.update_agency(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The agency settings have been saved."))
            return redirect("organizations:agency_edit")
    return render(request, "organizations/agency_form.html", {"form": form})


@login_required
@require_GET
def agency_logo(request: HttpRequest) -> FileResponse:
    """The current agency's logo, only for its members."""
    agency = current_agency(request)
    if not agency.logo:
        raise Http404
    content_type = mimetypes.guess_type(agency.logo.name or "")[0] or "application/octet-stream"
    response = FileResponse(agency.logo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
