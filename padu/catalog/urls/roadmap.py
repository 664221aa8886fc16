from django.urls import path

from ..views import roadmap as views

urlpatterns = [
    path("", views.roadmap, name="roadmap"),
    path("baru/", views.initiative_create, name="initiative_create"),
    path("<int:pk>/ubah/", views.initiative_edit, name="initiative_edit"),
]

# The register's reference-architecture views and its evidence documents.
from ..views import architecture as arch_views  # noqa: E402

urlpatterns += [
    path("arsitektur/", arch_views.architecture, name="architecture"),
    path("bukti/", arch_views.register_evidence, name="register_evidence"),
    path(
        "bukti/<slug:artefact>.<str:fmt>",
        arch_views.register_export,
        name="register_export",
    ),
]
