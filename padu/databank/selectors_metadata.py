"""Reads for the metadata pages: filtered, sorted lists scoped to the agency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from padu.organizations.models import Agency

from .models import CategoryCombo, DataElement, Dataset

ELEMENT_SORTS = {
    "code": "code",
    "name": "name",
    "type": "value_type",
    "producer": "producer__name",
    "access": "access_class",
    "updated": "updated_at",
}
DATASET_SORTS = {
    "code": "code",
    "name": "name",
    "period": "period_type",
    "producer": "producer__name",
    "elements": "n_elements",
    "updated": "updated_at",
}


def _sorted(qs: QuerySet[Any], sorts: Mapping[str, str], sort: str, default: str) -> QuerySet[Any]:
    key = sorts.get(sort.lstrip("-"))
    if key is None:
        return qs.order_by(default)
    return qs.order_by(f"-{key}" if sort.startswith("-") else key, "pk")


def elements_for_list(agency: Agency, params: Mapping[str, str]) -> QuerySet[DataElement]:
    """Elements of the agency; filters q (code/name), type, producer, access; sort."""
    qs = DataElement.objects.filter(agency=agency).select_related("producer", "category_combo")
    if q := params.get("q", "").strip():
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if value_type := params.get("type"):
        qs = qs.filter(value_type=value_type)
    if access := params.get("access"):
        qs = qs.filter(access_class=access)
    producer = params.get("producer", "")
    if producer == "none":
        qs = qs.filter(producer__isnull=True)
    elif producer.isdigit():
        qs = qs.filter(producer_id=int(producer))
    return _sorted(qs, ELEMENT_SORTS, params.get("sort", ""), "code")


def datasets_for_list(qs: QuerySet[Dataset], params: Mapping[str, str]) -> QuerySet[Dataset]:
    """Datasets (already scoped); filters q, period, producer, group; sort."""
    qs = qs.select_related("producer").annotate(n_elements=Count("dataset_elements"))
    if q := params.get("q", "").strip():
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(tags__icontains=q))
    if period := params.get("period"):
        qs = qs.filter(period_type=period)
    if group := params.get("group"):
        qs = qs.filter(group=group)
    producer = params.get("producer", "")
    if producer.isdigit():
        qs = qs.filter(producer_id=int(producer))
    return _sorted(qs, DATASET_SORTS, params.get("sort", ""), "name")


def combos_for_agency(agency: Agency) -> QuerySet[CategoryCombo]:
    return (
        CategoryCombo.objects.filter(Q(agency=agency) | Q(agency__isnull=True))
        .prefetch_related("categories", "option_combos")
        .annotate(n_elements=Count("elements", filter=Q(elements__agency=agency)))
        .order_by("name")
    )
