"""Roles a membership can carry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_ADMIN = "admin_instansi", _("Agency administrator")
    SPBE_COORDINATOR = "koordinator_spbe", _("SPBE coordinator")
    UNIT_ADMIN = "admin_opd", _("Unit (OPD) administrator")
    INTERNAL_ASSESSOR = "asesor_internal", _("Internal assessor")
    LEADER = "pimpinan", _("Leader (pimpinan)")
    VILLAGE_OPERATOR = "operator_kelurahan", _("Village operator")
    DATA_PRODUCER = "produsen_data", _("Data producer")
    DATA_CUSTODIAN = "walidata", _("Data custodian (walidata)")
    VIEWER = "viewer", _("Viewer")


# Roles that only make sense with a scope.
UNIT_SCOPED_ROLES = {Role.UNIT_ADMIN, Role.DATA_PRODUCER}
REGION_SCOPED_ROLES = {Role.VILLAGE_OPERATOR}
