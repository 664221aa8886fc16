"""Entry: the operator's list of forms, the form grid, autosave of one cell, submit."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from padu.core.http import current_agency
from padu.evaluation.permissions import today_in
from padu.organizations.models import Region

from .. import selectors_entry as sel
from .. import services_entry
from ..models import Dataset
from ..permissions import (
    can_enter,
    can_verify,
    can_view_databank,
    datasets_visible_to,
    get_dataset_for_user,
    is_custodian,
)


def get_form_target(
    request: HttpRequest, dataset_pk: Any, region_code: str, period: str
) -> tuple[Dataset, Region]:
    """The dataset and region of a form URL: 404 unless visible and part of the dataset."""
    dataset = get_dataset_for_user(request.user, current_agency(request), dataset_pk)
    own_code = dataset.agency.region_id or ""
    region = Region.objects.filter(code=region_code, level=dataset.collection_level).first()
    if (
        region is None
        or not own_code
        or not region.code.startswith(own_code + ".")
        or not sel.period_fits(dataset, period)
    ):
        raise Http404
    listed = set(dataset.regions.values_list("code", flat=True)[:1])
    if listed and not dataset.regions.filter(code=region.code).exists():
        raise Http404
    return dataset, region


@login_required
@require_GET
def entry_home(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    today = today_in(agency)
    datasets = list(datasets_visible_to(request.user, agency).select_related("agency"))
    regions_by_dataset = sel.entry_regions_by_dataset(request.user, agency, datasets)
    targets = []
    for dataset in datasets:
        regions = regions_by_dataset.get(dataset.pk, [])
        if regions:
            targets.append((dataset, regions, sel.recent_periods(dataset, today, 3)))
    found = sel.entry_submissions(
        [t[0] for t in targets],
        {r.code for _d, regions, _p in targets for r in regions},
        {c for _d, _r, codes in targets for c in codes},
    )
    blocks = []
    for dataset, regions, codes in targets:
        rows = [(r, [(c, found.get((dataset.pk, r.code, c))) for c in codes]) for r in regions]
        blocks.append({"dataset": dataset, "periods": codes, "rows": rows})
    return render(request, "databank/entry_home.html", {"blocks": blocks})


@login_required
@require_GET
def entry_form(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    dataset, region = get_form_target(request, dataset_pk, region_code, period)
    may_enter = can_enter(request.user, dataset, region)
    if not may_enter and not can_verify(request.user, dataset):
        raise PermissionDenied
    submission = sel.submission_for(dataset, region.code, period)
    lock = sel.lock_for(dataset, region.code, period, submission)
    grid = sel.form_grid(dataset, region.code, period)
    check = services_entry.check_form(dataset, region.code, period, grid)
    context = {
        "dataset": dataset,
        "region": region,
        "period": period,
        "submission": submission,
        "lock": lock,
        "grid": grid,
        "check": check,
        "editable": may_enter and lock.is_open,
        "is_custodian": is_custodian(request.user, dataset.agency),
    }
    return render(request, "databank/entry_form.html", context)


def _cell_input(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ValidationError(_("The request could not be read."))
        return data
    return request.POST.dict()


@login_required
@require_POST
def entry_cell(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    dataset, region = get_form_target(request, dataset_pk, region_code, period)
    if not can_enter(request.user, dataset, region):
        raise PermissionDenied
    try:
        data = _cell_input(request)
        comment = data.get("comment")
        result = services_entry.save_cell(
            user=request.user,
            dataset=dataset,
            region=region,
            period=period,
            element_id=int(data.get("element") or 0),
            combo_id=int(data.get("combo") or 0),
            raw="" if data.get("value") is None else str(data["value"]),
            comment=None if comment is None else str(comment)[:2000],
        )
    except (ValueError, TypeError):
        return JsonResponse({"ok": False, "error": _("The request could not be read.")}, status=400)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        return JsonResponse({"ok": False, "error": error, "code": exc.code or ""}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "value": result.value,
            "comment": result.comment,
            "warnings": result.warnings,
            "changed": result.changed,
        }
    )


@login_required
@require_POST
def entry_submit(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    dataset, region = get_form_target(request, dataset_pk, region_code, period)
    if not can_enter(request.user, dataset, region):
        raise PermissionDenied
    try:
        services_entry.submit_form(user=request.user, dataset=dataset, region=region, period=period)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The form has been submitted for review."))
    return redirect("databank:entry_form", dataset.pk, region.code, period)
