from django.urls import path

from ..views import integrations as views

urlpatterns = [
    path("", views.integration_list, name="integration_list"),
    path("baru/", views.integration_create, name="integration_create"),
    path("<int:pk>/ubah/", views.integration_edit, name="integration_edit"),
    path("<int:pk>/hapus/", views.integration_delete, name="integration_delete"),
    path("peta/", views.integration_graph, name="integration_graph"),
]
