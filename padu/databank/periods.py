"""Period codes of the data bank, DHIS2 style: 2025, 2025S1, 2025Q3, 202507.

Pure: parse a code, tell its type, its first and last day, the periods it rolls up into,
the months it covers, and list the periods of a type between two dates.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHLY, QUARTERLY, SIXMONTHLY, YEARLY = "monthly", "quarterly", "sixmonthly", "yearly"
_PATTERNS = (
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), MONTHLY),
    (re.compile(r"^(\d{4})Q([1-4])$"), QUARTERLY),
    (re.compile(r"^(\d{4})S([12])$"), SIXMONTHLY),
    (re.compile(r"^(\d{4})$"), YEARLY),
)
_MONTHS_PER = {MONTHLY: 1, QUARTERLY: 3, SIXMONTHLY: 6, YEARLY: 12}
_ORDER = (MONTHLY, QUARTERLY, SIXMONTHLY, YEARLY)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_month: int
    type: str

    @property
    def months(self) -> int:
        return _MONTHS_PER[self.type]

    @property
    def code(self) -> str:
        if self.type == YEARLY:
            return f"{self.year}"
        if self.type == MONTHLY:
            return f"{self.year}{self.first_month:02d}"
        n = (self.first_month - 1) // self.months + 1
        return f"{self.year}{'Q' if self.type == QUARTERLY else 'S'}{n}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        last = self.first_month + self.months - 1
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def month_codes(self) -> list[str]:
        return [
            f"{self.year}{m:02d}" for m in range(self.first_month, self.first_month + self.months)
        ]

    def parents(self) -> list[Period]:
        """The longer periods this one rolls up into (a month: its quarter, semester, year)."""
        out = []
        for kind in _ORDER[_ORDER.index(self.type) + 1 :]:
            size = _MONTHS_PER[kind]
            first = (self.first_month - 1) // size * size + 1
            out.append(Period(self.year, first, kind))
        return out

    def next(self) -> Period:
        month = self.first_month + self.months
        year = self.year + (month - 1) // 12
        return Period(year, (month - 1) % 12 + 1, self.type)

    def previous(self) -> Period:
        month = self.first_month - self.months
        year = self.year + (month - 1) // 12
        return Period(year, (month - 1) % 12 + 1, self.type)

    def __str__(self) -> str:
        return self.code


@lru_cache(maxsize=4096)
def parse(code: str) -> Period:
    """The period of a code; ValueError for anything else (e.g. 202513, 2025Q5). Cached:
    rollups parse the same few codes many times."""
    text = str(code).strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            if not 1900 <= year <= 2100:
                break
            if kind == YEARLY:
                return Period(year, 1, YEARLY)
            n = int(match.group(2))
            return Period(year, (n - 1) * _MONTHS_PER[kind] + 1, kind)
    raise ValueError(f"not a period code: {code!r}")


def is_valid(code: str) -> bool:
    try:
        parse(code)
    except ValueError:
        return False
    return True


def containing(day: datetime.date, kind: str) -> Period:
    size = _MONTHS_PER[kind]
    return Period(day.year, (day.month - 1) // size * size + 1, kind)


def between(start: datetime.date, end: datetime.date, kind: str) -> list[Period]:
    """Every period of `kind` that overlaps [start, end], oldest first."""
    out, current = [], containing(start, kind)
    while current.start <= end:
        out.append(current)
        current = current.next()
    return out
