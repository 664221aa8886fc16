"""Filters, search and sorting of the register, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from padu.organizations.models import Unit

from .choices import AppCategory, AppKind, Decision, Hosting, Lifecycle, ServiceKind
from .models import Application, Integration, Proposal, ReferenceCode, Service

NATIONAL_CHOICES = (("national", _("National application")), ("local", _("Local application")))


def _agency_units(request: HttpRequest | None) -> QuerySet[Unit]:
    agency = getattr(request, "agency", None)
    if agency is None:
        return Unit.objects.none()
    return agency.units.order_by("name")


def _search(queryset: QuerySet[Any], value: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    for word in value.split()[:8]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class ApplicationFilters(django_filters.FilterSet):
    """Filters and search without sorting: the API pages by cursor."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    unit = django_filters.ModelChoiceFilter(
        field_name="owner_unit", queryset=_agency_units, label=_("Owner OPD")
    )
    kind = django_filters.ChoiceFilter(choices=AppKind.choices, label=_("Type"))
    category = django_filters.ChoiceFilter(choices=AppCategory.choices, label=_("Category"))
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, label=_("Lifecycle"))
    hosting = django_filters.ChoiceFilter(choices=Hosting.choices, label=_("Hosting"))
    decision = django_filters.ChoiceFilter(choices=Decision.choices, label=_("Decision"))
    origin = django_filters.ChoiceFilter(
        choices=NATIONAL_CHOICES, method="filter_origin", label=_("National or local")
    )
    code = django_filters.CharFilter(method="filter_code", label=_("Reference code"))

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Application], name: str, value: str) -> Any:
        return _search(queryset, value, ("name", "acronym", "aliases", "description"))

    def filter_origin(self, queryset: QuerySet[Application], name: str, value: str) -> Any:
        if value == "national":
            return queryset.filter(national__isnull=False)
        if value == "local":
            return queryset.filter(national__isnull=True)
        return queryset

    def filter_code(self, queryset: QuerySet[Application], name: str, value: str) -> Any:
        """The code itself and every deeper code under it (RAL.02 finds RAL.02.04.01)."""
        code = value.strip().upper()
        if not code:
            return queryset
        # Codes are stored upper case, so a plain prefix match can use the code index.
        codes = ReferenceCode.objects.filter(Q(code=code) | Q(code__startswith=code + "."))
        ids = Application.reference_codes.through.objects.filter(
            referencecode_id__in=codes.values("pk")
        ).values("application_id")
        return queryset.filter(pk__in=ids)


class ApplicationFilterSet(ApplicationFilters):
    """The register page: the filters plus sorting."""

    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("acronym", "acronym"),
            ("owner_unit__name", "owner"),
            ("kind", "kind"),
            ("lifecycle", "lifecycle"),
            ("decision", "decision"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta(ApplicationFilters.Meta):
        pass


class ServiceFilters(django_filters.FilterSet):
    """Filters and search without sorting: the API pages by cursor."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    unit = django_filters.ModelChoiceFilter(
        field_name="owner_unit", queryset=_agency_units, label=_("OPD")
    )
    kind = django_filters.ChoiceFilter(choices=ServiceKind.choices, label=_("Type"))

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Service], name: str, value: str) -> Any:
        return _search(queryset, value, ("name", "description", "requirements"))


class ServiceFilterSet(ServiceFilters):
    """The services page: the filters plus sorting."""

    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("owner_unit__name", "owner"), ("kind", "kind"))
    )

    class Meta(ServiceFilters.Meta):
        pass


class IntegrationFilterSet(django_filters.FilterSet):
    class Meta:
        model = Integration
        fields = ["method", "status", "provider", "consumer", "provider_national"]


class ProposalFilterSet(django_filters.FilterSet):
    class Meta:
        model = Proposal
        fields = ["status", "unit", "kind", "budget_year", "decision"]
