"""Bulk upload pages (/data/impor/): upload, templates, job progress and error report."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.core.http import current_agency
from padu.evaluation.permissions import today_in

from .. import periods
from ..forms_import import TemplateForm, UploadForm
from ..imports import templates as build
from ..models import Dataset
from ..permissions import can_view_databank, get_dataset_for_user, is_custodian
from ..selectors_import import (
    can_import,
    default_period,
    get_job_for_user,
    importable_datasets,
    jobs_visible_to,
    region_in_agency,
    template_region_choices,
    template_regions,
    template_rows,
)
from ..services_import import apply_job, create_job

CONTENT = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "dvs_json": ("json", "application/json"),
    "dvs_csv": ("dvs.csv", "text/csv; charset=utf-8"),
}
TEMPLATE_KEYS = ("dataset", "region", "period", "format")  # the template form's fields


@login_required
@require_http_methods(["GET", "POST"])
def import_home(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    datasets = importable_datasets(request.user, agency)
    form = UploadForm(request.POST or None, request.FILES or None, datasets=datasets)
    if request.method == "POST":
        if not can_import(request.user, agency):
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = create_job(
                user=request.user,
                dataset=form.cleaned_data["dataset"],
                fmt=form.cleaned_data["format"],
                name=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect("databank:import_detail", job.pk)
    # a refused template download comes back here with the user's choices in the query string
    initial = {"format": "xlsx"} | {k: request.GET[k] for k in TEMPLATE_KEYS if request.GET.get(k)}
    template_form = TemplateForm(
        datasets=datasets,
        regions=template_region_choices(request.user, agency),
        auto_id="tpl_%s",
        initial=initial,
    )
    return render(
        request,
        "databank/import_home.html",
        {
            "form": form,
            "template_form": template_form,
            "can_import": can_import(request.user, agency),
            "jobs": jobs_visible_to(request.user, agency).filter(user=request.user)[:20],  # type: ignore[misc]
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    dataset = get_dataset_for_user(request.user, agency, request.GET.get("dataset"))
    region = region_in_agency(agency, request.GET.get("region", ""))
    regions = template_regions(request.user, dataset, region)
    if not regions:
        raise PermissionDenied
    period = request.GET.get("period") or default_period(dataset, today_in(agency))
    if not periods.is_valid(period) or periods.parse(period).type != dataset.period_type:
        messages.error(request, _period_error(dataset, period, today_in(agency)))
        kept = {k: request.GET[k] for k in TEMPLATE_KEYS if request.GET.get(k)}
        return redirect(reverse("databank:import_home") + "?" + urlencode(kept))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT:
        raise Http404
    rows = template_rows(dataset, regions, period)
    data = {
        "xlsx": lambda: build.to_xlsx(rows, dataset.code, dataset.name),
        "csv": lambda: build.to_csv(rows),
        "dvs_json": lambda: build.to_dvs_json(rows, dataset.code),
        "dvs_csv": lambda: build.to_dvs_csv(rows),
    }[fmt]()
    ext, content_type = CONTENT[fmt]
    response = HttpResponse(data, content_type=content_type)
    name = f"{dataset.code}-{region.code}-{period}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period_error(dataset: Dataset, period: str, today: datetime.date) -> str:
    return _(
        "No template: “%(period)s” is not a period of %(dataset)s, which uses %(type)s "
        "periods (for example %(example)s)."
    ) % {
        "period": period[:20],
        "dataset": dataset.name,
        "type": dataset.get_period_type_display().lower(),
        "example": default_period(dataset, today),
    }


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    job = get_job_for_user(request.user, agency, pk)
    can_apply = job.user_id == request.user.pk or is_custodian(request.user, agency)
    context = {"job": job, "can_apply": can_apply and can_import(request.user, agency)}
    if request.headers.get("HX-Request"):
        return render(request, "databank/partials/import_progress.html", context)
    return render(request, "databank/import_detail.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    job = get_job_for_user(request.user, agency, pk)
    if job.user_id != request.user.pk and not is_custodian(request.user, agency):
        raise PermissionDenied
    if not can_import(request.user, agency):
        raise PermissionDenied
    apply_job(job=job, user=request.user)
    return redirect("databank:import_detail", job.pk)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = get_job_for_user(request.user, current_agency(request), pk)
    if not job.error_report:
        raise Http404
    return FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"kesalahan-impor-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
