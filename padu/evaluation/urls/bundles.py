from django.urls import path

from ..views import bundles

urlpatterns = [
    path("periode/<int:pk>/", bundles.bundle_list, name="bundle_list"),
    path("periode/<int:pk>/buat/", bundles.bundle_create, name="bundle_create"),
    path("<int:bundle_pk>/unduh/", bundles.bundle_download, name="bundle_download"),
]
