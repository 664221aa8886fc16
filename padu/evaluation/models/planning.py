"""Target plans (which level steps raise the index to a target) and LHE recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import PlanStatus, RecommendationStatus, StepStatus
from .instruments import Indicator
from .periods import Assessment, Period


class TargetPlan(models.Model):
    """A saved answer of the planner: the cheapest level steps that reach a target index."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    series = models.CharField(_("starting levels"), max_length=10)
    target_index = models.DecimalField(_("target index"), max_digits=4, decimal_places=2)
    baseline_index = models.DecimalField(_("starting index"), max_digits=6, decimal_places=4)
    planned_index = models.DecimalField(_("planned index"), max_digits=6, decimal_places=4)
    total_effort = models.DecimalField(_("total effort"), max_digits=8, decimal_places=2)
    reachable = models.BooleanField(_("target reachable"), default=True)
    inputs = models.JSONField(
        _("planner inputs"),
        default=dict,
        help_text=_("Per assessment: starting level, highest reachable level, effort per step."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("target plan")
        verbose_name_plural = _("target plans")
        ordering = ["period", "-created_at"]

    def __str__(self) -> str:
        return self.name


class PlanStep(models.Model):
    """One level step of a plan (indicator from level n to n + 1), assigned to an OPD."""

    plan = models.ForeignKey(TargetPlan, on_delete=models.CASCADE, related_name="steps")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan_steps")
    from_level = models.PositiveSmallIntegerField(_("from level"))
    to_level = models.PositiveSmallIntegerField(_("to level"))
    # Decimal instruments (Pemdi): the part of the level step the plan climbs, e.g. 1.26 -> 2.00.
    from_value = models.DecimalField(
        _("from value"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    to_value = models.DecimalField(
        _("to value"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    gain = models.DecimalField(_("gain to the index"), max_digits=7, decimal_places=5)
    effort = models.DecimalField(_("effort"), max_digits=6, decimal_places=2)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("responsible OPD"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_steps",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan", "assessment__indicator__number", "assessment__slot", "to_level"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "assessment", "to_level"], name="plan_step"),
            models.CheckConstraint(
                condition=models.Q(to_level=models.F("from_level") + 1), name="plan_step_one_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.from_level}->{self.to_level}"


class Recommendation(models.Model):
    """A national recommendation (rekomendasi, from the LHE) and its follow-up (tindak lanjut)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="recommendations")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    action = models.TextField(_("planned action (tindak lanjut)"), blank=True)
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("owner OPD"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["period", "indicator__number", "created_at"]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return self.text[:80]
