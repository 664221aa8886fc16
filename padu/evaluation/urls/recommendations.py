"""LHE recommendations and their follow-up, under /evaluasi/rekomendasi/."""

from django.urls import path

from ..views import plans
from ..views import recommendations as views

urlpatterns = [
    path("", plans.recommendations_home, name="recommendations_home"),
    path("periode/<int:pk>/", views.recommendation_list, name="recommendation_list"),
    path("periode/<int:pk>/baru/", views.recommendation_create, name="recommendation_create"),
    path("periode/<int:pk>/impor/", views.recommendation_import, name="recommendation_import"),
    path("periode/<int:pk>/bawa/", views.recommendation_carry, name="recommendation_carry"),
    path("<int:pk>/ubah/", views.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/hapus/", views.recommendation_delete, name="recommendation_delete"),
    path(
        "<int:pk>/tindak-lanjut/",
        views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
]
