"""Read API of the data bank: metadata, values and kept aggregates, as JSON or CSV, paged by
key (cursor on id), for session users and API tokens (see `permissions.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import pagination, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer

from ..choices import TokenScope
from ..models import AggregateValue, CategoryCombo, Dataset, DataValue
from . import filters, serializers
from .authentication import ApiTokenAuthentication
from .permissions import DatabankAccess, api_agency, api_elements
from .renderers import CSVRenderer


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "padu.databank.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <prefix>.<secret> (or Bearer <prefix>.<secret>)",
        }


class IdCursor(pagination.CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class DatabankViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [DatabankAccess]
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = IdCursor
    required_scope = TokenScope.READ_METADATA.value


class DataElementViewSet(DatabankViewSet):
    """Data elements (Satu Data metadata) of the agency."""

    serializer_class = serializers.DataElementSerializer
    filterset_class = filters.DataElementFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return api_elements(self.request).select_related("category_combo", "producer")


class DatasetViewSet(DatabankViewSet):
    """Datasets of the agency with their element codes."""

    serializer_class = serializers.DatasetSerializer
    filterset_class = filters.DatasetFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        if not self.request.user.is_authenticated:
            return Dataset.objects.none()
        return Dataset.objects.filter(agency=api_agency(self.request)).prefetch_related("elements")


class DisaggregationViewSet(DatabankViewSet):
    """Disaggregations (category combos) with their cells; the shared "default" included."""

    serializer_class = serializers.CategoryComboSerializer
    filterset_class = filters.CategoryComboFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        agency = api_agency(self.request)
        if agency is None:
            return CategoryCombo.objects.none()
        return CategoryCombo.objects.filter(
            Q(agency=agency) | Q(agency__isnull=True)
        ).prefetch_related("option_combos")


class DataValueViewSet(DatabankViewSet):
    """Stored values; filter by element, region (code, level, under), period (code, type,
    from/to)."""

    serializer_class = serializers.DataValueSerializer
    filterset_class = filters.ValueFilterSet
    required_scope = TokenScope.READ_VALUES.value

    def get_queryset(self) -> QuerySet[Any]:
        return DataValue.objects.filter(element__in=api_elements(self.request)).select_related(
            "element", "option_combo"
        )


class AggregateValueViewSet(DatabankViewSet):
    """Kept rollups at every region level and period type; same filters as values."""

    serializer_class = serializers.AggregateValueSerializer
    filterset_class = filters.AggregateFilterSet
    required_scope = TokenScope.READ_VALUES.value

    def get_queryset(self) -> QuerySet[Any]:
        return AggregateValue.objects.filter(element__in=api_elements(self.request)).select_related(
            "element", "option_combo", "region"
        )
