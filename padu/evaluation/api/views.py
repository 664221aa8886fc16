"""Read API for the evaluation: the same scopes as the pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import pagination, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..index import scores_as_dict
from ..models import Assessment, Evidence, Indicator, Instrument, Period
from ..permissions import (
    assessments_visible_to,
    can_view_evaluation,
    evidence_visible_to,
    periods_visible_to,
)
from .serializers import (
    AssessmentSerializer,
    EvidenceSerializer,
    IndicatorSerializer,
    InstrumentSerializer,
    PeriodIndexSerializer,
    PeriodSerializer,
)


class IdCursor(pagination.CursorPagination):
    ordering = "id"
    page_size = 100


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """National instruments and the current agency's own variants."""

    serializer_class = InstrumentSerializer
    pagination_class = IdCursor

    def get_queryset(self) -> QuerySet[Instrument]:
        agency = getattr(self.request, "agency", None)
        if not can_view_evaluation(self.request.user, agency):
            return Instrument.objects.none()
        return Instrument.objects.filter(Q(agency__isnull=True) | Q(agency=agency))

    @extend_schema(responses=IndicatorSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def indicators(self, request: Request, pk: str | None = None) -> Response:
        instrument = self.get_object()
        rows = Indicator.objects.filter(instrument=instrument).select_related("aspect__domain")
        return Response(IndicatorSerializer(rows, many=True).data)


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluation periods of the current agency."""

    serializer_class = PeriodSerializer
    pagination_class = IdCursor

    def get_queryset(self) -> QuerySet[Period]:
        return periods_visible_to(
            self.request.user, getattr(self.request, "agency", None)
        ).prefetch_related("windows")

    @extend_schema(responses=PeriodIndexSerializer)
    @action(detail=True, pagination_class=None)
    def index(self, request: Request, pk: str | None = None) -> Response:
        """The index, domains, aspects and predicate for the three series, rounded by the
        instrument's rule (half to even for Pemdi) and exact."""
        period = self.get_object()
        assessments = list(period.assessments.select_related("indicator__aspect__domain"))
        return Response(scores_as_dict(period, assessments))


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicator assessments of the current agency; filter by period, status, lead unit."""

    serializer_class = AssessmentSerializer
    pagination_class = IdCursor
    filterset_fields = ["period", "status", "lead_unit"]

    def get_queryset(self) -> QuerySet[Assessment]:
        return assessments_visible_to(
            self.request.user, getattr(self.request, "agency", None)
        ).select_related("indicator")


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Evidence metadata (files are downloaded through the pages, with permission checks)."""

    serializer_class = EvidenceSerializer
    pagination_class = IdCursor
    filterset_fields = ["kind", "owner_unit", "review_status", "is_archived"]

    def get_queryset(self) -> QuerySet[Evidence]:
        return evidence_visible_to(
            self.request.user, getattr(self.request, "agency", None)
        ).prefetch_related("files")
