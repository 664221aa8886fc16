"""Data bank pages, one module per area; all names in the `databank` namespace (/data/)."""

from django.urls import include, path

app_name = "databank"
urlpatterns = [
    path("", include("padu.databank.urls.metadata")),
    path("isian/", include("padu.databank.urls.entry")),
    path("impor/", include("padu.databank.urls.imports")),
    path("analisis/", include("padu.databank.urls.analysis")),
    path("terbuka/", include("padu.databank.urls.publishing")),
]
