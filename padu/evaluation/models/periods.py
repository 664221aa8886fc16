"""Evaluation periods, their stage windows, and the assessment of each indicator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AssessmentStatus, PeriodStatus, Stage
from .instruments import Criterion, Indicator, Instrument


class Period(models.Model):
    """An agency's evaluation of one year on one instrument version."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="evaluation_periods",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="periods"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED
    )
    external_index = models.DecimalField(
        _("published index (LHE)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="period_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class StageWindow(models.Model):
    """The dates of one stage of a period (inclusive, in the agency's time zone)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="windows")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        ordering = ["period", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["period", "stage"], name="window_per_stage"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.starts_on} - {self.ends_on}"


class Assessment(models.Model):
    """One indicator (one slot) in one period: who owns it, the levels, the review state."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assessments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="assessments")
    slot = models.PositiveSmallIntegerField(_("slot"), default=1)
    service_name = models.CharField(_("sector service"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_assessments",
    )
    supporting_units = models.ManyToManyField(
        "organizations.Unit",
        verbose_name=_("supporting units"),
        blank=True,
        related_name="supporting_assessments",
    )
    pics = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persons in charge"),
        blank=True,
        related_name="assessments_in_charge",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    checked_criteria = models.ManyToManyField(
        Criterion, verbose_name=_("criteria met"), blank=True, related_name="+"
    )
    claimed_level = models.PositiveSmallIntegerField(_("claimed level"), null=True, blank=True)
    claim_justification = models.TextField(_("justification for the claim"), blank=True)
    explanation = models.TextField(_("explanation (penjelasan)"), blank=True)
    validated_level = models.PositiveSmallIntegerField(_("validated level"), null=True, blank=True)
    external_level = models.PositiveSmallIntegerField(
        _("external level (LHE)"), null=True, blank=True
    )
    claimed_value = models.DecimalField(
        _("claimed value"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    validated_value = models.DecimalField(
        _("validated value"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    validation_reason = models.TextField(
        _("reason for the validated figure"),
        blank=True,
        help_text=_("Required when the validated level or value differs from the claim."),
    )
    external_value = models.DecimalField(
        _("external value (LHE)"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    index_value = models.DecimalField(
        _("value from the issuing agency's index"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    index_source = models.CharField(_("source of the index value"), max_length=300, blank=True)
    index_date = models.DateField(_("date of the index result"), null=True, blank=True)
    index_evidence = models.ForeignKey(
        "evaluation.Evidence",
        verbose_name=_("letter or report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="index_results",
    )
    index_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("index value recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    index_recorded_at = models.DateTimeField(_("index value recorded"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_assessments",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised on every save; detects concurrent edits.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("indicator assessment")
        verbose_name_plural = _("indicator assessments")
        ordering = ["period", "indicator__number", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator", "slot"], name="assessment_slot")
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["lead_unit", "period"]),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.slot})" if self.indicator.slots > 1 else ""
        return f"{self.indicator}{suffix}"


class Comment(models.Model):
    """A message on an assessment between the OPD and the assessors."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at"]

    def __str__(self) -> str:
        return self.body[:60]
