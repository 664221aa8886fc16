"""Catalog pages, one module per area; all names in the `catalog` namespace (/katalog/)."""

from django.urls import include, path

app_name = "catalog"
urlpatterns = [
    path("", include("padu.catalog.urls.register")),
    path("integrasi/", include("padu.catalog.urls.integrations")),
    path("usulan/", include("padu.catalog.urls.proposals")),
    path("peta-rencana/", include("padu.catalog.urls.roadmap")),
]
