"""The evidence library: list, add, detail with versions, download, replace, review, archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.accounts.choices import Role
from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv
from padu.organizations.models import Agency, Unit

from .. import services_evidence as svc
from ..choices import EvidenceKind, EvidenceReview
from ..filtersets_evidence import EvidenceFilterSet
from ..forms_evidence import EvidenceForm, ReplaceFileForm, ReviewForm
from ..models import Evidence
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

PAGE_SIZE = 50


def _owner_units(request: HttpRequest, agency: Agency) -> QuerySet[Unit]:
    """Units the user may file evidence under: all for the koordinator, else their own."""
    units = agency.units.filter(is_active=True).order_by("name")
    if can_manage_evaluation(request.user, agency):
        return units
    return units.filter(pk__in=unit_ids_of(request.user, agency, Role.UNIT_ADMIN))


def _csv(items: QuerySet[Evidence], agency: Agency) -> HttpResponseBase:
    today = today_in(agency)
    header = [
        _("Title"),
        _("Type"),
        _("Owner unit"),
        _("Document number"),
        _("Document date"),
        _("Valid until"),
        _("Review status"),
        _("Expired"),
        _("Archived"),
    ]
    rows = (
        (
            e.title,
            e.get_kind_display(),
            e.owner_unit,
            e.document_number,
            e.document_date,
            e.valid_until,
            e.get_review_status_display(),
            svc.is_expired(e, today),
            e.is_archived,
        )
        for e in items.iterator(chunk_size=500)
    )
    return csv_response("bukti-dukung.csv", header, rows)


@login_required
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    today = today_in(agency)
    filters = EvidenceFilterSet(
        request.GET,
        queryset=evidence_visible_to(request.user, agency).select_related("owner_unit"),
        request=request,
        today=today,
    )
    if wants_csv(request):
        return _csv(filters.qs, agency)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.expired = svc.is_expired(item, today)  # type: ignore[attr-defined]
    can_add = can_manage_evaluation(request.user, agency) or bool(
        unit_ids_of(request.user, agency, Role.UNIT_ADMIN)
    )
    return render(
        request,
        "evaluation/evidence_list.html",
        {
            "page": page,
            "params": request.GET,
            "kinds": EvidenceKind.choices,
            "reviews": EvidenceReview.choices,
            "units": filters.form.fields["unit"].queryset,  # type: ignore[attr-defined]
            "can_add": can_add,
        },
    )


def _safe_next(request: HttpRequest) -> str:
    """The page to return to after saving (e.g. the indicator), only when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def evidence_create(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    units = _owner_units(request, agency)
    if not units.exists():
        raise PermissionDenied
    next_url = _safe_next(request)
    form = EvidenceForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            evidence = svc.create_evidence(
                actor=request.user, agency=agency, upload=data.pop("file", None), **data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            if next_url:
                messages.success(
                    request,
                    _(
                        "The evidence “%(title)s” has been added to the library;"
                        " you can attach it here now."
                    )
                    % {"title": evidence.title},
                )
                return redirect(next_url)
            messages.success(request, _("The evidence has been added to the library."))
            return redirect("evaluation:evidence_detail", pk=evidence.pk)
    return render(request, "evaluation/evidence_form.html", {"form": form, "next": next_url})


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
            "links": evidence.links.select_related(
                "assessment__indicator", "assessment__period", "criterion"
            ),
            "expired": svc.is_expired(evidence, today_in(agency)),
            "can_edit": can_edit_evidence(request.user, evidence),
            "can_review": can_review_evidence(request.user, agency),
            "replace_form": ReplaceFileForm(),
            "review_form": ReviewForm(
                initial={"status": evidence.review_status, "reason": evidence.review_reason}
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    evidence = get_evidence_for_user(request.user, agency, pk, write=True)
    # The current owner stays choosable even when it is no longer active.
    units = _owner_units(request, agency) | agency.units.filter(pk=evidence.owner_unit_id)
    form = EvidenceForm(
        request.POST or None, instance=evidence, units=units.distinct(), with_file=False
    )
    if request.method == "POST" and form.is_valid():
        evidence.refresh_from_db()  # the form wrote onto the instance; the service compares
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
        messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])))
        return redirect("evaluation:evidence_detail", pk=evidence.pk)
    try:
        svc.replace_evidence_file(
            actor=request.user, evidence=evidence, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new version has been uploaded; earlier versions are kept."))
    return redirect("evaluation:evidence_detail", pk=evidence.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, version: int) -> FileResponse:
    """Always an attachment with the stored type, never sniffed or rendered inline."""
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
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_review(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    evidence = get_evidence_for_user(request.user, agency, pk)
    if not can_review_evidence(request.user, agency):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose accepted, revise or rejected."))
        svc.review_evidence(actor=request.user, evidence=evidence, **form.cleaned_data)
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
