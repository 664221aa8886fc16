"""An element's allowed range as people write it: "0 – 100", "≥ 0", "≤ 100"."""  # noqa: RUF002

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

EN_DASH = "\u2013"  # written as an escape: in the source it looks like a hyphen


def plain(number: Decimal) -> str:
    """The number without trailing zeros or exponent: 0.000000 -> 0, 12.50 -> 12.5, 1E+2 -> 100."""
    normal = number.normalize()
    return f"{normal:f}"


def range_text(
    low: Decimal | None, high: Decimal | None, fmt: Callable[[Decimal], str] = plain
) -> str:
    """The range with either end open; empty when neither end is set."""
    if low is not None and high is not None:
        return f"{fmt(low)} {EN_DASH} {fmt(high)}"
    if low is not None:
        return f"≥ {fmt(low)}"
    if high is not None:
        return f"≤ {fmt(high)}"
    return ""
