"""Check raw rows against the dataset's metadata: codes, period, lock, permission, type, range.

Pure: the caller builds a `Catalog` (plain values from the database) and gets back the typed
rows and one `Problem` per bad row. A value outside the element's min/max is accepted only
with a comment (a warning); without one it is an error. Nothing is ever silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import periods
from ..numbers import parse_number
from ..ranges import range_text
from . import Problem, RawRow

INTEGER, DECIMAL, PERCENTAGE, BOOLEAN, OPTION, TEXT = (
    "integer",
    "decimal",
    "percentage",
    "boolean",
    "option",
    "text",
)
NUMBERS = {INTEGER, DECIMAL, PERCENTAGE}
YES = {"ya", "y", "yes", "true", "1", "benar", "iya"}
NO = {"tidak", "t", "no", "n", "false", "0", "salah"}
_LIMIT = Decimal("1e14")
_PLACES = Decimal("0.000001")

# element id, option combo id, region code, period code, value, text, comment (None: keep)
Typed = tuple[int, int, str, str, Decimal | None, str, str | None]


@dataclass(frozen=True)
class ElementSpec:
    id: int
    code: str
    value_type: str
    cells: dict[str, int]  # disaggregation cell code -> option combo id
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    options: dict[str, str] = field(default_factory=dict)  # lower-cased code -> code

    @property
    def only_cell(self) -> int | None:
        return next(iter(self.cells.values())) if len(self.cells) == 1 else None


@dataclass
class Catalog:
    dataset_code: str
    period_type: str
    elements: dict[str, ElementSpec]
    regions: set[str]  # the dataset's reporting regions
    allowed: set[str]  # those this user may enter for
    locked: Callable[[str, str], str] = lambda region, period: ""  # why closed, or ""


@dataclass
class Checked:
    rows: list[Typed]
    lines: list[int]
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_value(
    spec: ElementSpec, raw: str, text_cell: bool, machine: bool = False
) -> tuple[Decimal | None, str]:
    """The stored (value, text) of a raw value; ValueError with an Indonesian reason."""
    kind = spec.value_type
    if kind in NUMBERS:
        if text_cell:
            raise ValueError(_("The cell holds text, not a number: “%(value)s”.") % {"value": raw})
        value = parse_number(raw, whole=kind == INTEGER, machine=machine)  # names the value
        if abs(value) >= _LIMIT:
            raise ValueError(_("The number %(value)s is too large.") % {"value": raw[:40]})
        if kind == PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
            raise ValueError(
                _("A percentage must be between 0 and 100, not %(value)s.") % {"value": raw[:40]}
            )
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            value = value.quantize(_PLACES)
        return value, ""
    if kind == BOOLEAN:
        low = raw.lower()
        if low in YES:
            return Decimal(1), ""
        if low in NO:
            return Decimal(0), ""
        raise ValueError(_("“%(value)s” is not yes/no (ya/tidak).") % {"value": raw[:40]})
    if kind == OPTION:
        code = spec.options.get(raw.lower())
        if code is None:
            raise ValueError(
                _("“%(value)s” is not in the option list (%(options)s).")
                % {"value": raw[:40], "options": ", ".join(sorted(spec.options.values()))[:200]}
            )
        return None, code
    if len(raw) > 1000:
        raise ValueError(_("The text is longer than 1000 characters."))
    return None, raw


def validate(rows: Iterable[RawRow], catalog: Catalog) -> Checked:
    """Typed rows in file order, or the problems; duplicates of a key are errors."""
    out = Checked([], [], [], [])
    err, warn = out.errors.append, out.warnings.append
    seen: dict[tuple[int, int, str, str], int] = {}
    period_ok: dict[str, str] = {}  # code -> "" or the reason
    lock_ok: dict[tuple[str, str], str] = {}
    typed: dict[tuple[str, int, str, bool], tuple[Decimal | None, str] | str] = {}
    elements, regions, allowed = catalog.elements, catalog.regions, catalog.allowed
    for raw in rows:
        line = raw.line
        spec = elements.get(raw.element)
        if spec is None:
            err(Problem(line, "kode_elemen", "unknown_element", _unknown_element(raw, catalog)))
            continue
        if raw.cell:
            combo = spec.cells.get(raw.cell)
            if combo is None:
                err(Problem(line, "kode_rincian", "unknown_cell", _unknown_cell(raw, spec)))
                continue
        else:
            combo = spec.only_cell
            if combo is None:
                err(Problem(line, "kode_rincian", "unknown_cell", _unknown_cell(raw, spec)))
                continue
        region = raw.region
        if region not in allowed:
            if region in regions:
                reason = _("You may not enter data for region %(region)s.") % {"region": region}
                err(Problem(line, "kode_wilayah", "not_allowed", reason))
            else:
                reason = _("Unknown region code “%(region)s” for this dataset.") % {
                    "region": region[:40]
                }
                err(Problem(line, "kode_wilayah", "unknown_region", reason))
            continue
        period = raw.period
        why = period_ok.get(period)
        if why is None:
            why = period_ok[period] = _period_reason(period, catalog.period_type)
        if why:
            err(Problem(line, "periode", "bad_period", why))
            continue
        lk = (region, period)
        locked = lock_ok.get(lk)
        if locked is None:
            locked = lock_ok[lk] = catalog.locked(region, period)
        if locked:
            reason = _("Period %(period)s is closed for %(region)s: %(why)s") % {
                "period": period,
                "region": region,
                "why": locked,
            }
            err(Problem(line, "periode", "locked", reason))
            continue
        key = (spec.id, combo, region, period)
        first = seen.get(key)
        if first is not None:
            reason = _("The same value (region, element, cell, period) is already in row %(line)s.")
            err(Problem(line, "", "duplicate", reason % {"line": first}))
            continue
        seen[key] = line
        if raw.value == "":
            value, text = None, ""
        else:
            # files repeat the same small counts many times: parse each spelling once per type
            kind = spec.value_type
            memo = (kind, spec.id if kind == OPTION else 0, raw.value, raw.machine)
            parsed = typed.get(memo) if not raw.text_cell else None
            if parsed is None:
                try:
                    parsed = parse_value(spec, raw.value, raw.text_cell, raw.machine)
                except ValueError as exc:
                    parsed = str(exc)
                if not raw.text_cell:
                    typed[memo] = parsed
            if isinstance(parsed, str):
                err(Problem(line, "nilai", "value_type", parsed))
                continue
            value, text = parsed
            if value is not None and (
                (spec.min_value is not None and value < spec.min_value)
                or (spec.max_value is not None and value > spec.max_value)
            ):
                reason = _range_reason(spec, raw.value)
                if not raw.comment:
                    reason = _("%(reason)s Explain it in the comment column.") % {"reason": reason}
                    err(Problem(line, "nilai", "out_of_range", reason))
                    continue
                warn(Problem(line, "nilai", "out_of_range", reason, warning=True))
        out.rows.append((spec.id, combo, region, period, value, text, raw.comment or None))
        out.lines.append(line)
    return out


def _unknown_element(raw: RawRow, catalog: Catalog) -> str:
    return _("Unknown element code “%(code)s” in dataset %(dataset)s.") % {
        "code": raw.element[:50],
        "dataset": catalog.dataset_code,
    }


def _unknown_cell(raw: RawRow, spec: ElementSpec) -> str:
    return _("Unknown disaggregation cell “%(cell)s” for %(element)s (allowed: %(cells)s).") % {
        "cell": raw.cell[:50],
        "element": spec.code,
        "cells": ", ".join(spec.cells)[:200],
    }


def _period_reason(code: str, period_type: str) -> str:
    try:
        period = periods.parse(code)
    except ValueError:
        return _("“%(period)s” is not a period code (e.g. 2025, 2025S1, 2025Q3, 202507).") % {
            "period": code[:20]
        }
    if period.type != period_type or period.code != code:
        return _("Period %(period)s does not match the dataset's period type.") % {
            "period": code[:20]
        }
    return ""


def _range_reason(spec: ElementSpec, raw: str) -> str:
    return _("%(value)s is outside the allowed range %(range)s.") % {
        "value": raw[:40],
        "range": range_text(spec.min_value, spec.max_value),
    }
