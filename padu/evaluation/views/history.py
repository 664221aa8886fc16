"""History and benchmarks: trend across years, comparing two periods, peers, result imports."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.http import csv_response, current_agency, wants_csv
from padu.organizations.choices import RegionLevel
from padu.organizations.models import Agency, Region

from .. import services
from .. import services_history as svc
from ..history import agency_history, compare_periods, history_table, peer_regions
from ..models import Period
from ..permissions import can_manage_evaluation, periods_visible_to
from ..results_import import EXTERNAL_COLUMNS, MAX_BYTES, parse_value
from ..results_published import PUBLISHED_COLUMNS
from ..results_templates import (
    DECIMAL_VALUE_COLUMN,
    TemplateIndicator,
    decimal_template_rows,
    template_rows,
    to_xlsx,
)
from ..values import read_decimal
from .periods import _agency_for_managing, _agency_for_viewing, get_period_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(request: HttpRequest) -> bytes | None:
    """The uploaded file's bytes (one byte past the limit at most), or None when absent."""
    upload = request.FILES.get("file")
    if upload is None:
        return None
    return upload.read(MAX_BYTES + 1)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponseBase:
    agency = _agency_for_viewing(request)
    data = agency_history(agency, periods_visible_to(request.user, agency))
    if wants_csv(request):
        header, rows = history_table(data)
        return csv_response(f"riwayat-spbe-{agency.slug}.csv", header, rows)
    context = {
        "history": data,
        "tables": [(section, *history_table(data, section)) for section in data.sections],
        "can_manage": can_manage_evaluation(request.user, agency),
    }
    return render(request, "evaluation/history.html", context)


@login_required
@require_GET
def history_compare(request: HttpRequest) -> HttpResponse:
    agency = _agency_for_viewing(request)
    periods = list(periods_visible_to(request.user, agency).order_by("-year"))
    comparison = None
    if request.GET.get("a") and request.GET.get("b"):
        a = get_period_for_user(request, request.GET["a"])
        b = get_period_for_user(request, request.GET["b"])
        comparison = compare_periods(a, b)
    context = {
        "periods": periods,
        "comparison": comparison,
        "series": _series_labels(),
        "default_a": periods[1].pk if len(periods) > 1 else None,
        "default_b": periods[0].pk if periods else None,
    }
    return render(request, "evaluation/history_compare.html", context)


def _series_labels() -> list[tuple[str, str]]:
    from ..index import SERIES

    return [(key, str(label)) for key, _attr, label in SERIES]


def _region_search(query: str) -> list[tuple[str, str]]:
    """Provinces, regencies and cities by name or code prefix, from the bundled Kemendagri list
    and the Region table (regions outside the loaded provinces are created when added)."""
    if len(query) < 2:
        return []
    needle = query.lower()
    names = svc.known_region_names()
    return sorted(
        (code, name)
        for code, name in names.items()
        if needle in name.lower() or code.startswith(query)
    )[:30]


@login_required
@require_http_methods(["GET", "POST"])
def history_peers(request: HttpRequest) -> HttpResponse:
    agency = _agency_for_viewing(request)
    if request.method == "POST":
        return _change_peers(request, _agency_for_managing(request))
    query = request.GET.get("q", "").strip()
    context = {
        "peers": peer_regions(agency),
        "query": query,
        "found": _region_search(query),
        "can_manage": can_manage_evaluation(request.user, agency),
    }
    return render(request, "evaluation/history_peers.html", context)


def _change_peers(request: HttpRequest, agency: Agency) -> HttpResponse:
    code = request.POST.get("region", "")
    try:
        if request.POST.get("action") == "remove":
            svc.remove_peer(actor=request.user, agency=agency, region_code=code)
        else:
            if code in svc.known_region_names():
                svc.ensure_regions({code})
            region = Region.objects.filter(code=code, level__lte=RegionLevel.REGENCY).first()
            if region is None:
                raise ValidationError(_("Choose a region from the search results."))
            svc.add_peer(actor=request.user, agency=agency, region=region)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The peers have been saved."))
    return redirect("evaluation:history_peers")


@login_required
@require_http_methods(["GET", "POST"])
def external_import(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    preview, applied = None, None
    if request.method == "POST":
        data = _upload(request)
        if data is None:
            messages.error(request, _("Choose a file to upload."))
        elif request.POST.get("action") == "apply":
            try:
                applied = svc.import_external_results(actor=request.user, period=period, data=data)
            except ValidationError:
                preview = svc.preview_external_import(period, data)
            else:
                count = {"count": len(applied.changes)}
                if applied.decimal:
                    messages.success(request, _("%(count)d indicator values changed.") % count)
                else:
                    messages.success(request, _("%(count)d indicator levels changed.") % count)
                return redirect("evaluation:external_import", pk=period.pk)
        else:
            preview = svc.preview_external_import(period, data)
    context = {"period": period, "preview": preview, "aliases": EXTERNAL_COLUMNS}
    return render(request, "evaluation/external_import.html", context)


def external_values_form(request: HttpRequest, period: Period) -> HttpResponse:
    """The LHE form of a decimal period (Pemdi): a value such as 1,26 per indicator and the
    published index; every value is checked before anything is saved (all or nothing)."""
    instrument = period.instrument
    assessments = list(period.assessments.select_related("indicator").order_by("indicator__number"))
    current = {a.pk: svc.current_external(a, decimal=True) for a in assessments}
    texts = {pk: "" if v is None else number_format(v, 2) for pk, v in current.items()}
    errors: list[str] = []
    if request.method == "POST":
        values: dict[int, Decimal | None] = {}
        for a in assessments:
            texts[a.pk] = request.POST.get(f"value_{a.pk}", "").strip()
            try:
                values[a.pk] = (
                    Decimal(
                        parse_value(
                            texts[a.pk],
                            decimal=True,
                            min_level=instrument.min_level,
                            max_level=instrument.max_level,
                        )
                    )
                    if texts[a.pk]
                    else None
                )
            except ValueError as exc:
                errors.append(f"{a.indicator.code}: {exc}")
        published = _published_index(request.POST.get("published_index", ""), errors)
        if not errors:
            try:
                with transaction.atomic():
                    svc.set_external_values(actor=request.user, period=period, values=values)
                    services.set_external_results(
                        actor=request.user, period=period, levels={}, published_index=published
                    )
            except ValidationError as exc:
                errors += exc.messages
            else:
                messages.success(request, _("The external results have been saved."))
                return redirect("evaluation:period_detail", pk=period.pk)
    rows = [(a, texts[a.pk]) for a in assessments]
    context = {"period": period, "rows": rows, "error": " ".join(errors)}
    return render(request, "evaluation/external_results.html", context)


def _published_index(raw: str, errors: list[str]) -> Decimal | None:
    """The published index typed as 2,75 or 2.75 (blank: none); a fault goes to `errors`."""
    raw = raw.strip()
    if not raw:
        return None
    value = read_decimal(raw, signed=True)
    if value is None:
        errors.append(_("The published index must be a number such as 2.75."))
    return value


@login_required
@require_GET
def external_template(request: HttpRequest, pk: int) -> HttpResponseBase:
    period = get_period_for_user(request, pk)
    indicators = period.instrument.indicators.order_by("number")
    formats: dict[int, str] = {}
    if period.instrument.is_decimal:
        header, rows = decimal_template_rows(
            [
                TemplateIndicator(i.number, i.code, i.slots, i.name, i.external_source)
                for i in indicators
            ],
            period.year,
        )
        formats[DECIMAL_VALUE_COLUMN] = "0.00"
    else:
        header, rows = template_rows(indicators.values_list("number", "slots", "name"), period.year)
    filename = f"hasil-eksternal-{period.year}"
    if request.GET.get("format") == "xlsx":
        workbook = to_xlsx(header, rows, str(period.year), formats)
        response = HttpResponse(workbook, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return csv_response(f"{filename}.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def published_import(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    preview = None
    if request.method == "POST":
        data = _upload(request)
        if data is None:
            messages.error(request, _("Choose a file to upload."))
        elif request.POST.get("action") == "apply":
            try:
                done = svc.import_published_results(actor=request.user, agency=agency, data=data)
            except ValidationError:
                preview = svc.preview_published_import(data, actor=request.user, agency=agency)
            else:
                messages.success(
                    request,
                    _(
                        "Published results: %(created)d added, %(updated)d updated, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "created": done.created,
                        "updated": done.updated,
                        "unchanged": done.unchanged,
                    },
                )
                return redirect("evaluation:history")
        else:
            preview = svc.preview_published_import(data, actor=request.user, agency=agency)
    context = {"preview": preview, "aliases": PUBLISHED_COLUMNS}
    return render(request, "evaluation/published_import.html", context)


@login_required
@require_GET
def published_template(request: HttpRequest) -> HttpResponseBase:
    _agency_for_viewing(request)
    header = ["tahun", "kode wilayah", "nama", "indeks", "sumber"]
    rows = [
        ["2024", "nasional", "Rata-rata nasional", "3.12", ""],
        ["2022", "74.71", "Kota Kendari", "2.02", ""],
    ]
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(to_xlsx(header, rows, "hasil"), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="hasil-terbit.xlsx"'
        return response
    return csv_response("hasil-terbit.csv", header, rows)
