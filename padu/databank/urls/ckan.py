"""CKAN-compatible read API and DCAT catalogue, at the site root where CKAN clients look."""

from django.urls import path

from ..views import ckan

urlpatterns = [
    path("api/3/action/<str:name>", ckan.ckan_action, name="ckan_action"),
    path("api/action/<str:name>", ckan.ckan_action, name="ckan_action_unversioned"),
    path("catalog.jsonld", ckan.catalog_jsonld, name="dcat_catalog_jsonld"),
    path("catalog.ttl", ckan.catalog_ttl, name="dcat_catalog_ttl"),
]
