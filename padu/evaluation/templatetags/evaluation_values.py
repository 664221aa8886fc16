"""Indicator values on pages: decimals in the active language ("1,26"), whole levels as
before, external-index indicators at the value they count at."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from padu.evaluation.index import item_value
from padu.evaluation.values import shown

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A decimal with two places in the active language; "—" when empty."""
    if value is None or value == "":
        return "—"
    return shown(Decimal(value))


@register.filter
def counts_in(a: Any, attribute: str) -> str:
    """What an assessment counts at in one series ("claimed_level", "validated_level",
    "external_level"): "1,26" on a decimal instrument, "3" on a level one, "—" unfilled;
    an external-index indicator without its result shows its default, marked."""
    value = item_value(a, attribute)
    decimal = a.period.instrument.is_decimal
    if value is None:
        default = a.indicator.external_default
        if default is not None:
            return _("%(value)s (default)") % {"value": shown(default)}
        return "—"
    return shown(value) if decimal else str(value)
