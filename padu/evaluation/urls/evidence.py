from django.urls import path

from ..views import evidence

urlpatterns = [
    path("", evidence.evidence_list, name="evidence_list"),
    path("baru/", evidence.evidence_create, name="evidence_create"),
    path("<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    path("<int:pk>/ubah/", evidence.evidence_edit, name="evidence_edit"),
    path("<int:pk>/berkas/", evidence.evidence_replace, name="evidence_replace"),
    path("<int:pk>/unduh/<int:version>/", evidence.evidence_download, name="evidence_download"),
    path("<int:pk>/tinjau/", evidence.evidence_review, name="evidence_review"),
    path("<int:pk>/arsip/", evidence.evidence_archive, name="evidence_archive"),
]
