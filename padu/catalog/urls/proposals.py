from django.urls import path

from ..views import proposals as views

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("baru/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/ubah/", views.proposal_edit, name="proposal_edit"),
    path("<int:pk>/putuskan/", views.proposal_decide, name="proposal_decide"),
    path("<int:pk>/berkas.pdf", views.proposal_dossier, name="proposal_dossier"),
    path("<int:pk>/<slug:action>/", views.proposal_transition, name="proposal_transition"),
]
