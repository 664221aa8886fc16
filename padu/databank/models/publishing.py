"""Open data: immutable releases of a dataset and their rows (for datastore_search)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .metadata import DataElement, Dataset


def release_upload_to(instance: Release, filename: str) -> str:
    return f"databank/releases/{instance.dataset.agency_id}/{instance.dataset.code}/{filename}"


class Release(models.Model):
    """A published, immutable version of a dataset: values, metadata, checksum, notes."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="releases")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=250)
    notes = models.TextField(_("notes"), blank=True)
    periods = models.JSONField(_("periods"), default=list)
    metadata = models.JSONField(_("metadata"), default=dict)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    csv_file = models.FileField(upload_to=release_upload_to, max_length=500, blank=True)
    json_file = models.FileField(upload_to=release_upload_to, max_length=500, blank=True)
    xlsx_file = models.FileField(upload_to=release_upload_to, max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["dataset", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "version"], name="release_version")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.version}"


class ReleaseRow(models.Model):
    """One published figure, after suppression; what `datastore_search` reads."""

    id = models.BigAutoField(primary_key=True)
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="rows")
    region_code = models.CharField(max_length=13)
    region_name = models.CharField(max_length=120)
    period = models.CharField(max_length=8)
    element_code = models.CharField(max_length=50)
    element_name = models.CharField(max_length=250)
    category = models.CharField(max_length=300, blank=True)
    value = models.CharField(max_length=1000, blank=True)
    unit = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["release", "region_code", "period"])]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.element_code}={self.value}"


class Dashboard(models.Model):
    """An OPD's dashboard built from chosen elements."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "organizations.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    elements = models.ManyToManyField(DataElement, related_name="dashboards")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dashboard")
        verbose_name_plural = _("dashboards")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name
