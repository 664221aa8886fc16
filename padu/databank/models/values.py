"""Data values (the fact table), their audit trail, submissions, locks and kept rollups.

Periods are ISO-style codes: `2025` (year), `2025S1` (semester), `2025Q3` (quarter),
`202507` (month); `padu.databank.periods` parses and converts them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReturnReason, SubmissionStatus, ValueStatus
from .metadata import DataElement, Dataset, OptionCombo


class DataValue(models.Model):
    """One figure: element x disaggregation cell x region x period."""

    id = models.BigAutoField(primary_key=True)
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    option_combo = models.ForeignKey(OptionCombo, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")
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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "option_combo", "region", "period"], name="data_value_key"
            )
        ]
        indexes = [
            models.Index(fields=["region", "period"]),
            models.Index(fields=["element", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.element_id}/{self.option_combo_id}/{self.region_id}/{self.period}"


class ValueAudit(models.Model):
    """Append-only: every change to a value (old, new, who, when, why, from where)."""

    id = models.BigAutoField(primary_key=True)
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    option_combo = models.ForeignKey(OptionCombo, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    old_value = models.CharField(max_length=1000, blank=True)
    new_value = models.CharField(max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text=_("entry, import:<id>, review"))

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        indexes = [models.Index(fields=["element", "region", "period"])]

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
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    option_combo = models.ForeignKey(OptionCombo, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("organizations.Region", on_delete=models.CASCADE, related_name="+")
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
