"""Open data pages: the public catalogue (anonymous) and the walidata's releases."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.forms import add_validation_error
from padu.core.http import current_agency

from .. import ckan_search, services_publishing
from ..ckan import FORMATS, catalogue, latest_release, org_of
from ..forms_publishing import PublicSearchForm, ReleaseForm, WithdrawForm
from ..models import Dataset, Release, ReleaseRow
from ..permissions import can_view_databank, datasets_visible_to, get_dataset_for_user, is_custodian

PREVIEW_ROWS = 50
# Indonesia's zones by their own names; another zone shows its IANA name.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(name: str) -> str:
    """WIB, WITA or WIT for Indonesia's zones."""
    return ZONE_ABBREVIATIONS.get(name, name)


def _public_dataset(agency_slug: str, code: str) -> Dataset:
    for dataset in catalogue().datasets:
        if dataset.agency.slug == agency_slug and dataset.code == code:
            return dataset
    raise Http404


@require_GET
def public_datasets(request: HttpRequest) -> HttpResponse:
    """Published datasets of every agency, with search and filters."""
    form = PublicSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    fq = [
        f'{name}:"{data[key]}"'
        for key, name in (("organization", "organization"), ("group", "groups"), ("tag", "tags"))
        if data.get(key)
    ]
    entries = catalogue().entries
    sort = "score desc, metadata_modified desc"
    try:
        found = ckan_search.search(entries, q=data.get("q", ""), fq=fq, sort=sort)
    except ckan_search.QueryError:
        found = []
    _legacy, facets = ckan_search.facets(
        [e for e in entries if e.state == "active"],
        ["organization", "groups", "tags"],
        titles={"organization": {org_of(e.key).name: org_of(e.key).title for e in entries}},
    )
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    choices = {  # the filter selects: each facet's values with their counts
        name: [(i["name"], f"{i['display_name']} ({i['count']})") for i in facet["items"]]
        for name, facet in facets.items()
    }
    return render(
        request,
        "databank/public_datasets.html",
        {
            "form": form,
            "page": page,
            "choices": choices,
            "filtered": bool(data and any(data.values())),
        },
    )


@require_GET
def public_dataset(request: HttpRequest, agency_slug: str, dataset_code: str) -> HttpResponse:
    """Metadata, the latest release's first rows, downloads and version history."""
    dataset = _public_dataset(agency_slug, dataset_code)
    latest = latest_release(dataset)
    rows = ReleaseRow.objects.filter(release=latest).order_by("id")[:PREVIEW_ROWS] if latest else []
    metadata = latest.metadata if latest else {}
    return render(
        request,
        "databank/public_dataset.html",
        {
            "dataset": dataset,
            "organization": org_of(dataset),
            "latest": latest,
            "metadata": metadata,
            "rows": rows,
            "releases": dataset.all_releases,  # type: ignore[attr-defined]
            "formats": [(fmt, label) for fmt, (label, _m) in FORMATS.items()],
            "preview_limit": PREVIEW_ROWS,
            # Release times in the publishing agency's zone, whoever reads the page (an
            # anonymous visitor would otherwise get the server's WIB).
            "zone": zoneinfo.ZoneInfo(dataset.agency.timezone),
            "zone_abbr": zone_abbreviation(dataset.agency.timezone),
        },
    )


@require_GET
def public_download(
    request: HttpRequest, agency_slug: str, dataset_code: str, version: int, fmt: str
) -> HttpResponseBase:
    """A release file; 410 once the release is withdrawn."""
    if fmt not in FORMATS:
        raise Http404
    release = (
        Release.objects.filter(
            dataset__agency__slug=agency_slug, dataset__code=dataset_code, version=version
        )
        .select_related("dataset")
        .first()
    )
    if release is None:
        raise Http404
    if release.withdrawn_at is not None:
        return HttpResponse(_("This release was withdrawn."), status=410, content_type="text/plain")
    file = getattr(release, f"{fmt}_file")
    if not file:
        raise Http404
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{dataset_code.lower()}-v{version}.{fmt}",
        content_type=FORMATS[fmt][1],
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    if fmt == "csv":
        response["Digest"] = f"sha-256={release.checksum}"
    return response


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    """The agency's datasets and their releases; the walidata publishes from here."""
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    datasets = datasets_visible_to(request.user, agency).prefetch_related("releases")
    return render(
        request,
        "databank/release_list.html",
        {"datasets": datasets, "can_publish": is_custodian(request.user, agency)},
    )


def _custodian_dataset(request: HttpRequest, pk: Any) -> Dataset:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk)
    if not is_custodian(request.user, dataset.agency):
        raise PermissionDenied
    return dataset


@login_required
@require_http_methods(["GET", "POST"])
def release_create(request: HttpRequest, dataset_pk: int) -> HttpResponse:
    """Preview (row count, suppressed cells, periods) and publish the next version."""
    dataset = _custodian_dataset(request, dataset_pk)
    available = services_publishing.publishable_periods(dataset)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = ReleaseForm(data, periods=available, initial={"periods": available[:1]})
    chosen = form.cleaned_data["periods"] if form.is_valid() else available[:1]
    if request.method == "POST" and form.is_valid():
        try:
            release = services_publishing.publish_release(
                user=request.user, dataset=dataset, periods=chosen, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("Version %(version)s is published.") % {"version": release.version}
            )
            return redirect("databank:public_dataset", dataset.agency.slug, dataset.code)
    preview = services_publishing.preview_release(dataset=dataset, periods=chosen)
    return render(
        request,
        "databank/release_form.html",
        {
            "dataset": dataset,
            "form": form,
            "preview": preview,
            "sample": preview.rows[:20],
            "gaps": services_publishing.metadata_gaps(dataset),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a release with a reason; its rows stay for the record."""
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise Http404
    release = (
        Release.objects.filter(pk=pk, dataset__agency=agency)
        .select_related("dataset__agency")
        .first()
    )
    if release is None:
        raise Http404
    if not is_custodian(request.user, agency):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_publishing.withdraw_release(
                user=request.user, release=release, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The release is withdrawn."))
            return redirect("databank:release_list")
    return render(request, "databank/release_withdraw.html", {"release": release, "form": form})
