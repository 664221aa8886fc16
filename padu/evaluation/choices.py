"""Choices for the evaluation module; workflow transitions live in `workflow.py`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    VERIFIED_SECONDARY = (
        "verified_secondary",
        _("Verified from secondary sources; check against the official Lampiran"),
    )
    HISTORICAL = "historical", _("Historical")
    UNVERIFIED = "unverified", _("Unverified draft")


class ValueScale(models.TextChoices):
    """How an indicator is scored: whole levels (59/2020, 5/2018) or values with two decimals (Pemdi)."""

    LEVEL = "level", _("Whole levels")
    DECIMAL = "decimal", _("Decimal values (two places)")


class Rounding(models.TextChoices):
    """How published figures are rounded to two places."""

    HALF_UP = "half_up", _("Half up")
    HALF_EVEN = "half_even", _("Half to even (as Pemdi publishes)")


class IndicatorKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROCESS = "process", _("Process")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class PeriodStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    INTERVIEW = "interview", _("Interview")
    INTERVIEW_FIX = "interview_fix", _("Interview fix window")
    SITE_VISIT = "site_visit", _("Site visit")
    RESULTS = "results", _("Results")


# Stages in which the OPD may edit its self-assessment.
OPD_EDIT_STAGES = {Stage.SELF_ASSESSMENT, Stage.INTERVIEW_FIX}
REVIEW_STAGES = {Stage.INTERNAL_REVIEW}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class EvidenceKind(models.TextChoices):
    REGULATION = "regulasi", _("Regulation / decree (regulasi/SK)")
    DECREE = "sk", _("Decree (SK)")
    SOP = "sop", _("SOP / guideline")
    PLANNING = "dokumen_perencanaan", _("Planning document")
    REPORT = "laporan", _("Report")
    MINUTES = "notulen", _("Minutes / official record")
    SCREENSHOT = "screenshot", _("Screenshot")
    APP_LINK = "tautan_aplikasi", _("Application link")
    DEMO_VIDEO = "video_demo", _("Demo video")
    CERTIFICATE = "sertifikat", _("Certificate")
    OTHER = "lainnya", _("Other")


class EvidenceReview(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ACCEPTED = "diterima", _("Accepted")
    REVISE = "revisi", _("Needs revision")
    REJECTED = "ditolak", _("Rejected")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
