"""Published national results (index per agency per year, national averages) and peers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedResult(models.Model):
    """An index published by KemenPANRB for one agency (by region) or the national average."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_results",
        help_text=_("Empty for the national average."),
    )
    agency_name = models.CharField(_("agency name as published"), max_length=200, blank=True)
    index = models.DecimalField(_("index"), max_digits=4, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["year", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=models.Q(region__isnull=False),
                name="published_result_per_region",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(region__isnull=True),
                name="national_average_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(index__gte=0, index__lte=5), name="published_index_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.agency_name or self.region_id or 'nasional'} {self.index}"


class Peer(models.Model):
    """A region whose published results an agency compares itself with."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="evaluation_peers"
    )
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("peer")
        verbose_name_plural = _("peers")
        constraints = [models.UniqueConstraint(fields=["agency", "region"], name="peer_once")]

    def __str__(self) -> str:
        return f"{self.agency} ~ {self.region_id}"
