"""Read a typed number the way people in Indonesia write it: `1.000` (a thousand), `1.234,5`.

One reader for the entry form and the bulk import. Rules:
- both `.` and `,` present: the last one is the decimal separator, the other one groups
  thousands (1.234,5 and 1,234.5 are 1234.5);
- one separator written several times: thousands groups (1.000.000);
- one separator written once: in a whole-number cell, followed by exactly three digits it groups
  thousands (1.000 and 1,000 are 1000); anywhere else it is the decimal separator (95,5).
Thousands groups must be proper (1-3 digits, then groups of exactly three); anything else is
refused with a reason naming the value, never guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"[+-]?\d+(?:[eE][+-]?\d+)?")
_SCIENTIFIC = re.compile(r"[+-]?\d*\.\d+[eE][+-]?\d+")  # machine output (JSON, DVS)
_SHAPE = re.compile(r"([+-]?)([\d.,]+)")
_MACHINE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _grouped(digits: str, sep: str) -> bool:
    """Whether `digits` is 1-3 digits (not starting with 0) followed by groups of three."""
    return re.fullmatch(r"[1-9]\d{0,2}(?:" + re.escape(sep) + r"\d{3})+", digits) is not None


def parse_number(raw: str, *, whole: bool = False, machine: bool = False) -> Decimal:
    """The number written in `raw`; `whole` for whole-number cells; `machine` for a number a
    program wrote (an Excel number cell, the DHIS2 formats): a dot is its decimal separator
    and nothing groups thousands, so 1.125 is one and an eighth there, never 1125.
    ValueError with the reason."""
    shown = raw.strip()[:40]
    text = _SPACES.sub("", raw)
    if _PLAIN.fullmatch(text) or _SCIENTIFIC.fullmatch(text):
        return _finite(text, shown, whole)
    if machine:
        if _MACHINE.fullmatch(text) is None:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": shown})
        return _finite(text, shown, whole)
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown})
    sign, body = match.groups()
    last = max(body.rfind("."), body.rfind(","))
    mark = body[last]
    other = "," if mark == "." else "."
    if other in body:  # both: the last is the decimal separator, the other groups thousands
        head, tail = body[:last], body[last + 1 :]
        if not (_grouped(head, other) and tail.isdigit()):
            raise ValueError(_malformed(shown))
        return _finite(f"{sign}{head.replace(other, '')}.{tail}", shown, whole)
    if body.count(mark) > 1:  # one separator several times: thousands groups
        if not _grouped(body, mark):
            raise ValueError(_malformed(shown))
        return _finite(sign + body.replace(mark, ""), shown, whole)
    if whole and _grouped(body, mark):  # 1.000 or 1,000 in a whole-number cell
        return _finite(sign + body.replace(mark, ""), shown, whole)
    head, tail = body.split(mark)
    if not (head or tail):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown})
    return _finite(f"{sign}{head or '0'}.{tail or '0'}", shown, whole)


def _finite(text: str, shown: str, whole: bool) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown})
    if whole and value != value.to_integral_value():
        raise ValueError(
            _(
                "“%(value)s” is not a whole number. Write thousands as 1.000 or 1,000, "
                "without a decimal part."
            )
            % {"value": shown}
        )
    return value


def _malformed(shown: str) -> str:
    return _(
        "“%(value)s” is not a number: write thousands in groups of three digits (1.000.000) "
        "and at most one decimal separator (1.234,5)."
    ) % {"value": shown}
