"""The register: applications, services, import/export and the agency's reference codes."""

from django.urls import path

from ..views import register as views
from ..views import register_services as service_views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("aplikasi/tambah/", views.application_create, name="application_create"),
    path("aplikasi/impor/", views.application_import, name="application_import"),
    path("aplikasi/<int:pk>/", views.application_detail, name="application_detail"),
    path("aplikasi/<int:pk>/ubah/", views.application_edit, name="application_edit"),
    path("layanan/", service_views.service_list, name="service_list"),
    path("layanan/tambah/", service_views.service_create, name="service_create"),
    path("layanan/<int:pk>/", service_views.service_detail, name="service_detail"),
    path("layanan/<int:pk>/ubah/", service_views.service_edit, name="service_edit"),
    path("referensi/", service_views.reference_list, name="reference_list"),
    path("referensi/tambah/", service_views.reference_create, name="reference_create"),
]
