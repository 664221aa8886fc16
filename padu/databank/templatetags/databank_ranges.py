"""`{{ element|value_range }}`: the allowed range in the active language, without trailing zeros."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from ..ranges import plain, range_text

register = template.Library()


def localized(number: Decimal) -> str:
    """0.500000 -> "0,5" in Indonesian, "0.5" in English; no trailing zeros."""
    text = plain(number)
    places = len(text.split(".")[1]) if "." in text else 0
    return str(number_format(Decimal(text), decimal_pos=places))


@register.filter
def value_range(element: Any) -> str:
    return range_text(element.min_value, element.max_value, localized) or "—"
