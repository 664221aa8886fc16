"""Template helpers: query strings for filters, sorting and pages; the filter selects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext as _

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


@register.inclusion_tag("includes/filter_select.html")
def filter_select(
    name: str,
    label: str,
    choices: Iterable[Any],
    selected: Any,
    all_label: str = "",
    none_label: str = "",
    field_id: str = "",
) -> dict[str, Any]:
    """One <select> of a list page's filter form (read from the query string): an empty
    "all" option first, then, with `none_label`, an option "none" (e.g. no producer yet),
    then the choices. A choice is a (value, label) pair, a model instance (its pk and its
    name, or its text) or a plain value that is its own label; the one equal to `selected` as text (a
    query string holds text) is selected."""
    chosen = "" if selected is None else str(selected)
    options = []
    for choice in choices:
        if isinstance(choice, (tuple, list)):
            value, text = choice
        elif hasattr(choice, "pk"):
            value, text = choice.pk, getattr(choice, "name", None) or choice
        else:
            value = text = choice
        options.append((value, text, chosen != "" and str(value) == chosen))
    return {
        "id": field_id or name,
        "name": name,
        "label": label,
        "all_label": all_label or _("All"),
        "none_label": none_label,
        "none_selected": chosen == "none",
        "options": options,
    }
