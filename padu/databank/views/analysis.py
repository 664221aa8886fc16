"""Analysis pages: pivot table, charts, map, boundary upload, OPD dashboards, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.core.http import current_agency
from padu.organizations.models import Agency, Unit

from .. import selectors_analysis as sel
from .. import services_analysis as svc
from ..api.renderers import csv_download
from ..charts_analysis import bar_chart, choropleth, trend_chart
from ..forms_analysis import AnalysisFilterForm, BoundaryUploadForm, DashboardForm, TokenForm
from ..models import ApiToken, Boundary, Dashboard
from ..permissions import can_view_databank, is_custodian, producer_unit_ids


def _reader(request: HttpRequest) -> Agency:
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    return agency


def _custodian(request: HttpRequest) -> Agency:
    agency = _reader(request)
    if not is_custodian(request.user, agency):
        raise PermissionDenied
    return agency


def _filters(request: HttpRequest, agency: Agency) -> AnalysisFilterForm:
    elements = sel.readable_elements(request.user, agency)
    return AnalysisFilterForm(request.GET or None, agency=agency, elements=elements)


@login_required
@require_GET
def pivot(request: HttpRequest) -> HttpResponse:
    agency = _reader(request)
    form = _filters(request, agency)
    table = None
    if form.is_valid():
        elements = list(form.element_queryset)
        if request.GET.get("format") == "csv":  # the export is the whole table, never a page
            table = sel.pivot(agency, elements, form.spec())
            header = [*(_(h) for h in table.row_headers), *table.columns]
            return csv_download(f"pivot-{agency.slug}.csv", header, table.csv_rows())
        table = sel.pivot(agency, elements, form.spec(), page=request.GET.get("page", 1))
    return render(request, "databank/analysis_pivot.html", {"form": form, "table": table})


@login_required
@require_GET
def charts(request: HttpRequest) -> HttpResponse:
    agency = _reader(request)
    form = _filters(request, agency)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        spec = form.spec()
        chosen = list(form.cleaned_data["elements"]) or list(form.element_queryset[:1])
        codes = sel.period_codes(spec.period_type, spec.start, spec.end)
        top = spec.under or (agency.region.code if agency.region else "")
        regions = sel.agency_regions(agency, spec.level, spec.under)
        lines = [(e.name, sel.series(e, [top], codes).get(top, {})) for e in chosen]
        context["trend"] = trend_chart(codes, lines)
        if chosen:
            last = codes[-1]
            values = sel.series(chosen[0], [r.code for r in regions], [last])
            context["compare_element"], context["compare_period"] = chosen[0], last
            context["bars"] = bar_chart([(r.name, values[r.code].get(last)) for r in regions])
    return render(request, "databank/analysis_charts.html", context)


@login_required
@require_GET
def region_map(request: HttpRequest) -> HttpResponse:
    agency = _reader(request)
    form = _filters(request, agency)
    context: dict[str, Any] = {"form": form, "can_upload": is_custodian(request.user, agency)}
    if form.is_valid():
        spec = form.spec()
        element = next(iter(form.cleaned_data["elements"]), None) or next(
            iter(form.element_queryset), None
        )
        regions = sel.agency_regions(agency, spec.level, spec.under)
        last = sel.period_codes(spec.period_type, spec.start, spec.end)[-1]
        values = sel.series(element, [r.code for r in regions], [last]) if element else {}
        flat = {code: v.get(last) for code, v in values.items()}
        shapes = dict(
            Boundary.objects.filter(region__in=regions).values_list("region_id", "geometry")
        )
        rows = [(r, flat.get(r.code)) for r in regions]
        context |= {"element": element, "period": last, "rows": rows}
        if shapes:
            drawn = [(r.code, r.name, shapes[r.code]) for r in regions if r.code in shapes]
            context["map"] = choropleth(drawn, flat)
    return render(request, "databank/analysis_map.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def boundary_upload(request: HttpRequest) -> HttpResponse:
    agency = _custodian(request)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(svc.MAX_BOUNDARY_BYTES + 1)
        shapes, errors = svc.parse_boundaries(agency, data, form.cleaned_data["code_property"])
        if not errors:
            n = svc.save_boundaries(
                agency=agency, actor=request.user, shapes=shapes, file_name=upload.name
            )
            messages.success(request, _("%(n)s boundaries saved.") % {"n": n})
            return redirect("databank:map")
    count = Boundary.objects.filter(region__in=sel.agency_regions(agency, 4)).count()
    context = {"form": form, "errors": errors, "count": count}
    return render(
        request, "databank/analysis_boundaries.html", context, status=400 if errors else 200
    )


# --- dashboards -----------------------------------------------------------------------------


def _can_edit_dashboard(user: Any, agency: Agency, dashboard: Dashboard | None) -> bool:
    if is_custodian(user, agency):
        return True
    units = producer_unit_ids(user, agency)
    return bool(units) and (dashboard is None or dashboard.unit_id in units)


def _dashboard(request: HttpRequest, pk: int, *, write: bool = False) -> tuple[Agency, Dashboard]:
    agency = _reader(request)
    dashboard = get_object_or_404(Dashboard.objects.select_related("unit"), pk=pk, agency=agency)
    if write and not _can_edit_dashboard(request.user, agency, dashboard):
        raise PermissionDenied
    return agency, dashboard


@login_required
@require_GET
def dashboard_list(request: HttpRequest) -> HttpResponse:
    agency = _reader(request)
    dashboards = Dashboard.objects.filter(agency=agency).select_related("unit")
    can_create = _can_edit_dashboard(request.user, agency, None)
    return render(
        request,
        "databank/dashboard_list.html",
        {"dashboards": dashboards, "can_create": can_create},
    )


@login_required
@require_GET
def dashboard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency, dashboard = _dashboard(request, pk)
    elements = sel.readable_elements(request.user, agency).filter(dashboards=dashboard)
    tiles = sel.dashboard_tiles(agency, list(elements.order_by("code")))
    context = {
        "dashboard": dashboard,
        "tiles": tiles,
        "can_edit": _can_edit_dashboard(request.user, agency, dashboard),
    }
    return render(request, "databank/dashboard_detail.html", context)


def _dashboard_form(request: HttpRequest, agency: Agency, dashboard: Dashboard | None) -> Any:
    custodian = is_custodian(request.user, agency)
    units = Unit.objects.filter(agency=agency)
    if not custodian:
        units = units.filter(pk__in=producer_unit_ids(request.user, agency))
    initial = {}
    if dashboard is not None:
        initial = {
            "name": dashboard.name,
            "unit": dashboard.unit,
            "elements": dashboard.elements.all(),
        }
    return DashboardForm(
        request.POST or None,
        initial=initial,
        units=units,
        elements=sel.readable_elements(request.user, agency),
        unit_required=not custodian,
    )


def _save_dashboard(
    request: HttpRequest, agency: Agency, dashboard: Dashboard | None
) -> HttpResponse:
    form = _dashboard_form(request, agency, dashboard)
    if request.method == "POST" and form.is_valid():
        saved = svc.save_dashboard(
            agency=agency,
            actor=request.user,
            dashboard=dashboard,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            elements=list(form.cleaned_data["elements"]),
        )
        messages.success(request, _("Dashboard saved."))
        return redirect("databank:dashboard_detail", saved.pk)
    return render(request, "databank/dashboard_form.html", {"form": form, "dashboard": dashboard})


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_create(request: HttpRequest) -> HttpResponse:
    agency = _reader(request)
    if not _can_edit_dashboard(request.user, agency, None):
        raise PermissionDenied
    return _save_dashboard(request, agency, None)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency, dashboard = _dashboard(request, pk, write=True)
    return _save_dashboard(request, agency, dashboard)


@login_required
@require_POST
def dashboard_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _agency, dashboard = _dashboard(request, pk, write=True)
    svc.delete_dashboard(dashboard=dashboard, actor=request.user)
    messages.success(request, _("Dashboard deleted."))
    return redirect("databank:dashboard_list")


# --- API tokens -----------------------------------------------------------------------------


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    agency = _custodian(request)
    tokens = ApiToken.objects.filter(agency=agency).select_related("unit", "created_by")
    return render(request, "databank/token_list.html", {"tokens": tokens})


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    agency = _custodian(request)
    form = TokenForm(request.POST or None, units=Unit.objects.filter(agency=agency))
    if request.method == "POST" and form.is_valid():
        issued = svc.create_token(
            agency=agency,
            actor=request.user,
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.expires_at(),
        )
        # The secret is shown on this response only; it is not stored.
        return render(request, "databank/token_created.html", {"issued": issued})
    return render(request, "databank/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _custodian(request)
    token = get_object_or_404(ApiToken, pk=pk, agency=agency)
    svc.revoke_token(token=token, actor=request.user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("databank:token_list")
