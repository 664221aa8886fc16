"""Choices of the catalog."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceModel(models.TextChoices):
    RAB = "RAB", _("Business process (RAB)")
    RAL = "RAL", _("Service (RAL)")
    RAD = "RAD", _("Data (RAD)")
    RAA = "RAA", _("Application (RAA)")
    RAI = "RAI", _("Infrastructure (RAI)")
    RAK = "RAK", _("Security (RAK)")


class AppKind(models.TextChoices):
    GENERAL = "umum", _("General application (aplikasi umum)")
    SPECIFIC = "khusus", _("Specific application (aplikasi khusus)")


class AppCategory(models.TextChoices):
    ADMINISTRATION = "administrasi", _("Government administration")
    PUBLIC_SERVICE = "layanan_publik", _("Public service")


class Lifecycle(models.TextChoices):
    PLANNING = "perencanaan", _("Planning")
    DEVELOPMENT = "pengembangan", _("Development")
    PILOT = "uji_coba", _("Pilot")
    PRODUCTION = "produksi", _("Production")
    RETIRED = "dihentikan", _("Retired")


class Hosting(models.TextChoices):
    REGIONAL_DC = "pdd", _("Regional data centre (Pusat Data Daerah)")
    NATIONAL_DC = "pdn", _("National data centre (PDN)")
    CLOUD = "cloud", _("Cloud")
    OPD_SERVER = "opd", _("OPD server")
    VENDOR = "vendor", _("Vendor / national provider")


class Users(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    PUBLIC = "publik", _("Public")
    BOTH = "keduanya", _("Internal and public")


class Decision(models.TextChoices):
    TOLERATE = "tolerate", _("Tolerate")
    INVEST = "invest", _("Invest")
    MIGRATE = "migrate", _("Migrate")
    ELIMINATE = "eliminate", _("Eliminate")


class ContactRole(models.TextChoices):
    PIC = "pic", _("Person in charge")
    DEVELOPER = "developer", _("Developer")
    VENDOR = "vendor", _("Vendor")


class ServiceKind(models.TextChoices):
    PUBLIC = "publik", _("Public service")
    ADMINISTRATIVE = "administrasi", _("Administrative service")


class IntegrationMethod(models.TextChoices):
    SPLP = "splp", _("SPLP / API")
    FILE = "file", _("File exchange")
    SHARED_DB = "shared_db", _("Shared database")
    MANUAL = "manual", _("Manual")


class IntegrationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalDecision(models.TextChoices):
    REUSE = "reuse", _("Reuse an existing application")
    EXTEND = "extend", _("Extend an existing application")
    INTEGRATE = "integrate", _("Integrate existing applications")
    BUILD = "build", _("Build a new application")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")
