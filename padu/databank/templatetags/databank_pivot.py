"""The pivot table body, rendered in one pass.

A kota pivot holds 78,000 figures; through the template engine (a loop, an `if` and
`floatformat` per cell) its page took about 3 s. `pivot_rows` writes the same rows with the
same figures as `{{ v|floatformat:"-2g" }}` (see tests/test_analysis_pivot_html.py), so the
template keeps only the table's frame.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..selectors_analysis import Pivot

register = template.Library()

EMPTY = "—"
_CENT = Decimal("0.01")


def figure_formatter() -> Callable[[Any], str]:
    """`floatformat:"-2g"` in the active language: whole numbers without decimals, others
    rounded half up to two places, thousands grouped; an empty cell is a dash."""
    decimal_sep = str(get_format("DECIMAL_SEPARATOR"))
    thousand_sep = str(get_format("THOUSAND_SEPARATOR"))

    def slow(value: Any) -> str:
        return EMPTY if value is None else str(floatformat(value, "-2g"))

    if get_format("NUMBER_GROUPING") != 3 or "\0" in decimal_sep + thousand_sep:
        return slow  # groups of another size: Django's own filter
    # The text depends on the number only, and figures repeat (counts, zeros, 100 %): each
    # distinct one is formatted once per table, found by its plain text (cheaper to hash
    # than a Decimal).
    known: dict[str, str] = {}

    def fast(value: Any) -> str:
        if value is None:
            return EMPTY
        key = str(value)
        text = known.get(key)
        if text is not None:
            return text
        if type(value) is not Decimal or not value.is_finite():
            text = slow(value)
        elif (whole := int(value)) == value:
            text = f"{whole:,}".replace(",", thousand_sep)
        else:
            rounded = value.quantize(_CENT, ROUND_HALF_UP)
            if not rounded:  # -0.001 shows as 0.00, as floatformat does
                rounded = rounded.copy_abs()
            text = f"{rounded:,.2f}".replace(",", "\0").replace(".", decimal_sep)
            text = text.replace("\0", thousand_sep)
        known[key] = text
        return text

    return fast


PARTIAL_MARK = "*"


def _partial_cells(texts: list[str], short: list[tuple[int, int] | None]) -> str:
    """The cells of a row where some figures stand for fewer leaf values than expected:
    those carry the counts in a title and a marker (see the legend under the table)."""
    out = []
    for text, gap in zip(texts, short, strict=True):
        if gap is None:
            out.append(f"<td>{text}</td>")
            continue
        title = _("Partial: built from %(reported)s of %(expected)s expected values") % {
            "reported": gap[0],
            "expected": gap[1],
        }
        out.append(
            f'<td class="partial" title="{escape(title)}">{text}'
            f'<span class="partial-mark" aria-hidden="true">{PARTIAL_MARK}</span></td>'
        )
    return "".join(out)


@register.simple_tag
def pivot_rows(table: Pivot) -> SafeString:
    """The <tr> of every row: labels as row headers, then one cell per column; a figure above
    the collection level that stands for fewer leaf values than expected is marked."""
    figure = figure_formatter()
    labels: dict[str, str] = {}
    lines = []
    for row in table.rows:
        heads = []
        for label in row.labels:
            escaped = labels.get(label)
            if escaped is None:
                escaped = labels[label] = f'<th scope="row">{escape(label)}</th>'
            heads.append(escaped)
        if row.short and any(row.short):
            cells = _partial_cells(list(map(figure, row.cells)), row.short)
        else:
            cells = f"<td>{'</td><td>'.join(map(figure, row.cells))}</td>" if row.cells else ""
        lines.append(f"<tr>{''.join(heads)}{cells}</tr>")
    return mark_safe("\n".join(lines))  # labels are escaped above; figures are numbers
