"""Analysis pages under /data/analisis/: pivot, charts, map, boundaries, dashboards, tokens."""

from django.urls import path

from ..views import analysis as views

urlpatterns = [
    path("", views.pivot, name="pivot"),
    path("grafik/", views.charts, name="charts"),
    path("peta/", views.region_map, name="map"),
    path("batas/", views.boundary_upload, name="boundary_upload"),
    path("dasbor/", views.dashboard_list, name="dashboard_list"),
    path("dasbor/baru/", views.dashboard_create, name="dashboard_create"),
    path("dasbor/<int:pk>/", views.dashboard_detail, name="dashboard_detail"),
    path("dasbor/<int:pk>/ubah/", views.dashboard_edit, name="dashboard_edit"),
    path("dasbor/<int:pk>/hapus/", views.dashboard_delete, name="dashboard_delete"),
    path("token/", views.token_list, name="token_list"),
    path("token/baru/", views.token_create, name="token_create"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
