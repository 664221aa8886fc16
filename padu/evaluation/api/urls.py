from rest_framework.routers import DefaultRouter

from .views import AssessmentViewSet, EvidenceViewSet, InstrumentViewSet, PeriodViewSet

router = DefaultRouter()
router.register("evaluation/instruments", InstrumentViewSet, basename="eval-instrument")
router.register("evaluation/periods", PeriodViewSet, basename="eval-period")
router.register("evaluation/assessments", AssessmentViewSet, basename="eval-assessment")
router.register("evaluation/evidence", EvidenceViewSet, basename="eval-evidence")

urlpatterns = router.urls
