"""Which level the ticked criteria support (levels are cumulative)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence


def derived_level(
    criteria_by_level: Mapping[int, Sequence[int]],
    checked: Collection[int],
    *,
    min_level: int,
    max_level: int,
) -> int:
    """The highest level whose criteria, and those of every level below, are all ticked.

    The lowest level is the floor: it counts even when nothing is ticked. A level with
    no criteria cannot be shown by the checklist, so the climb stops there.
    """
    ticked = set(checked)
    reached = min_level
    for level in range(min_level, max_level + 1):
        criteria = criteria_by_level.get(level, ())
        if level == min_level:
            if criteria and not set(criteria) <= ticked:
                return min_level
            continue
        if not criteria or not set(criteria) <= ticked:
            break
        reached = level
    return reached
