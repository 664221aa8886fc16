"""Template helpers: query strings for filters, sorting and pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (or removed when empty)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return str(params.urlencode())


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], field: str) -> str:
    """Query string that sorts by `field`, flipping direction when it is already sorted so."""
    current = context["request"].GET.get("sort", "")
    value = f"-{field}" if current == field else field
    return query_replace(context, sort=value, page="")
