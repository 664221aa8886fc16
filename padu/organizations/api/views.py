"""Read-only API for the region tree (reference data) and the current agency's units."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import pagination, viewsets

from padu.organizations.filtersets import RegionFilterSet, UnitFilterSet
from padu.organizations.models import Region, Unit
from padu.organizations.permissions import units_visible_to

from .serializers import RegionSerializer, UnitSerializer


class CodeCursorPagination(pagination.CursorPagination):
    ordering = "code"
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 5000


class IdCursorPagination(pagination.CursorPagination):
    ordering = "id"


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Kemendagri regions (public reference data, ODbL), for signed-in users."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    pagination_class = CodeCursorPagination
    lookup_value_regex = r"[0-9.]+"


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units (OPD) of the agency the user is working in."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    pagination_class = IdCursorPagination

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible_to(self.request.user, getattr(self.request, "agency", None))
