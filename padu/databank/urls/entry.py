"""Entry, verification and completeness pages (mounted at /data/isian/)."""

from django.urls import path

from ..views import entry, review

FORM = "<int:dataset_pk>/<str:region_code>/<str:period>/"

urlpatterns = [
    path("", entry.entry_home, name="entry_home"),
    path(FORM, entry.entry_form, name="entry_form"),
    path(FORM + "sel/", entry.entry_cell, name="entry_cell"),
    path(FORM + "kirim/", entry.entry_submit, name="entry_submit"),
    path("verifikasi/", review.review_list, name="review_list"),
    path("verifikasi/" + FORM, review.review_form, name="review_form"),
    path("verifikasi/" + FORM + "terima/", review.review_accept, name="review_accept"),
    path("verifikasi/" + FORM + "kembalikan/", review.review_return, name="review_return"),
    path("kelengkapan/", review.completeness, name="completeness"),
    path(
        "<int:dataset_pk>/pengecualian/",
        review.lock_exception_create,
        name="lock_exception_create",
    ),
]
