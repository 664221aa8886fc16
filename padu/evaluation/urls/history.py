"""History and benchmarks (under /evaluasi/riwayat/)."""

from django.urls import path

from ..views import history

urlpatterns = [
    path("", history.history, name="history"),
    path("banding/", history.history_compare, name="history_compare"),
    path("pembanding/", history.history_peers, name="history_peers"),
    path("hasil-terbit/", history.published_import, name="published_import"),
    path("hasil-terbit/templat/", history.published_template, name="published_template"),
    path("periode/<int:pk>/impor/", history.external_import, name="external_import"),
    path("periode/<int:pk>/templat/", history.external_template, name="external_template"),
]
