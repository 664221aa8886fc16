"""The evidence library's filters and sorting, shared by the page (and open to the API)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from padu.organizations.models import Unit

from .choices import EvidenceKind, EvidenceReview
from .models import Evidence
from .permissions import today_in
from .services_evidence import expired_q


def _agency_units(request: HttpRequest | None) -> QuerySet[Unit]:
    agency = getattr(request, "agency", None)
    if agency is None:
        return Unit.objects.none()
    return agency.units.order_by("name")


class EvidenceFilterSet(django_filters.FilterSet):
    """Search, type, owner unit, review status, expired, archived (hidden unless asked)."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=EvidenceKind.choices, label=_("Type"))
    unit = django_filters.ModelChoiceFilter(
        field_name="owner_unit", queryset=_agency_units, label=_("Owner unit")
    )
    review = django_filters.ChoiceFilter(
        field_name="review_status", choices=EvidenceReview.choices, label=_("Review status")
    )
    # "1"/"0" and "true"/"false", as the page's checkboxes and the API send them.
    expired = django_filters.BooleanFilter(
        method="filter_expired", label=_("Expired only"), widget=BooleanWidget
    )
    archived = django_filters.BooleanFilter(
        method="filter_archived", label=_("Archived"), widget=BooleanWidget
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("owner_unit__name", "owner_unit"),
            ("document_date", "document_date"),
            ("review_status", "review_status"),
            ("updated_at", "updated_at"),
        )
    )

    class Meta:
        model = Evidence
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = getattr(self.request, "agency", None)
        self.today = today or (today_in(agency) if agency else datetime.date.today())

    def filter_search(self, queryset: QuerySet[Evidence], name: str, value: str) -> Any:
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(document_number__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_expired(self, queryset: QuerySet[Evidence], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        condition = expired_q(self.today)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_archived(self, queryset: QuerySet[Evidence], name: str, value: bool | None) -> Any:
        # Applied in filter_queryset so that "not given" means "not archived".
        return queryset

    def filter_queryset(self, queryset: QuerySet[Evidence]) -> Any:
        queryset = super().filter_queryset(queryset)
        archived = self.form.cleaned_data.get("archived")
        queryset = queryset.filter(is_archived=bool(archived))
        if not self.form.cleaned_data.get("sort"):
            return queryset.order_by("-updated_at", "-pk")
        return queryset.order_by(*queryset.query.order_by, "pk")  # stable pages on ties
