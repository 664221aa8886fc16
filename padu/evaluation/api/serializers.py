from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..index import SERIES, item_value
from ..models import Assessment, Evidence, Indicator, Instrument, Period, StageWindow


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "version",
            "title",
            "short_title",
            "status",
            "min_level",
            "max_level",
            "divisor",
            "has_domains",
            "predicates",
            "value_scale",
            "rounding",
            "applies_from_year",
            "superseded_by",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    aspect = serializers.CharField(source="aspect.code", read_only=True)
    is_external_index = serializers.BooleanField(read_only=True)
    domain = serializers.CharField(source="aspect.domain.code", read_only=True, default=None)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "number",
            "code",
            "name",
            "weight",
            "kind",
            "slots",
            "requires_service_name",
            "aspect",
            "domain",
            "is_external_index",
            "external_source",
            "external_default",
        ]


class StageWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageWindow
        fields = ["stage", "starts_on", "ends_on"]


class PeriodSerializer(serializers.ModelSerializer):
    windows = StageWindowSerializer(many=True, read_only=True)

    class Meta:
        model = Period
        fields = ["id", "year", "instrument", "status", "external_index", "windows"]


class SeriesIndexSerializer(serializers.Serializer):
    """One series of the period index: figures rounded by the instrument's rule, and exact."""

    index = serializers.CharField(help_text="Rounded by the instrument's rule, e.g. 1.60.")
    index_exact = serializers.CharField(help_text="The exact value, e.g. 1.605.")
    predicate = serializers.CharField()
    filled = serializers.IntegerField()
    total = serializers.IntegerField()
    domains = serializers.DictField(child=serializers.CharField())
    aspects = serializers.DictField(child=serializers.CharField())
    domains_exact = serializers.DictField(child=serializers.CharField())
    aspects_exact = serializers.DictField(child=serializers.CharField())


class PeriodIndexSerializer(serializers.Serializer):
    """The period index endpoint (`index.scores_as_dict`)."""

    period = serializers.IntegerField()
    year = serializers.IntegerField()
    instrument = serializers.CharField()
    instrument_version = serializers.IntegerField()
    value_scale = serializers.CharField()
    rounding = serializers.CharField()
    published_index = serializers.CharField(allow_null=True)
    self = SeriesIndexSerializer()
    validated = SeriesIndexSerializer()
    external = SeriesIndexSerializer()


class CountsAsSerializer(serializers.Serializer):
    """The value an assessment counts at in each series (null: unfilled, counts at its default)."""

    self = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    validated = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    external = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)


class AssessmentSerializer(serializers.ModelSerializer):
    """Whole levels for every instrument; on a decimal instrument (Pemdi) the two-decimal
    values too, and for indicators scored from another agency's index the recorded result."""

    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    is_external_index = serializers.BooleanField(
        source="indicator.is_external_index", read_only=True
    )
    external_source = serializers.CharField(source="indicator.external_source", read_only=True)
    counts_as = serializers.SerializerMethodField()
    lead_unit: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "period",
            "indicator_number",
            "indicator_code",
            "slot",
            "service_name",
            "lead_unit",
            "status",
            "claimed_level",
            "validated_level",
            "external_level",
            "claimed_value",
            "validated_value",
            "external_value",
            "validation_reason",
            "is_external_index",
            "external_source",
            "index_value",
            "index_source",
            "index_date",
            "index_recorded_at",
            "counts_as",
            "due_on",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]

    @extend_schema_field(CountsAsSerializer)
    def get_counts_as(self, obj: Assessment) -> dict[str, str | None]:
        """What the index engine counts for this assessment in each series."""
        out: dict[str, str | None] = {}
        for key, attribute, _label in SERIES:
            value = item_value(obj, attribute)
            out[key] = None if value is None else f"{Decimal(value):.2f}"
        return out


class EvidenceSerializer(serializers.ModelSerializer):
    latest_sha256 = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "title",
            "kind",
            "url",
            "document_number",
            "document_date",
            "valid_until",
            "is_audit",
            "owner_unit",
            "review_status",
            "is_archived",
            "latest_sha256",
            "updated_at",
        ]

    def get_latest_sha256(self, obj: Evidence) -> str | None:
        files = list(obj.files.all())
        return max(files, key=lambda f: f.version).sha256 if files else None
