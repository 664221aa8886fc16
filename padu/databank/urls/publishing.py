"""Open data: public pages (anonymous) and the walidata's release pages, under /data/terbuka/."""

from django.urls import path

from ..views import publishing

urlpatterns = [
    path("", publishing.public_datasets, name="public_datasets"),
    path("rilis/", publishing.release_list, name="release_list"),
    path("rilis/baru/<int:dataset_pk>/", publishing.release_create, name="release_create"),
    path("rilis/<int:pk>/tarik/", publishing.release_withdraw, name="release_withdraw"),
    path(
        "<slug:agency_slug>/<str:dataset_code>/",
        publishing.public_dataset,
        name="public_dataset",
    ),
    path(
        "<slug:agency_slug>/<str:dataset_code>/v<int:version>/<str:fmt>/",
        publishing.public_download,
        name="public_download",
    ),
]
