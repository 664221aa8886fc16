from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "padu.databank"
    verbose_name = _("Data bank")
