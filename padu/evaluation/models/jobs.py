"""Records of background work: evidence bundles and the reminders already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import JobStatus
from .periods import Period


def bundle_upload_to(instance: EvidenceBundle, filename: str) -> str:
    return f"bundles/{instance.period.agency_id}/{instance.period.year}/{filename}"


class EvidenceBundle(models.Model):
    """A ZIP of a period's evidence, built by a background job, with its progress."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="bundles")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    total_files = models.PositiveIntegerField(_("files to pack"), default=0)
    done_files = models.PositiveIntegerField(_("files packed"), default=0)
    total_bytes = models.PositiveBigIntegerField(_("bytes to pack"), default=0)
    done_bytes = models.PositiveBigIntegerField(_("bytes packed"), default=0)
    missing_files = models.PositiveIntegerField(_("missing files"), default=0)
    file = models.FileField(_("bundle"), upload_to=bundle_upload_to, max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence bundle")
        verbose_name_plural = _("evidence bundles")
        ordering = ["period", "-created_at"]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class ReminderLog(models.Model):
    """One reminder digest sent; the key makes sending the same reminder twice impossible."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_reminders"
    )
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(_("reminder key"), max_length=120)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "key"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return self.key
