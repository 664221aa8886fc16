"""Cells that spreadsheets will not run as formulas (CSV/Excel injection), for every export.

Text beginning with = + - @ (or tab, carriage return) gets a leading apostrophe, which Excel
and LibreOffice show as plain text; plain numbers such as -5 or +62 are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """The value, with formula-like text made inert; non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_cell(value: Any) -> str:
    """A CSV cell: text, empty for None, formula-like text made inert."""
    return "" if value is None else str(neutralise(str(value)))
