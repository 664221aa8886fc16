"""Evaluation URLs, one module per area; all names live in the `evaluation` namespace."""

from django.urls import include, path

app_name = "evaluation"
urlpatterns = [
    path("", include("padu.evaluation.urls.periods")),
    path("instrumen/", include("padu.evaluation.urls.instruments")),
    path("bukti/", include("padu.evaluation.urls.evidence")),
    path("rencana/", include("padu.evaluation.urls.plans")),
    path("laporan/", include("padu.evaluation.urls.reports")),
    path("paket-bukti/", include("padu.evaluation.urls.bundles")),
    path("riwayat/", include("padu.evaluation.urls.history")),
    path("rekomendasi/", include("padu.evaluation.urls.recommendations")),
]
