"""Filter sets shared by pages and the API."""

from __future__ import annotations

import django_filters

from .choices import RegionLevel, UnitKind
from .models import Region, Unit


class RegionFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id")
    within = django_filters.CharFilter(method="filter_within", label="within (region code)")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["level", "kind", "parent", "name"]

    def filter_within(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(code__startswith=f"{value}.")


class UnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["kind", "is_active", "name"]
