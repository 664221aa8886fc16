"""The evidence library: documents and links, reused across indicators and years."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import EvidenceKind, EvidenceReview
from .instruments import Criterion
from .periods import Assessment


class Evidence(models.Model):
    """One item of supporting evidence (data dukung): a file with versions, or a link."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="evidence"
    )
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=24, choices=EvidenceKind.choices)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    document_number = models.CharField(_("document number"), max_length=200, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_audit = models.BooleanField(
        _("audit report"),
        default=False,
        help_text=_("Audits older than two years count as expired."),
    )
    description = models.TextField(_("description"), blank=True)
    review_status = models.CharField(
        _("review status"),
        max_length=10,
        choices=EvidenceReview.choices,
        default=EvidenceReview.PENDING,
    )
    review_reason = models.TextField(_("review reason"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["agency", "kind"]),
            models.Index(fields=["agency", "owner_unit"]),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.evidence.agency_id}/{instance.evidence_id}/{instance.version}-{filename}"


class EvidenceFile(models.Model):
    """One version of an evidence file; earlier versions are kept."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="files")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["evidence", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="evidence_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"


class EvidenceLink(models.Model):
    """Evidence attached to an assessment, at the level or criterion it supports."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_links"
    )
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="links")
    level = models.PositiveSmallIntegerField(_("level"))
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "level", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "evidence", "level", "criterion"], name="evidence_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence} → L{self.level}"
