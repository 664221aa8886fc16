"""New-application proposals (Perpres 95/2018 Pasal 39) and the roadmap (peta rencana)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AppKind, InitiativeStatus, ProposalDecision, ProposalStatus
from .reference import ReferenceCode
from .register import Application


def letter_upload_to(instance: Proposal, filename: str) -> str:
    return f"catalog/proposals/{instance.agency_id}/{filename}"


class Proposal(models.Model):
    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("proposing OPD"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("name of the proposed application"), max_length=200)
    problem = models.TextField(_("problem statement"))
    business_process = models.TextField(_("business process"), blank=True)
    users = models.TextField(_("users"), blank=True)
    data = models.TextField(_("data"), blank=True)
    reference_codes = models.ManyToManyField(
        ReferenceCode, verbose_name=_("reference architecture"), blank=True, related_name="+"
    )
    data_elements = models.ManyToManyField("databank.DataElement", blank=True, related_name="+")
    kind = models.CharField(
        _("type"), max_length=8, choices=AppKind.choices, default=AppKind.SPECIFIC
    )
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    budget_amount = models.DecimalField(_("budget (Rp)"), max_digits=16, decimal_places=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    duplicate_check = models.JSONField(
        _("duplicate check"),
        default=list,
        blank=True,
        help_text=_("Candidates, scores and reasons when sent."),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=ProposalDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decision_application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    letter_number = models.CharField(
        _("KemenPANRB consideration letter number"), max_length=120, blank=True
    )
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    letter_file = models.FileField(upload_to=letter_upload_to, max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application proposal")
        verbose_name_plural = _("application proposals")
        ordering = ["agency", "-created_at"]

    def __str__(self) -> str:
        return self.title


class Initiative(models.Model):
    """A roadmap item: what will be done in which years, by whom, to raise which indicators."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("owner OPD"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    indicators = models.ManyToManyField(
        "evaluation.Indicator",
        verbose_name=_("indicators it should raise"),
        blank=True,
        related_name="+",
    )
    applications = models.ManyToManyField(Application, blank=True, related_name="initiatives")
    budget = models.DecimalField(
        _("budget (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["agency", "start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="initiative_years"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="initiative_progress"
            ),
        ]

    def __str__(self) -> str:
        return self.title
