"""The entry lock: open or closed, and always why."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from padu.databank import locks

D = datetime.date


def state(today: D, status: str = "open", **kw: object) -> locks.LockState:
    args: dict[str, object] = {
        "period_code": "202601",
        "open_after_days": 0,
        "close_after_days": 15,
        "today": today,
        "submission_status": status,
    }
    args.update(kw)
    with translation.override("id"):
        return locks.lock_state(**args)  # type: ignore[arg-type]


def test_window_of_a_month_closes_after_the_given_days() -> None:
    window = locks.entry_window("202601", 0, 15)
    assert window == locks.Window(D(2026, 1, 1), D(2026, 2, 15))


def test_window_of_a_quarter_opens_after_the_given_days() -> None:
    window = locks.entry_window("2026Q2", 10, 0)
    assert window == locks.Window(D(2026, 4, 11), None)


def test_bad_period_code_is_an_error() -> None:
    with pytest.raises(ValueError):
        locks.entry_window("202613", 0, 0)


def test_open_during_the_window_says_until_when() -> None:
    s = state(D(2026, 1, 20))
    assert s.is_open and s.code == locks.OPEN
    assert "15 Februari 2026" in s.reason


def test_last_day_is_still_open() -> None:
    assert state(D(2026, 2, 15)).is_open


def test_expired_says_since_when() -> None:
    s = state(D(2026, 2, 16))
    assert s.is_locked and s.code == locks.EXPIRED
    assert "16 Februari 2026" in s.reason


def test_not_yet_open_says_when_it_opens() -> None:
    s = state(D(2026, 1, 3), open_after_days=5)
    assert s.is_locked and s.code == locks.NOT_YET_OPEN
    assert "6 Januari 2026" in s.reason


def test_zero_close_days_never_closes() -> None:
    s = state(D(2030, 1, 1), close_after_days=0)
    assert s.is_open and s.code == locks.OPEN


def test_accepted_is_locked_even_inside_the_window_and_with_an_exception() -> None:
    s = state(D(2026, 1, 20), "accepted", exception_until=D(2026, 3, 1), reviewed_on=D(2026, 1, 19))
    assert s.is_locked and s.code == locks.ACCEPTED
    assert "19 Januari 2026" in s.reason


def test_accepted_without_date_still_says_why() -> None:
    s = state(D(2026, 1, 20), "accepted")
    assert s.is_locked and s.reason


def test_submitted_is_locked_waiting_for_review() -> None:
    s = state(D(2026, 1, 20), "submitted")
    assert s.is_locked and s.code == locks.SUBMITTED and s.reason


def test_returned_is_open_even_after_the_window() -> None:
    s = state(D(2026, 5, 1), "returned")
    assert s.is_open and s.code == locks.RETURNED


def test_active_exception_reopens_an_expired_period() -> None:
    s = state(D(2026, 3, 1), exception_until=D(2026, 3, 5))
    assert s.is_open and s.code == locks.EXCEPTION
    assert "5 Maret 2026" in s.reason


def test_ended_exception_leaves_the_period_expired() -> None:
    s = state(D(2026, 3, 6), exception_until=D(2026, 3, 5))
    assert s.is_locked and s.code == locks.EXPIRED


def test_exception_opens_a_period_not_yet_open() -> None:
    s = state(D(2026, 1, 2), open_after_days=5, exception_until=D(2026, 1, 3))
    assert s.is_open and s.code == locks.EXCEPTION


@pytest.mark.parametrize(
    "status,today",
    [
        ("open", D(2026, 1, 20)),
        ("open", D(2026, 2, 16)),
        ("open", D(2025, 12, 1)),
        ("submitted", D(2026, 1, 20)),
        ("accepted", D(2026, 1, 20)),
        ("returned", D(2026, 1, 20)),
    ],
)
def test_a_lock_always_says_why(status: str, today: D) -> None:
    s = state(today, status)
    assert s.reason.strip()
