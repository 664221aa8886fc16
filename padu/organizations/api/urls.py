from rest_framework.routers import DefaultRouter

from .views import RegionViewSet, UnitViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")

urlpatterns = router.urls
