from django.urls import path

from ..views import plans

urlpatterns = [
    path("", plans.plans_home, name="plans_home"),
    path("periode/<int:pk>/", plans.plan_list, name="plan_list"),
    path("periode/<int:pk>/baru/", plans.plan_create, name="plan_create"),
    path("periode/<int:pk>/simulasi/", plans.simulator, name="simulator"),
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/status/", plans.plan_status, name="plan_status"),
]
