"""The national reference architecture (Perpres 132/2022: RAB, RAL, RAD, RAA, RAI, RAK) as
versioned tables loaded from data, agencies' own deeper codes, and the national applications."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ReferenceModel


class ReferenceVersion(models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    is_current = models.BooleanField(_("current"), default=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("reference version")
        verbose_name_plural = _("reference versions")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return self.title


class ReferenceCode(models.Model):
    """One node of a reference model; national ones have no agency, an agency adds deeper levels."""

    version = models.ForeignKey(ReferenceVersion, on_delete=models.CASCADE, related_name="codes")
    agency = models.ForeignKey(
        "organizations.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    model = models.CharField(_("model"), max_length=3, choices=ReferenceModel.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    uncertain = models.BooleanField(_("not verified against the official text"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reference code")
        verbose_name_plural = _("reference codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                condition=models.Q(agency__isnull=True),
                name="national_reference_code",
            ),
            models.UniqueConstraint(
                fields=["version", "agency", "code"], name="agency_reference_code"
            ),
        ]
        indexes = [models.Index(fields=["version", "model", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class NationalApplication(models.Model):
    """A national application (aplikasi umum or a ministry's shared application)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    owner = models.CharField(_("owner (ministry or agency)"), max_length=200)
    function = models.TextField(_("function"), blank=True)
    raa_code = models.CharField(_("RAA code"), max_length=40, blank=True)
    ral_codes = models.JSONField(_("RAL codes"), default=list, blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    is_general = models.BooleanField(_("designated aplikasi umum"), null=True, blank=True)
    related_indicators = models.JSONField(_("related SPBE indicators"), default=list, blank=True)
    uncertain = models.BooleanField(_("not verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("national application")
        verbose_name_plural = _("national applications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
