"""Decimal indicator values (Pemdi, 1.00-5.00 with two places): reading what a user typed,
checking a value against the scale and against the level it is claimed in, showing it."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

HUNDREDTH = Decimal("0.01")
# One optional decimal separator, comma (Indonesian) or point: "1,26", "1.26", "2".
NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)?")
SIGNED_NUMBER_TEXT = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def read_decimal(text: str, *, signed: bool = False) -> Decimal | None:
    """A decimal typed with at most one comma or point ("1,26", "1.26"); None for anything
    else ("1,2,6", "abc", "1e3"). The one reader of typed figures in the evaluation."""
    text = text.strip()
    pattern = SIGNED_NUMBER_TEXT if signed else NUMBER_TEXT
    return Decimal(text.replace(",", ".")) if pattern.fullmatch(text) else None


def shown(value: Decimal | int) -> str:
    """A value as the active language writes it with two places ("1,26" in Indonesian)."""
    return formats.number_format(Decimal(value), 2)


def parse_value(text: str, *, label: str) -> Decimal | None:
    """What the user typed as a decimal ("1,26" or "1.26"); None when empty; a
    ValidationError naming the field for "1,2,6", "abc" and the like (range not checked)."""
    text = (text or "").strip()
    if not text:
        return None
    value = read_decimal(text)
    if value is None:
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a number; type it like 1,26.")
            % {"field": label, "value": text}
        )
    return value


def check_scale(
    value: Decimal, *, label: str, min_level: int, max_level: int, typed: str = ""
) -> Decimal:
    """`value` within the instrument's scale with at most two decimals, else ValidationError
    (quoting `typed`, what the user wrote, when given)."""
    text = typed or formats.number_format(value)
    if not min_level <= value <= max_level:
        raise ValidationError(
            _("%(field)s: %(value)s is outside %(min)s-%(max)s.")
            % {
                "field": label,
                "value": text,
                "min": shown(min_level),
                "max": shown(max_level),
            }
        )
    if value != value.quantize(HUNDREDTH):
        raise ValidationError(
            _("%(field)s: %(value)s has more than two decimals; round it to two, e.g. 1,26.")
            % {"field": label, "value": text}
        )
    return value.quantize(HUNDREDTH)


def read_value(text: str, *, label: str, min_level: int = 1, max_level: int = 5) -> Decimal | None:
    """Parse and check in one go: the value, None when empty, or ValidationError."""
    value = parse_value(text, label=label)
    if value is None:
        return None
    return check_scale(
        value, label=label, min_level=min_level, max_level=max_level, typed=text.strip()
    )


def level_of(value: Decimal) -> int:
    """The whole level a value lies in (1.26 -> 1, 5.00 -> 5)."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def check_reach(value: Decimal, level: int, *, label: str, max_level: int) -> None:
    """A claimed value lies within its level's reach: level <= value < level + 1 (top: = 5.00)."""
    if level <= value < level + 1 and value <= max_level:
        return
    top = shown(level) if level >= max_level else shown(Decimal(level) + 1 - HUNDREDTH)
    raise ValidationError(
        _(
            "%(field)s: %(value)s is not within level %(level)s; give a value from %(low)s to %(high)s."
        )
        % {
            "field": label,
            "value": shown(value),
            "level": level,
            "low": shown(level),
            "high": top,
        }
    )


def claimed_value_for(instrument: Any, level: int | None, value: Decimal | None) -> Decimal | None:
    """The claimed decimal value as stored: only on a decimal instrument, within the level."""
    if value is None:
        return None
    label = str(_("Claimed value"))
    if not instrument.is_decimal:
        raise ValidationError(
            {
                "claimed_value": _(
                    "%(field)s: this instrument scores whole levels; it takes no decimal value."
                )
                % {"field": label}
            }
        )
    if level is None:
        raise ValidationError(
            {
                "claimed_value": _(
                    "%(field)s: choose the claimed level first; the value lies within it."
                )
                % {"field": label}
            }
        )
    try:
        value = check_scale(
            value, label=label, min_level=instrument.min_level, max_level=instrument.max_level
        )
        check_reach(value, level, label=label, max_level=instrument.max_level)
    except ValidationError as exc:
        raise ValidationError({"claimed_value": exc.messages}) from exc
    return value


def validated_figure(
    instrument: Any, level: int | None, value: Decimal | None
) -> tuple[int, Decimal | None]:
    """The validated (level, value): a whole level on a level instrument; on a decimal one
    the value (a level alone stands for its whole value) and the level it lies in."""
    if not instrument.is_decimal:
        if value is not None:
            raise ValidationError(
                {
                    "validated_value": _(
                        "%(field)s: this instrument scores whole levels; it takes no decimal value."
                    )
                    % {"field": _("Validated value")}
                }
            )
        if level is None or not instrument.min_level <= level <= instrument.max_level:
            raise ValidationError(
                {
                    "validated_level": _("The level must be between %(min)s and %(max)s.")
                    % {"min": instrument.min_level, "max": instrument.max_level}
                }
            )
        return level, None
    if value is None:
        if level is None:
            raise ValidationError(
                {"validated_value": _("Validated value: enter the value, for example 1,26.")}
            )
        value = Decimal(level)
    try:
        value = check_scale(
            value,
            label=str(_("Validated value")),
            min_level=instrument.min_level,
            max_level=instrument.max_level,
        )
    except ValidationError as exc:
        raise ValidationError({"validated_value": exc.messages}) from exc
    return level_of(value), value


def figure_of(level: int | None, value: Decimal | None) -> Decimal | None:
    """What a series counts at: its decimal value, else its whole level."""
    if value is not None:
        return value
    return Decimal(level) if level is not None else None


def display(instrument: Any, figure: Decimal) -> str:
    """A figure as the instrument shows it: "1,26" on a decimal one, "3" on a level one."""
    return shown(figure) if instrument.is_decimal else str(int(figure))
