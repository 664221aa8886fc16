"""The review workflow as one table, and which stage a period is in on a given day."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .choices import AssessmentStatus as S
from .choices import Stage

# (from, to) -> the service that performs it.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "submit_assessment",
    (S.RETURNED, S.SUBMITTED): "submit_assessment",
    (S.SUBMITTED, S.IN_REVIEW): "start_review",
    (S.SUBMITTED, S.RETURNED): "return_assessment",
    (S.IN_REVIEW, S.RETURNED): "return_assessment",
    (S.SUBMITTED, S.ACCEPTED): "accept_assessment",
    (S.IN_REVIEW, S.ACCEPTED): "accept_assessment",
    (S.SUBMITTED, S.DRAFT): "reopen_assessment",
    (S.IN_REVIEW, S.DRAFT): "reopen_assessment",
    (S.RETURNED, S.DRAFT): "reopen_assessment",
    (S.ACCEPTED, S.DRAFT): "reopen_assessment",
}

EDITABLE_STATUSES = {S.DRAFT, S.RETURNED}


def can_transition(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def stages_on(
    windows: Iterable[tuple[str, datetime.date, datetime.date]], day: datetime.date
) -> set[str]:
    """The stages whose window (inclusive dates) contains `day`."""
    return {stage for stage, start, end in windows if start <= day <= end}


def allowed_stage_names() -> list[str]:
    return list(Stage.values)
