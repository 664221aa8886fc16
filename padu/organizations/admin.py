"""Django admin for platform operators."""

from django.contrib import admin

from .models import Agency, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "timezone", "is_active"]
    raw_id_fields = ["region"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "agency", "kind", "is_active"]
    list_filter = ["agency", "kind", "is_active"]
    search_fields = ["name", "acronym"]
    raw_id_fields = ["region", "parent"]
