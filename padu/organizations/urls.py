from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("wilayah/", views.region_list, name="region_list"),
    path("instansi/", views.agency_edit, name="agency_edit"),
    path("instansi/logo/", views.agency_logo, name="agency_logo"),
]
