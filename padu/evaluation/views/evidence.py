"""The evidence library: list, add, detail with versions, download, replace, review, archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.accounts.choices import Role
from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv

from .. import services_evidence as svc
from ..choices import EvidenceKind, EvidenceReview
from ..forms_evidence import EvidenceForm, ReplaceFileForm, ReviewForm
from ..permissions import (
    can_edit_evidence,
    can_manage_evaluation,
    can_review_evidence,
    can_view_evaluation,
    evidence_visible_to,
    get_evidence_for_user,
    today_in,
    unit_ids_of,
)

SORTS = {"title", "-title", "updated_at", "-updated_at", "document_date", "-document_date"}


def _units_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    agency = current_agency(request)
    units = agency.units.filter(is_active=True).order_by("name")
    if can_manage_evaluation(request.user, agency):
        return units
    return units.filter(pk__in=unit_ids_of(request.user, agency, Role.UNIT_ADMIN))


@login_required
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    items = evidence_visible_to(request.user, agency).select_related("owner_unit")
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(title__icontains=q) | Q(document_number__icontains=q))
    if (kind := request.GET.get("kind", "")) in EvidenceKind.values:
        items = items.filter(kind=kind)
    if (review := request.GET.get("review", "")) in EvidenceReview.values:
        items = items.filter(review_status=review)
    if unit := request.GET.get("unit", ""):
        items = items.filter(owner_unit_id=int(unit)) if unit.isdigit() else items.none()
    items = items.filter(is_archived=request.GET.get("archived") == "1")
    sort = request.GET.get("sort", "-updated_at")
    items = items.order_by(sort if sort in SORTS else "-updated_at")
    today = today_in(agency)
    rows = list(items)
    for item in rows:
        item.expired = svc.is_expired(item, today)  # type: ignore[attr-defined]
    if request.GET.get("expired") == "1":
        rows = [r for r in rows if r.expired]  # type: ignore[attr-defined]
    if wants_csv(request):
        header = [
            _("Title"),
            _("Type"),
            _("Owner unit"),
            _("Document number"),
            _("Document date"),
            _("Review status"),
            _("Expired"),
        ]
        return csv_response(
            "bukti-dukung.csv",
            header,
            (
                (
                    r.title,
                    r.get_kind_display(),
                    r.owner_unit,
                    r.document_number,
                    r.document_date,
                    r.get_review_status_display(),
                    r.expired,  # type: ignore[attr-defined]
                )
                for r in rows
            ),
        )
    return render(
        request,
        "evaluation/evidence_list.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "params": request.GET,
            "kinds": EvidenceKind.choices,
            "reviews": EvidenceReview.choices,
            "units": agency.units.filter(is_active=True).order_by("name"),
            "can_add": bool(_units_for(request).exists()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_create(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    units = _units_for(request)
    if not units.exists():
        raise PermissionDenied
    form = EvidenceForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        try:
            evidence = svc.create_evidence(
                actor=request.user,
                agency=agency,
                upload=upload,
                upload_name=getattr(upload, "name", ""),
                upload_size=getattr(upload, "size", 0),
                **data,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The evidence has been added to the library."))
            return redirect("evaluation:evidence_detail", pk=evidence.pk)
    return render(request, "evaluation/evidence_form.html", {"form": form})


@login_required
@require_GET
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    evidence = get_evidence_for_user(request.user, agency, pk)
    return render(
        request,
        "evaluation/evidence_detail.html",
        {
            "evidence": evidence,
            "files": evidence.files.select_related("uploaded_by"),
            "links": evidence.links.select_related("assessment__indicator", "assessment__period"),
            "expired": svc.is_expired(evidence, today_in(agency)),
            "can_edit": can_edit_evidence(request.user, evidence),
            "can_review": can_review_evidence(request.user, agency),
            "replace_form": ReplaceFileForm(),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, current_agency(request), pk, write=True)
    form = EvidenceForm(
        request.POST or None, instance=evidence, units=_units_for(request), with_file=False
    )
    if request.method == "POST" and form.is_valid():
        evidence.refresh_from_db()
        try:
            svc.update_evidence(actor=request.user, evidence=evidence, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The evidence has been saved."))
            return redirect("evaluation:evidence_detail", pk=evidence.pk)
    return render(request, "evaluation/evidence_form.html", {"form": form, "evidence": evidence})


@login_required
@require_POST
def evidence_replace(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, current_agency(request), pk, write=True)
    form = ReplaceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
    else:
        upload = form.cleaned_data["file"]
        try:
            svc.replace_evidence_file(
                actor=request.user,
                evidence=evidence,
                upload=upload,
                upload_name=upload.name,
                upload_size=upload.size,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("A new version has been uploaded; earlier versions are kept.")
            )
    return redirect("evaluation:evidence_detail", pk=evidence.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, version: int) -> FileResponse:
    """Always an attachment, never rendered inline, with the stored content type."""
    evidence = get_evidence_for_user(request.user, current_agency(request), pk)
    stored = evidence.files.filter(version=version).first()
    if stored is None:
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=(stored.file.name or "").rsplit("/", 1)[-1],
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, current_agency(request), pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose accepted, revise or rejected."))
        svc.review_evidence(actor=request.user, evidence=evidence, **form.cleaned_data)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The review has been saved."))
    return redirect("evaluation:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_archive(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, current_agency(request), pk, write=True)
    archived = request.POST.get("archived", "1") == "1"
    svc.archive_evidence(actor=request.user, evidence=evidence, archived=archived)
    messages.success(
        request,
        _("The evidence has been archived.")
        if archived
        else _("The evidence is back in the library."),
    )
    return redirect("evaluation:evidence_detail", pk=evidence.pk)
