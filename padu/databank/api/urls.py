"""Data bank API under /api/v1/data/."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("data/elements", views.DataElementViewSet, basename="data-element")
router.register("data/datasets", views.DatasetViewSet, basename="data-dataset")
router.register("data/disaggregations", views.DisaggregationViewSet, basename="data-combo")
router.register("data/values", views.DataValueViewSet, basename="data-value")
router.register("data/aggregates", views.AggregateValueViewSet, basename="data-aggregate")

urlpatterns = router.urls
