"""Metadata pages of the data bank (mounted at /data/, namespace `databank`)."""

from django.urls import path

from ..views import metadata as views
from ..views import metadata_combos as combos

urlpatterns = [
    path("", views.home, name="home"),
    path("elemen/", views.element_list, name="element_list"),
    path("elemen/baru/", views.element_create, name="element_create"),
    path("elemen/<int:pk>/", views.element_detail, name="element_detail"),
    path("elemen/<int:pk>/ubah/", views.element_edit, name="element_edit"),
    path("dataset/", views.dataset_list, name="dataset_list"),
    path("dataset/baru/", views.dataset_create, name="dataset_create"),
    path("dataset/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("dataset/<int:pk>/ubah/", views.dataset_edit, name="dataset_edit"),
    path("dataset/<int:pk>/elemen/", views.dataset_element_add, name="dataset_element_add"),
    path(
        "dataset/<int:pk>/elemen/<int:item>/",
        views.dataset_element_change,
        name="dataset_element_change",
    ),
    path("dataset/<int:pk>/aturan/baru/", views.rule_create, name="rule_create"),
    path("dataset/<int:pk>/aturan/<int:rule>/", views.rule_edit, name="rule_edit"),
    path("dataset/<int:pk>/aturan/<int:rule>/hapus/", views.rule_delete, name="rule_delete"),
    path("disagregasi/", combos.combo_list, name="combo_list"),
    path("disagregasi/baru/", combos.combo_create, name="combo_create"),
    path("disagregasi/<int:pk>/", combos.combo_edit, name="combo_edit"),
    path("kategori/baru/", combos.category_create, name="category_create"),
    path("kategori/<int:pk>/", combos.category_edit, name="category_edit"),
    path("daftar-pilihan/baru/", combos.option_set_create, name="option_set_create"),
    path("daftar-pilihan/<int:pk>/", combos.option_set_edit, name="option_set_edit"),
]
