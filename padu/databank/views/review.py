"""Verification (accept or return), lock exceptions and the completeness board."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from padu.core.http import csv_response, current_agency, wants_csv
from padu.evaluation.permissions import today_in
from padu.organizations.permissions import regions_of_agency

from .. import selectors_entry as sel
from .. import services_review
from ..forms_entry import CompletenessFilter, LockExceptionForm, ReturnForm
from ..models import Submission
from ..permissions import (
    can_verify,
    can_view_databank,
    datasets_visible_to,
    entry_regions,
    get_dataset_for_user,
    is_custodian,
    operator_region_codes,
    producer_unit_ids,
)
from .entry import get_form_target


def _verifiable(request: HttpRequest) -> list[Any]:
    agency = current_agency(request)
    datasets = [d for d in datasets_visible_to(request.user, agency) if can_verify(request.user, d)]
    if not datasets and not (
        is_custodian(request.user, agency) or producer_unit_ids(request.user, agency)
    ):
        raise PermissionDenied  # a walidata with no dataset yet sees an empty list
    return datasets


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    submissions = sel.submissions_to_review(_verifiable(request))
    return render(request, "databank/review_list.html", {"submissions": submissions})


def _submission_for_review(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> Submission:
    dataset, region = get_form_target(request, dataset_pk, region_code, period)
    if not can_verify(request.user, dataset):
        raise PermissionDenied
    submission = sel.submission_for(dataset, region.code, period)
    if submission is None:
        raise Http404
    return submission


@login_required
@require_GET
def review_form(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    submission = _submission_for_review(request, dataset_pk, region_code, period)
    grid = sel.form_grid(submission.dataset, submission.region_id, period)
    context = {
        "submission": submission,
        "dataset": submission.dataset,
        "region": submission.region,
        "period": period,
        "grid": grid,
        "form": ReturnForm(),
        "lock": sel.lock_for(submission.dataset, submission.region_id, period, submission),
    }
    return render(request, "databank/review_form.html", context)


@login_required
@require_POST
def review_accept(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    submission = _submission_for_review(request, dataset_pk, region_code, period)
    try:
        services_review.accept_submission(user=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("databank:review_form", dataset_pk, region_code, period)
    messages.success(request, _("The submission has been accepted and locked."))
    return redirect("databank:review_list")


def _picked(request: HttpRequest) -> tuple[list[tuple[int, int]], list[int]]:
    cells, rows = [], []
    for key in request.POST.getlist("cell"):
        element, _sep, combo = key.partition("-")
        if element.isdigit() and combo.isdigit():
            cells.append((int(element), int(combo)))
    rows = [int(v) for v in request.POST.getlist("row") if v.isdigit()]
    return cells, rows


@login_required
@require_POST
def review_return(
    request: HttpRequest, dataset_pk: int, region_code: str, period: str
) -> HttpResponse:
    submission = _submission_for_review(request, dataset_pk, region_code, period)
    form = ReturnForm(request.POST)
    cells, rows = _picked(request)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a reason and write a comment."))
        count = services_review.return_values(
            user=request.user,
            submission=submission,
            cells=cells,
            element_ids=rows,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("databank:review_form", dataset_pk, region_code, period)
    messages.success(request, _("%(count)d values returned to the operator.") % {"count": count})
    return redirect("databank:review_list")


@login_required
@require_POST
def lock_exception_create(request: HttpRequest, dataset_pk: int) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, current_agency(request), dataset_pk, write=True)
    form = LockExceptionForm(request.POST)
    back = request.POST.get("next") or ""
    try:
        if not form.is_valid():
            raise ValidationError(_("Fill in the period, the end and the reason."))
        data = form.cleaned_data
        region = None
        if data["region"]:
            region = regions_of_agency(dataset.agency).filter(code=data["region"]).first()
            if region is None:
                raise ValidationError(_("Unknown region code."))
        services_review.grant_lock_exception(
            user=request.user,
            dataset=dataset,
            region=region,
            period=data["period"],
            until=data["until"],
            reason=data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The period has been reopened."))
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("databank:completeness")


@login_required
@require_GET
def completeness(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    datasets = list(datasets_visible_to(request.user, agency).select_related("agency"))
    today = today_in(agency)
    flt = CompletenessFilter(request.GET or None, datasets=datasets)
    chosen = flt.cleaned_data if flt.is_valid() else {}
    by_pk = {str(d.pk): d for d in datasets}
    dataset = by_pk.get(chosen.get("dataset") or "") or (datasets[0] if datasets else None)
    year = chosen.get("year") or today.year
    board = None
    if dataset is not None:
        regions = list(_board_regions(request.user, dataset))
        board = sel.completeness_board(dataset, regions, year, today)
    if board is not None and wants_csv(request):
        return _board_csv(dataset, board)
    context = {"filter": flt, "dataset": dataset, "year": year, "board": board}
    return render(request, "databank/completeness.html", context)


def _board_regions(user: Any, dataset: Any) -> Any:
    """Operators see their own regions; everyone else who may read sees all of them."""
    if not can_verify(user, dataset) and operator_region_codes(user, dataset.agency):
        return entry_regions(user, dataset)
    regions = regions_of_agency(dataset.agency).filter(level=dataset.collection_level)
    if dataset.regions.exists():
        regions = regions.filter(pk__in=dataset.regions.values("pk"))
    return regions.order_by("code")


def _board_csv(dataset: Any, board: sel.Board) -> StreamingHttpResponse:
    header = [
        _("Region code"),
        _("Region"),
        _("Period"),
        _("Status"),
        _("Submitted on"),
        _("On time"),
    ]
    labels = dict(Submission._meta.get_field("status").choices or [])

    def rows() -> Any:
        for row in board.rows:
            for cell in row.cells:
                on_time = "" if cell.on_time is None else (_("yes") if cell.on_time else _("no"))
                submitted = cell.submitted_on.isoformat() if cell.submitted_on else ""
                yield [
                    row.region.code,
                    row.region.name,
                    cell.period,
                    labels.get(cell.status, cell.status),
                    submitted,
                    on_time,
                ]

    return csv_response(f"kelengkapan-{dataset.code}.csv", header, rows())
