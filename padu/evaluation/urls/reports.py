from django.urls import path

from ..views import plans, reports

urlpatterns = [
    path("", plans.reports_home, name="reports_home"),
    path("periode/<int:pk>/", reports.report_index, name="report_index"),
    path("periode/<int:pk>/xlsx/", reports.report_xlsx, name="report_xlsx"),
    path("periode/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
]
