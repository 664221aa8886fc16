"""Filter sets of the data bank API (one per model; the analysis pages use the same period
and region rules through `selectors_analysis`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from padu.organizations.choices import RegionLevel

from .. import periods
from ..choices import AccessClass, AggregationType, PeriodType
from ..models import AggregateValue, CategoryCombo, DataElement, Dataset, DataValue

TYPE_PATTERNS = {
    PeriodType.MONTHLY: r"^[0-9]{6}$",
    PeriodType.QUARTERLY: r"^[0-9]{4}Q[1-4]$",
    PeriodType.SIXMONTHLY: r"^[0-9]{4}S[12]$",
    PeriodType.YEARLY: r"^[0-9]{4}$",
}
MAX_YEARS = 30


def codes_between(start: str, end: str) -> list[str]:
    """Every period code (all types) lying inside [start of `start`, end of `end`]."""
    first, last = periods.parse(start), periods.parse(end)
    if last.end.year - first.start.year > MAX_YEARS:
        last = periods.parse(str(first.start.year + MAX_YEARS))
    return [
        p.code
        for kind in TYPE_PATTERNS
        for p in periods.between(first.start, last.end, kind)
        if first.start <= p.start and p.end <= last.end
    ]


class PeriodCodeFilter(django_filters.CharFilter):
    """A period code; an invalid one matches nothing."""

    def __init__(self, *, bound: str, **kwargs: Any) -> None:
        self.bound = bound
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        if not periods.is_valid(value):
            return qs.none()
        p = periods.parse(value)
        if self.bound == "from":
            wanted = codes_between(value, str(p.year + MAX_YEARS))
        else:
            wanted = codes_between(str(p.year - MAX_YEARS), value)
        return qs.filter(period__in=wanted)


class ValueFilterSet(django_filters.FilterSet):
    element = django_filters.CharFilter(field_name="element__code", label=_("element code"))
    region = django_filters.CharFilter(field_name="region_id", label=_("region code"))
    level = django_filters.TypedChoiceFilter(
        field_name="region__level", choices=RegionLevel.choices, coerce=int
    )
    under = django_filters.CharFilter(method="filter_under", label=_("under region (code)"))
    period = django_filters.CharFilter(field_name="period")
    period_type = django_filters.ChoiceFilter(
        choices=PeriodType.choices, method="filter_period_type"
    )
    from_period = PeriodCodeFilter(bound="from", field_name="period", label=_("from period"))
    to_period = PeriodCodeFilter(bound="to", field_name="period", label=_("to period"))

    class Meta:
        model = DataValue
        fields = ["element", "region", "level", "under", "period", "period_type"]

    def filter_under(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(Q(region__code=value) | Q(region__code__startswith=f"{value}."))

    def filter_period_type(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(period__regex=TYPE_PATTERNS[PeriodType(value)])


def _rename(filterset: type[django_filters.FilterSet]) -> None:
    """Expose from_period/to_period as ?from= and ?to= (keywords in Python)."""
    for old, new in (("from_period", "from"), ("to_period", "to")):
        for attr in ("base_filters", "declared_filters"):
            filters = getattr(filterset, attr)
            if old in filters:
                filters[new] = filters.pop(old)


class AggregateFilterSet(ValueFilterSet):
    class Meta:
        model = AggregateValue
        fields = ["element", "region", "level", "under", "period", "period_type"]


_rename(ValueFilterSet)
_rename(AggregateFilterSet)


class DataElementFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter()
    dataset = django_filters.CharFilter(method="filter_dataset", label=_("dataset code"))
    aggregation = django_filters.ChoiceFilter(choices=AggregationType.choices)
    access_class = django_filters.ChoiceFilter(choices=AccessClass.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = DataElement
        fields = ["code", "aggregation", "access_class", "name"]

    def filter_dataset(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(
            pk__in=Dataset.objects.filter(code=value).values("dataset_elements__element")
        )


class DatasetFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter()
    period_type = django_filters.ChoiceFilter(choices=PeriodType.choices)

    class Meta:
        model = Dataset
        fields = ["code", "period_type", "is_public"]


class CategoryComboFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter()

    class Meta:
        model = CategoryCombo
        fields = ["code"]
