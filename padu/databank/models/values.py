"""Data values (the fact table), their audit trail, submissions, locks and kept rollups.

Periods are ISO-style codes: `2025` (year), `2025S1` (semester), `2025Q3` (quarter),
`202507` (month); `padu.databank.periods` parses and converts them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReturnReason, SubmissionStatus, ValueStatus
from .metadata import DataElement, Dataset, OptionCombo


def fact_key(to: Any, on_delete: Any, related_name: str = "+", **kw: Any) -> Any:
    """A foreign key of a fact table: no database constraint, no index of its own (see
    `DataValue`); the ORM's on_delete still applies."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        related_name=related_name,
        db_constraint=False,
        db_index=False,
        **kw,
    )


class DataValue(models.Model):
    """One figure: element x disaggregation cell x region x period.

    The fact tables (values, their audit, aggregates) carry no database foreign-key
    constraints and no single-column FK indexes: checked at commit they cost about 6 s per
    200,000 imported values, and each index slows every bulk write. The write path only
    stores ids it resolved from the dataset's catalog, and deletions still go through the
    ORM's PROTECT / CASCADE / SET_NULL; the composite indexes below serve every lookup.
    """

    id = models.BigAutoField(primary_key=True)
    element = fact_key(DataElement, models.PROTECT, related_name="values")
    option_combo = fact_key(OptionCombo, models.PROTECT)
    region = fact_key("organizations.Region", models.PROTECT)
    period = models.CharField(_("period"), max_length=8)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    text = models.CharField(_("text value"), max_length=1000, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.ENTERED
    )
    return_reason = models.CharField(
        _("reason for return"), max_length=16, choices=ReturnReason.choices, blank=True
    )
    return_comment = models.TextField(_("return comment"), blank=True)
    updated_by = fact_key(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        # The key leads with (region, period): a form reads one region's period; the same
        # index serves that lookup, so no separate (region, period) index is kept (every
        # index costs each bulk insert).
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "element", "option_combo"], name="data_value_key"
            )
        ]
        indexes = [models.Index(fields=["element", "period"])]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.option_combo_id}/{self.region_id}/{self.period}"


class ValueAudit(models.Model):
    """Append-only: every change to a value (old, new, who, when, why, from where)."""

    id = models.BigAutoField(primary_key=True)
    element = fact_key(DataElement, models.PROTECT)
    option_combo = fact_key(OptionCombo, models.PROTECT)
    region = fact_key("organizations.Region", models.PROTECT)
    period = models.CharField(max_length=8)
    old_value = models.CharField(max_length=1000, blank=True)
    new_value = models.CharField(max_length=1000, blank=True)
    user = fact_key(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text=_("entry, import:<id>, review"))

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        # region first, like the value key: bulk writes arrive grouped by region and period,
        # so the index grows at a few places instead of all over
        indexes = [models.Index(fields=["region", "period", "element"])]

    def __str__(self) -> str:
        return f"{self.period} {self.old_value} -> {self.new_value}"


class Submission(models.Model):
    """A dataset's form for one region and period: entered, submitted, returned or accepted."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="submissions")
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_comment = models.TextField(_("return comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "region", "period"], name="submission_key")
        ]
        indexes = [models.Index(fields=["dataset", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.region_id} {self.period}"


class LockException(models.Model):
    """The walidata reopens a closed period for a region (or all) until a moment."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="lock_exceptions")
    region = models.ForeignKey(
        "organizations.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    until = models.DateTimeField(_("open until"))
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lock exception")
        verbose_name_plural = _("lock exceptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.period} {self.region_id or '*'}"


class AggregateValue(models.Model):
    """A kept rollup: the value of an element cell for a region at any level and any period.

    Refreshed incrementally for the keys a write touches (see `aggregation.py`); `count`
    counts the reporting leaves, so averages can be re-derived.
    """

    id = models.BigAutoField(primary_key=True)
    element = fact_key(DataElement, models.CASCADE)
    option_combo = fact_key(OptionCombo, models.CASCADE)
    region = fact_key("organizations.Region", models.CASCADE)
    period = models.CharField(max_length=8)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["element", "option_combo", "region", "period"], name="aggregate_key"
            )
        ]
        indexes = [models.Index(fields=["element", "period", "region"])]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.region_id}/{self.period}={self.value}"


class PendingRollup(models.Model):
    """Rollups still to refresh after a bulk write: the keys are those of the audit rows
    `first_audit..last_audit` (a range may include other writers' keys: refreshing them too
    is harmless). Written in the same transaction as the values, removed by the refresh, so
    a crash in between leaves it for `rollups.refresh_leftovers` (run by the scheduler)."""

    first_audit = models.BigIntegerField()
    last_audit = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending rollup")
        verbose_name_plural = _("pending rollups")

    def __str__(self) -> str:
        return f"{self.first_audit}..{self.last_audit}"
