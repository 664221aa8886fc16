from __future__ import annotations

from rest_framework import serializers

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
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    aspect = serializers.CharField(source="aspect.code", read_only=True)
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


class AssessmentSerializer(serializers.ModelSerializer):
    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
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
            "due_on",
            "submitted_at",
            "reviewed_at",
            "updated_at",
        ]


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
