"""The public service directory (anonymous), mounted at /layanan/ in the `directory` namespace."""

from django.urls import path

from ..views import public as views

app_name = "directory"
urlpatterns = [
    path("", views.agency_index, name="index"),
    path("<slug:agency_slug>/", views.agency_services, name="agency"),
]
