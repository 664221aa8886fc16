"""Catalog API: the same scopes and rules as the pages, writes through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, pagination, permissions, viewsets
from rest_framework.request import Request

from ..filters import (
    ApplicationFilters,
    IntegrationFilterSet,
    ProposalFilterSet,
    ServiceFilters,
)
from ..models import Application, Integration, Proposal, Service
from ..permissions import (
    applications_visible_to,
    can_create_entries,
    can_edit_unit_entry,
    integrations_visible_to,
    proposals_visible_to,
    services_visible_to,
)
from .serializers import (
    ApplicationSerializer,
    IntegrationSerializer,
    ProposalSerializer,
    ServiceSerializer,
)


class IdCursor(pagination.CursorPagination):
    ordering = "id"
    page_size = 100


def _agency(request: Request) -> Any:
    return getattr(request, "agency", None)


def _owner_unit_id(obj: Any) -> int | None:
    if isinstance(obj, Integration):
        return obj.consumer.owner_unit_id
    if isinstance(obj, Proposal):
        return obj.unit_id
    return getattr(obj, "owner_unit_id", None)


class CatalogAccess(permissions.BasePermission):
    """Reads: the scope of the queryset. Writes: Diskominfo, or an admin OPD for their OPD."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_create_entries(request.user, _agency(request))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_unit_entry(request.user, _agency(request), _owner_unit_id(obj))


class CatalogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    pagination_class = IdCursor
    permission_classes = [CatalogAccess]


class ApplicationViewSet(CatalogViewSet):
    """Applications of the current agency's register; filter like the register page."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilters

    def get_queryset(self) -> QuerySet[Application]:
        return applications_visible_to(self.request.user, _agency(self.request)).prefetch_related(
            "reference_codes", "contacts"
        )


class ServiceViewSet(CatalogViewSet):
    """Public and administrative services and the applications that realise them."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilters

    def get_queryset(self) -> QuerySet[Service]:
        return services_visible_to(self.request.user, _agency(self.request)).prefetch_related(
            "reference_codes", "applications"
        )


class IntegrationViewSet(CatalogViewSet):
    """provider -> consumer edges; written by Diskominfo or the consumer's OPD."""

    serializer_class = IntegrationSerializer
    filterset_class = IntegrationFilterSet

    def get_queryset(self) -> QuerySet[Integration]:
        return integrations_visible_to(self.request.user, _agency(self.request)).select_related(
            "consumer"
        )


class ProposalViewSet(CatalogViewSet):
    """New-application proposals; drafts are created and changed here."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet

    def get_queryset(self) -> QuerySet[Proposal]:
        return proposals_visible_to(self.request.user, _agency(self.request)).prefetch_related(
            "reference_codes"
        )
