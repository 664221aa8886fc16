"""Whether a dataset's form for one period is open for entry, and if not, why.

Pure: takes the dataset's entry window, the period code, today's date in the agency's time
zone, the submission's status and the end of any active lock exception; returns a `LockState`
whose `reason` always says, in plain words, why entry is closed.

Order of the rules (first match wins):
1. accepted by the walidata: closed, whatever the calendar or an exception says;
2. submitted and waiting for review: closed for the operator;
3. returned for correction: open (the walidata asked for a fix, even after the window);
4. an active lock exception: open until its end;
5. before the window opens: closed until the opening day;
6. after the window closes (close_after_days > 0): closed since the closing day;
7. otherwise open (until the last day, or for good when close_after_days is 0).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import periods

OPEN = "open"
RETURNED = "returned"
EXCEPTION = "exception"
NOT_YET_OPEN = "not_yet_open"
EXPIRED = "expired"
ACCEPTED = "accepted"
SUBMITTED = "submitted"
MAX_DAYS = 3660  # about ten years: the most a dataset's entry window may shift (see the form)


@dataclass(frozen=True)
class Window:
    opens_on: datetime.date
    last_day: datetime.date | None  # None: never closes


@dataclass(frozen=True)
class LockState:
    is_open: bool
    code: str
    reason: str  # why closed, or a short note on how long it stays open

    @property
    def is_locked(self) -> bool:
        return not self.is_open


def days_after(day: datetime.date, days: int) -> datetime.date:
    """`days` after `day`, counting at most MAX_DAYS; the last date rather than an overflow."""
    try:
        return day + datetime.timedelta(days=min(days, MAX_DAYS))
    except OverflowError:
        return datetime.date.max


def entry_window(period_code: str, open_after_days: int, close_after_days: int) -> Window:
    """The first and last day of entry for a period; ValueError for a bad code.

    Day counts above MAX_DAYS (stored before the form checked them) count as MAX_DAYS.
    """
    period = periods.parse(period_code)
    opens_on = days_after(period.start, open_after_days)
    if close_after_days == 0:
        return Window(opens_on, None)
    return Window(opens_on, days_after(period.end, close_after_days))


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def lock_state(
    *,
    period_code: str,
    open_after_days: int,
    close_after_days: int,
    today: datetime.date,
    submission_status: str = "open",
    exception_until: datetime.date | None = None,
    reviewed_on: datetime.date | None = None,
) -> LockState:
    """Open or closed for entry on `today`, with the reason (see the module docstring)."""
    if submission_status == ACCEPTED:
        if reviewed_on:
            text = _("Accepted by the walidata on %(date)s; the values are locked.") % {
                "date": _day(reviewed_on)
            }
        else:
            text = _("Accepted by the walidata; the values are locked.")
        return LockState(False, ACCEPTED, text)
    if submission_status == SUBMITTED:
        return LockState(False, SUBMITTED, _("Submitted and waiting for review by the walidata."))
    if submission_status == RETURNED:
        return LockState(True, RETURNED, _("Returned by the walidata for correction."))
    if exception_until is not None and exception_until >= today:
        text = _("Reopened by the walidata until %(date)s.") % {"date": _day(exception_until)}
        return LockState(True, EXCEPTION, text)
    window = entry_window(period_code, open_after_days, close_after_days)
    if today < window.opens_on:
        text = _("Not open yet: entry opens on %(date)s.") % {"date": _day(window.opens_on)}
        return LockState(False, NOT_YET_OPEN, text)
    if window.last_day is not None and today > window.last_day:
        closed_on = days_after(window.last_day, 1)
        text = _("Closed since %(date)s: the entry period has expired.") % {"date": _day(closed_on)}
        return LockState(False, EXPIRED, text)
    if window.last_day is None:
        return LockState(True, OPEN, _("Open for entry."))
    text = _("Open for entry until %(date)s.") % {"date": _day(window.last_day)}
    return LockState(True, OPEN, text)
