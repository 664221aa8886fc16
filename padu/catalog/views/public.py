"""The public service directory: every public digital service of an agency, for citizens.

Anonymous, server-rendered, no JavaScript and a few kilobytes of HTML so it opens quickly on a
phone; responses may be cached by browsers and proxies for a few minutes."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from padu.organizations.models import Agency

from ..choices import ServiceKind
from ..models import Service

MAX_AGE = 300


def public_services(agency: Agency) -> QuerySet[Service]:
    return Service.objects.filter(agency=agency, is_public=True, kind=ServiceKind.PUBLIC)


def search(services: QuerySet[Service], text: str) -> QuerySet[Service]:
    for word in text.split()[:8]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(requirements__icontains=word)
            | Q(owner_unit__name__icontains=word)
            | Q(owner_unit__acronym__icontains=word)
        )
    return services


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def agency_index(request: HttpRequest) -> HttpResponse:
    agencies = (
        Agency.objects.filter(is_active=True)
        .annotate(
            service_count=Count(
                "services",
                filter=Q(services__is_public=True, services__kind=ServiceKind.PUBLIC),
            )
        )
        .filter(service_count__gt=0)
        .order_by("name")
    )
    return render(request, "directory/index.html", {"agencies": agencies})


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def agency_services(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = Agency.objects.filter(slug=agency_slug, is_active=True).first()
    if agency is None:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    services = search(public_services(agency), query).select_related("owner_unit")
    context = {"agency": agency, "services": services.order_by("name"), "q": query}
    return render(request, "directory/agency.html", context)
