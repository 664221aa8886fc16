from __future__ import annotations

from rest_framework import serializers

from ..models import Region, Unit


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent"]


class UnitSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "acronym", "kind", "parent", "region", "is_active"]
