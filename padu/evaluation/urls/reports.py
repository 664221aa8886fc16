from django.urls import path

from ..views import plans, portal, reports

urlpatterns = [
    path("", plans.reports_home, name="reports_home"),
    path("periode/<int:pk>/", reports.report_index, name="report_index"),
    path("periode/<int:pk>/xlsx/", reports.report_xlsx, name="report_xlsx"),
    path("periode/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("indikator/<int:pk>/portal/", portal.assessment_handoff, name="assessment_handoff"),
    path(
        "indikator/<int:pk>/portal/<str:fmt>/",
        portal.assessment_handoff_download,
        name="assessment_handoff_download",
    ),
]
