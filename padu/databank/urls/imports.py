"""Bulk upload pages (mounted at /data/impor/)."""

from django.urls import path

from ..views import imports

urlpatterns = [
    path("", imports.import_home, name="import_home"),
    path("templat/", imports.import_template, name="import_template"),
    path("<int:pk>/", imports.import_detail, name="import_detail"),
    path("<int:pk>/terapkan/", imports.import_apply, name="import_apply"),
    path("<int:pk>/kesalahan.csv", imports.import_errors, name="import_errors"),
]
