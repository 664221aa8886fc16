"""Forms of the target planner and of plan tracking."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import StepStatus
from .index import SERIES
from .services_plans import PlannerRow


class PlannerForm(forms.Form):
    target = forms.DecimalField(
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
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def default_reachable(rows: list[PlannerRow], max_level: int) -> dict[int, int]:
    """The reachable level each row starts with: the instrument's top, which the user may lower.

    Starting at the current level allowed no step at all, so a reachable target was only
    planned after the user changed every select by hand.
    """
    return {row.assessment.pk: max(row.current, max_level) for row in rows}


def parse_row_inputs(
    data: Any, rows: list[PlannerRow], max_level: int
) -> tuple[dict[int, int], dict[int, list[Decimal]], dict[int, str]]:
    """Reachable level and effort per step for each row; errors by assessment pk."""
    reachable: dict[int, int] = {}
    efforts: dict[int, list[Decimal]] = {}
    errors: dict[int, str] = {}
    for row in rows:
        pk = row.assessment.pk
        raw = str(data.get(f"reach_{pk}", "")).strip()
        level = int(raw) if raw.isdigit() else max(row.current, max_level)
        if not row.current <= level <= max_level:
            errors[pk] = _("Choose a level from %(low)s to %(high)s.") % {
                "low": row.current,
                "high": max_level,
            }
            continue
        reachable[pk] = level
        steps: list[Decimal] = []
        for target_level in range(row.current + 1, level + 1):
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
