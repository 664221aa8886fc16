"""The public service directory (anonymous), mounted at /layanan/ in the `directory` namespace."""

from django.urls import path  # noqa: F401

app_name = "directory"
urlpatterns: list = []
