"""Read serializers of the data bank API: metadata, values, kept aggregates."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    AggregateValue,
    CategoryCombo,
    DataElement,
    Dataset,
    DataValue,
    OptionCombo,
)


class CellSerializer(serializers.ModelSerializer):
    class Meta:
        model = OptionCombo
        fields = ["id", "code", "name", "position"]


class CategoryComboSerializer(serializers.ModelSerializer):
    cells = CellSerializer(source="option_combos", many=True, read_only=True)

    class Meta:
        model = CategoryCombo
        fields = ["id", "code", "name", "cells"]


class DataElementSerializer(serializers.ModelSerializer):
    disaggregation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="category_combo", slug_field="code", read_only=True
    )
    producer: serializers.StringRelatedField = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = DataElement
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "definition",
            "unit_of_measure",
            "value_type",
            "aggregation",
            "access_class",
            "disaggregation",
            "producer",
            "bps_code",
            "sipd_code",
            "updated_at",
        ]


class DatasetSerializer(serializers.ModelSerializer):
    elements: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Dataset
        fields = [
            "id",
            "code",
            "name",
            "description",
            "period_type",
            "collection_level",
            "elements",
            "licence",
            "is_public",
            "updated_at",
        ]


class DataValueSerializer(serializers.ModelSerializer):
    element: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    cell: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="option_combo", slug_field="code", read_only=True
    )

    class Meta:
        model = DataValue
        fields = [
            "id",
            "element",
            "cell",
            "region",
            "period",
            "value",
            "text",
            "status",
            "updated_at",
        ]


class AggregateValueSerializer(serializers.ModelSerializer):
    element: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    cell: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="option_combo", slug_field="code", read_only=True
    )
    level = serializers.IntegerField(source="region.level", read_only=True)

    class Meta:
        model = AggregateValue
        fields = ["id", "element", "cell", "region", "level", "period", "value", "count"]
