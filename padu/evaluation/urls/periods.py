from django.urls import path

from ..views import assessments, periods

urlpatterns = [
    path("", periods.dashboard, name="dashboard"),
    path("periode/", periods.period_list, name="period_list"),
    path("periode/baru/", periods.period_create, name="period_create"),
    path("periode/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periode/<int:pk>/jadwal/", periods.period_edit, name="period_edit"),
    path("periode/<int:pk>/penugasan/", periods.assignment, name="assignment"),
    path("periode/<int:pk>/hasil-eksternal/", periods.external_results, name="external_results"),
    path("indikator-saya/", periods.my_indicators, name="my_indicators"),
    path("indikator/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("indikator/<int:pk>/simpan/", assessments.assessment_save, name="assessment_save"),
    path("indikator/<int:pk>/kirim/", assessments.assessment_submit, name="assessment_submit"),
    path("indikator/<int:pk>/bukti/", assessments.evidence_attach, name="evidence_attach"),
    path(
        "indikator/<int:pk>/bukti/<int:link_pk>/lepas/",
        assessments.evidence_detach,
        name="evidence_detach",
    ),
    path("indikator/<int:pk>/komentar/", assessments.comment_add, name="comment_add"),
    path("indikator/<int:pk>/tinjau/", assessments.review_start, name="review_start"),
    path("indikator/<int:pk>/kembalikan/", assessments.review_return, name="review_return"),
    path("indikator/<int:pk>/terima/", assessments.review_accept, name="review_accept"),
    path(
        "indikator/<int:pk>/buka-kembali/", assessments.assessment_reopen, name="assessment_reopen"
    ),
    path("indikator/<int:pk>/indeks/", assessments.index_record, name="index_record"),
    path("indikator/<int:pk>/indeks/hapus/", assessments.index_clear, name="index_clear"),
]
