"""Top-level URL configuration."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("padu.core.urls")),
    path("akun/", include("padu.accounts.urls")),
    path("organisasi/", include("padu.organizations.urls")),
    path("audit/", include("padu.audit.urls")),
    path("evaluasi/", include("padu.evaluation.urls")),
    path("data/", include("padu.databank.urls")),
    path("katalog/", include("padu.catalog.urls")),
    path("layanan/", include("padu.catalog.urls.public")),
    # CKAN-compatible read API and DCAT at the root, where CKAN clients look for them.
    path("", include("padu.databank.urls.ckan")),
    path("api/v1/", include("padu.organizations.api.urls")),
    path("api/v1/", include("padu.evaluation.api.urls")),
    path("api/v1/", include("padu.databank.api.urls")),
    path("api/v1/", include("padu.catalog.api.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
