"""Choices of the data bank; the verification workflow's transitions live in `workflow.py`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENTAGE = "percentage", _("Percentage (0-100)")
    BOOLEAN = "boolean", _("Yes/no")
    OPTION = "option", _("Option from a list")
    TEXT = "text", _("Text")


NUMERIC_TYPES = {ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENTAGE, ValueType.BOOLEAN}


class AggregationType(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    LAST = "last", _("Last value (stock)")
    NONE = "none", _("None")


class AccessClass(models.TextChoices):
    OPEN = "terbuka", _("Open (terbuka)")
    RESTRICTED = "terbatas", _("Restricted (terbatas)")
    CLOSED = "tertutup", _("Closed (tertutup)")


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIXMONTHLY = "sixmonthly", _("Semester")
    YEARLY = "yearly", _("Yearly")


class CollectionLevel(models.IntegerChoices):
    """Kemendagri region levels at which a dataset is entered."""

    CITY = 2, _("Regency / city (kabupaten/kota)")
    DISTRICT = 3, _("District (kecamatan)")
    VILLAGE = 4, _("Village (desa/kelurahan)")


class RuleOperator(models.TextChoices):
    EQ = "==", "="
    NE = "!=", "≠"
    LT = "<", "<"
    LE = "<=", "≤"
    GT = ">", ">"
    GE = ">=", "≥"


class MissingStrategy(models.TextChoices):
    SKIP_IF_ANY = "skip_if_any", _("Skip when any side has a missing value")
    SKIP_IF_ALL = "skip_if_all", _("Skip when all values are missing")
    NEVER_SKIP = "never_skip", _("Never skip (missing counts as zero)")


class SubmissionStatus(models.TextChoices):
    OPEN = "open", _("Being entered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ValueStatus(models.TextChoices):
    ENTERED = "entered", _("Entered")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ReturnReason(models.TextChoices):
    IMPLAUSIBLE = "implausible", _("Implausible value")
    INCONSISTENT = "inconsistent", _("Inconsistent with other values")
    MISSING_SOURCE = "missing_source", _("Source document missing")
    WRONG_PERIOD = "wrong_period", _("Wrong period or region")
    OTHER = "other", _("Other")


class ImportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel template (XLSX)")
    CSV = "csv", _("CSV")
    DVS_JSON = "dvs_json", _("Data value set (JSON)")
    DVS_CSV = "dvs_csv", _("Data value set (CSV)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TokenScope(models.TextChoices):
    READ_METADATA = "metadata:read", _("Read metadata")
    READ_VALUES = "values:read", _("Read values and aggregates")
    # The API is read-only: values are written by entry and bulk upload (with their dry run,
    # checks and audit), so no token is offered a write scope it could not use.
