"""Reads for evaluation pages, scoped and prefetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from padu.audit.models import AuditEvent

from .models import Assessment, Criterion, EvidenceLink, Level


@dataclass
class LevelView:
    level: int
    name: str
    description: str
    criteria: list[Criterion]
    evidence: list[EvidenceLink] = field(default_factory=list)


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
            lv.level, lv.name, lv.description, list(lv.criteria.all()), by_level.get(lv.level, [])
        )
        for lv in levels
    ]


def assessment_history(assessment: Assessment, limit: int = 50) -> list[AuditEvent]:
    """Audit rows about this assessment, newest first."""
    return list(
        AuditEvent.objects.filter(
            object_type="evaluation.assessment", object_id=str(assessment.pk)
        ).order_by("-created_at", "-id")[:limit]
    )


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
