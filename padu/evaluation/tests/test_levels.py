from __future__ import annotations

from padu.evaluation.levels import derived_level

CRITERIA = {1: [1, 2], 2: [3], 3: [4, 5], 4: [6], 5: [7]}


def derive(checked: set[int], criteria: dict[int, list[int]] = CRITERIA) -> int:
    return derived_level(criteria, checked, min_level=1, max_level=5)


def test_nothing_ticked_stays_at_the_floor() -> None:
    assert derive(set()) == 1


def test_all_ticked_reaches_the_top() -> None:
    assert derive({1, 2, 3, 4, 5, 6, 7}) == 5


def test_a_level_counts_only_when_all_lower_levels_are_met() -> None:
    # Level 3 and 4 criteria ticked but level 2's criterion missing: still level 1.
    assert derive({1, 2, 4, 5, 6}) == 1


def test_partial_criteria_of_a_level_do_not_count() -> None:
    assert derive({1, 2, 3, 4}) == 2


def test_incomplete_floor_blocks_higher_levels() -> None:
    assert derive({1, 3, 4, 5}) == 1


def test_a_level_without_criteria_stops_the_climb() -> None:
    assert derive({1, 2, 3, 4, 5, 6, 7}, {1: [1, 2], 2: [3], 3: [], 4: [6], 5: [7]}) == 2


def test_instrument_without_any_criteria_gives_the_floor() -> None:
    assert derive({1, 2}, {}) == 1
