"""Instruments as versioned data: domains, aspects, indicators, levels and their criteria."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import IndicatorKind, InstrumentStatus, Rounding, ValueScale


class Instrument(models.Model):
    """One version of an evaluation instrument, loaded from a YAML file; immutable once used."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
        help_text=_("Empty for national instruments; set for an agency's own variant."),
    )
    code = models.CharField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=InstrumentStatus.choices)
    status_note = models.TextField(_("status note"), blank=True)
    min_level = models.PositiveSmallIntegerField(_("lowest level"), default=1)
    max_level = models.PositiveSmallIntegerField(_("highest level"), default=5)
    divisor = models.DecimalField(_("index divisor"), max_digits=8, decimal_places=3)
    has_domains = models.BooleanField(_("has domains"), default=True)
    value_scale = models.CharField(
        _("value scale"), max_length=10, choices=ValueScale.choices, default=ValueScale.LEVEL
    )
    rounding = models.CharField(
        _("rounding of published figures"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
    )
    applies_from_year = models.PositiveSmallIntegerField(
        _("default for periods from"), null=True, blank=True
    )
    supersedes = models.JSONField(
        _("supersedes"), default=list, blank=True, help_text=_("[{code, version}] as in the file.")
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes_instruments",
    )
    predicates = models.JSONField(_("predicate bands"))
    level_scales = models.JSONField(_("level scales"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    document = models.TextField(_("file as loaded"))
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(agency__isnull=True),
                name="instrument_national_code_version",
            ),
            models.UniqueConstraint(
                fields=["agency", "code", "version"],
                name="instrument_agency_code_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_title} (v{self.version})"

    @property
    def is_verified(self) -> bool:
        return self.status in (InstrumentStatus.VERIFIED, InstrumentStatus.VERIFIED_SECONDARY)

    @property
    def is_decimal(self) -> bool:
        """Whether indicators take values with two decimals (Pemdi) rather than whole levels."""
        return self.value_scale == ValueScale.DECIMAL


class Domain(models.Model):
    """A domain of an instrument (59/2020 has four; the Pemdi draft has none)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="domain_code")]

    def __str__(self) -> str:
        return self.name


class Aspect(models.Model):
    """An aspect: a group of indicators with its weight."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="aspects")
    domain = models.ForeignKey(
        Domain, null=True, blank=True, on_delete=models.CASCADE, related_name="aspects"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="aspect_code")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator, scored at a level from min_level to max_level (once per slot)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=10, help_text=_("As printed, e.g. 12 or IK3."))
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    official_name = models.CharField(_("official name"), max_length=400, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    level_scale = models.CharField(_("level scale"), max_length=40, blank=True)
    slots = models.PositiveSmallIntegerField(
        _("slots"), default=1, help_text=_("How many times it is scored (one per sector service).")
    )
    requires_service_name = models.BooleanField(_("names a sector service"), default=False)
    focus = models.TextField(_("assessment focus"), blank=True)
    external_source = models.CharField(
        _("scored from the index of"),
        max_length=300,
        blank=True,
        help_text=_("Set when another agency's index scores this indicator (e.g. EPSS by BPS)."),
    )
    external_default = models.DecimalField(
        _("value until that index is recorded"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="indicator_number")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def is_external_index(self) -> bool:
        """Scored from another agency's index (Pemdi IK5, IK6, IK7, IK18), not from evidence."""
        return self.external_default is not None


class Level(models.Model):
    """What one maturity level of an indicator means."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    name_alt = models.CharField(
        _("other name in use"),
        max_length=100,
        blank=True,
        help_text=_("E.g. the assessors' Rintisan beside the regulation's Merintis."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    evidence_kinds = models.JSONField(_("expected evidence types"), default=list, blank=True)

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [models.UniqueConstraint(fields=["indicator", "level"], name="level_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} L{self.level} {self.name}"


class Criterion(models.Model):
    """One tickable criterion of a level (in addition to the levels below it)."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["level", "position"]

    def __str__(self) -> str:
        return self.text[:80]
