"""Forms of the target planner and of plan tracking."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import StepStatus
from .index import SERIES
from .scoring import HUNDREDTH
from .services_plans import PlannerRow
from .values import read_decimal


class TargetField(forms.DecimalField):
    """A decimal typed the Indonesian way ("2,5") or the machine way ("2.50"); "1,2,6" is not."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            read = read_decimal(value, signed=True)
            value = str(read) if read is not None else value.strip()
        return super().to_python(value)


class PlannerForm(forms.Form):
    target = TargetField(
        label=gettext_lazy("Target index"),
        max_digits=4,
        decimal_places=2,
        error_messages={
            "required": gettext_lazy("Enter the target index, for example 3.00."),
            "invalid": gettext_lazy("The target must be a number such as 3.00."),
            "max_digits": gettext_lazy("The target must be a number such as 3.00."),
            "max_decimal_places": gettext_lazy("The target has at most two decimals."),
        },
    )
    series = forms.ChoiceField(
        label=gettext_lazy("Start from the levels of"),
        choices=[(key, label) for key, _attr, label in SERIES],
        initial="self",
    )
    name = forms.CharField(label=gettext_lazy("Plan name"), max_length=200, required=False)
    due_on = forms.DateField(
        label=gettext_lazy("Due date for every step"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_target(self) -> Decimal:
        value: Decimal = self.cleaned_data["target"]
        if value <= 0:
            raise forms.ValidationError(_("The target must be above zero."))
        return value


def _decimal(raw: str) -> Decimal | None:
    return read_decimal(raw, signed=True)


def default_reachable(rows: list[PlannerRow], max_level: int) -> dict[int, int | Decimal]:
    """The reachable level each row starts with: the instrument's top, which the user may lower.

    Starting at the current level allowed no step at all, so a reachable target was only
    planned after the user changed every select by hand. An indicator scored from another
    agency's index (Pemdi IK5, IK6, IK7, IK18) is not the agency's to raise: it stays where it
    is unless the user sets a higher value.
    """
    return {
        row.assessment.pk: row.current
        if row.is_external_index
        else max(row.current, _top(row.current, max_level))
        for row in rows
    }


def _top(current: int | Decimal, max_level: int) -> int | Decimal:
    return Decimal(max_level).quantize(HUNDREDTH) if isinstance(current, Decimal) else max_level


def _reachable_value(raw: str, row: PlannerRow, max_level: int) -> tuple[Decimal | None, str]:
    """A typed reachable value ("3,5" or "3.50") checked against the row; or an error."""
    value = _decimal(raw) if raw.count(",") + raw.count(".") <= 1 else None
    if value is None or value != value.quantize(HUNDREDTH):
        return None, _("Enter a value with at most two decimals, such as 3,50.")
    if not row.current <= value <= max_level:
        return None, _("Enter a value from %(low)s to %(high)s.") % {
            "low": formats.number_format(row.current, 2),
            "high": formats.number_format(Decimal(max_level), 2),
        }
    return value.quantize(HUNDREDTH), ""


def effort_levels(row: PlannerRow, reach: int | Decimal) -> range:
    """The levels whose step (from the one below) the row climbs on its way to `reach`."""
    return range(int(row.current) + 1, math.ceil(reach) + 1)


def parse_row_inputs(
    data: Any, rows: list[PlannerRow], max_level: int
) -> tuple[dict[int, int | Decimal], dict[int, list[Decimal]], dict[int, str]]:
    """Reachable level and effort per step for each row; errors by assessment pk."""
    reachable: dict[int, int | Decimal] = {}
    efforts: dict[int, list[Decimal]] = {}
    errors: dict[int, str] = {}
    defaults = default_reachable(rows, max_level)
    for row in rows:
        pk = row.assessment.pk
        raw = str(data.get(f"reach_{pk}", "")).strip()
        level: int | Decimal
        if isinstance(row.current, Decimal):  # a decimal instrument: values in 0.01
            if not raw:
                level = defaults[pk]
            else:
                value, message = _reachable_value(raw, row, max_level)
                if value is None:
                    errors[pk] = message
                    continue
                level = value
        else:
            level = int(raw) if raw.isdigit() else max(row.current, max_level)
            if not row.current <= level <= max_level:
                errors[pk] = _("Choose a level from %(low)s to %(high)s.") % {
                    "low": row.current,
                    "high": max_level,
                }
                continue
        reachable[pk] = level
        steps: list[Decimal] = []
        for target_level in effort_levels(row, level):
            raw_effort = str(data.get(f"effort_{pk}_{target_level}", "")).strip()
            value = _decimal(raw_effort) if raw_effort else Decimal(1)
            if value is None or not Decimal(0) < value <= Decimal(1000):
                errors[pk] = _("Every effort must be a number above 0 and at most 1000.")
                break
            steps.append(value.quantize(Decimal("0.01")))
        efforts[pk] = steps
    return reachable, efforts, errors


class StepForm(forms.Form):
    """One plan step's assignment and progress (prefixed by the step id)."""

    unit = forms.TypedChoiceField(
        label=gettext_lazy("OPD"), required=False, coerce=int, empty_value=None
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=StepStatus.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)

    def __init__(
        self, *args: Any, units: list[tuple[int, str]], restricted: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        if restricted:  # an OPD admin reports progress; the koordinator assigns
            self.fields["unit"].disabled = True
            self.fields["due_on"].disabled = True
