"""Reads for evaluation pages, scoped and prefetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from padu.audit.models import AuditAction, AuditEvent

from .choices import AssessmentStatus
from .models import Assessment, Criterion, EvidenceLink, Level


@dataclass
class LevelView:
    level: int
    name: str
    description: str
    criteria: list[Criterion]
    evidence: list[EvidenceLink] = field(default_factory=list)
    name_alt: str = ""  # the other name in use (Pemdi: Rintisan beside Merintis)


def levels_for_assessment(assessment: Assessment) -> list[LevelView]:
    """The indicator's levels with their criteria and the evidence attached to each level."""
    levels = (
        Level.objects.filter(indicator=assessment.indicator)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .order_by("level")
    )
    links = (
        EvidenceLink.objects.filter(assessment=assessment)
        .select_related("evidence", "criterion")
        .order_by("level", "added_at")
    )
    by_level: dict[int, list[EvidenceLink]] = {}
    for link in links:
        by_level.setdefault(link.level, []).append(link)
    return [
        LevelView(
            lv.level,
            lv.name,
            lv.description,
            list(lv.criteria.all()),
            by_level.get(lv.level, []),
            lv.name_alt,
        )
        for lv in levels
    ]


# Kept by the system on every save or implied by the transition the entry already names.
BOOKKEEPING_FIELDS = frozenset({"revision", "updated_at", "submitted_at", "reviewed_at"})

TRANSITION_LABELS: dict[str, Any] = {
    AssessmentStatus.SUBMITTED: AssessmentStatus.SUBMITTED.label,
    AssessmentStatus.IN_REVIEW: gettext_lazy("Review started"),
    AssessmentStatus.RETURNED: AssessmentStatus.RETURNED.label,
    AssessmentStatus.ACCEPTED: AssessmentStatus.ACCEPTED.label,
    AssessmentStatus.DRAFT: gettext_lazy("Reopened"),
}


@dataclass
class HistoryEntry:
    """One audit row of an assessment as the indicator page shows it."""

    event: AuditEvent
    label: str
    fields: list[str]

    @property
    def created_at(self) -> Any:
        return self.event.created_at

    @property
    def actor_repr(self) -> str:
        return self.event.actor_repr

    @property
    def reason(self) -> str:
        return self.event.reason

    @property
    def before(self) -> Any:
        return self.event.before

    @property
    def after(self) -> Any:
        return self.event.after


def field_label(name: str) -> str:
    """The assessment field's verbose name in the reader's language, or the name itself."""
    try:
        field = Assessment._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(capfirst(getattr(field, "verbose_name", name)))


def history_entry(event: AuditEvent) -> HistoryEntry:
    """Name a status change by its transition and list the changed fields by their labels."""
    before, after = event.before or {}, event.after or {}
    status = str(after.get("status") or "")
    transition = (
        event.action == AuditAction.UPDATE
        and status in TRANSITION_LABELS
        and before.get("status") != status
    )
    label = str(TRANSITION_LABELS[status]) if transition else str(event.get_action_display())
    skip = BOOKKEEPING_FIELDS | ({"status"} if transition else set())
    fields = [field_label(name) for name, _b, _a in event.changed_fields if name not in skip]
    if event.action != AuditAction.UPDATE:
        fields = []  # a creation or deletion lists every field; the action says it all
    return HistoryEntry(event, label, fields)


def assessment_history(assessment: Assessment, limit: int = 50) -> list[HistoryEntry]:
    """Audit rows about this assessment, newest first, labelled for the indicator page."""
    events = AuditEvent.objects.filter(
        object_type="evaluation.assessment", object_id=str(assessment.pk)
    ).order_by("-created_at", "-id")[:limit]
    return [history_entry(event) for event in events]


def criteria_choices(levels: list[LevelView]) -> list[tuple[int, str]]:
    return [(c.pk, c.text) for lv in levels for c in lv.criteria]


def level_series(assessments: list[Assessment]) -> dict[str, dict[tuple[int, int], Any]]:
    """Per scoring item (indicator number, slot): the claimed, validated and external levels."""
    series: dict[str, dict[tuple[int, int], Any]] = {"self": {}, "validated": {}, "external": {}}
    for a in assessments:
        key = (a.indicator.number, a.slot)
        series["self"][key] = a.claimed_level
        series["validated"][key] = a.validated_level
        series["external"][key] = a.external_level
    return series


@dataclass
class UnitProgress:
    unit: str
    unit_id: int | None
    assigned: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    overdue: int = 0


def progress_by_unit(assessments: list[Assessment], today: Any) -> list[UnitProgress]:
    """Per lead unit: assigned, submitted (or later), accepted, returned and overdue counts."""
    from .choices import AssessmentStatus as S

    rows: dict[int | None, UnitProgress] = {}
    for a in assessments:
        key = a.lead_unit_id
        if key not in rows:
            rows[key] = UnitProgress(str(a.lead_unit) if a.lead_unit else "—", key)
        row = rows[key]
        row.assigned += 1
        if a.status in (S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED):
            row.submitted += 1
        if a.status == S.ACCEPTED:
            row.accepted += 1
        if a.status == S.RETURNED:
            row.returned += 1
        if a.due_on and a.due_on < today and a.status in (S.DRAFT, S.RETURNED):
            row.overdue += 1
    return sorted(rows.values(), key=lambda r: (r.unit_id is None, r.unit))
