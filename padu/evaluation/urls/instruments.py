"""Instrument pages under /evaluasi/instrumen/."""

from django.urls import path

from ..views import instruments

urlpatterns = [
    path("", instruments.instrument_list, name="instrument_list"),
    path("<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path("<int:pk>/unduh/", instruments.instrument_download, name="instrument_download"),
    path("unggah/", instruments.instrument_upload, name="instrument_upload"),
]
