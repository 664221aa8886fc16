"""Bridge between the ORM and the pure index engine (scoring.py): shapes and series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Assessment, Period


@dataclass
class Series:
    key: str
    label: Any
    index_display: str = "—"
    predicate: str = "—"
    filled: int = 0
    total: int = 0


@dataclass
class PeriodScores:
    series: list[Series] = field(default_factory=list)
    groups: list[Any] = field(default_factory=list)
    has_domains: bool = True


def scores_for_period(period: Period, assessments: list[Assessment]) -> PeriodScores:
    """Filled in once the index engine lands."""
    return PeriodScores()
