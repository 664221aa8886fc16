"""Catalog API under /api/v1/catalog/."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("catalog/applications", views.ApplicationViewSet, basename="catalog-application")
router.register("catalog/services", views.ServiceViewSet, basename="catalog-service")
router.register("catalog/integrations", views.IntegrationViewSet, basename="catalog-integration")
router.register("catalog/proposals", views.ProposalViewSet, basename="catalog-proposal")

urlpatterns = router.urls
