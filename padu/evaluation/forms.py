"""Forms for periods, assignment, the self-assessment and the review actions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from padu.accounts.models import User
from padu.core.widgets import QuickSelect, QuickSelectMultiple
from padu.organizations.models import Agency, Unit

from .choices import Stage
from .models import Assessment, Evidence, Instrument
from .values import read_value

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period and its stage windows; only the self-assessment window is required."""

    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        required=False,
        empty_label=_("The year's national instrument (PermenPANRB 8/2026 from 2026)"),
        help_text=_(
            "Leave it to open the year on its national instrument: PermenPANRB 8/2026 (Pemdi) "
            "from 2026, PermenPANRB 59/2020 up to 2025."
        ),
    )

    def __init__(self, *args: Any, agency: Agency, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(  # type: ignore[attr-defined]
            Q(agency__isnull=True) | Q(agency=agency)
        ).order_by("superseded_by", "-applies_from_year", "code", "-version")
        if editing:
            del self.fields["year"]
            del self.fields["instrument"]
        for stage, label in Stage.choices:
            required = stage == Stage.SELF_ASSESSMENT
            self.fields[f"{stage}_start"] = forms.DateField(
                label=_("%(stage)s: start") % {"stage": label}, required=required, widget=DATE
            )
            self.fields[f"{stage}_end"] = forms.DateField(
                label=_("%(stage)s: end") % {"stage": label}, required=required, widget=DATE
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for stage in Stage.values:
            start, end = data.get(f"{stage}_start"), data.get(f"{stage}_end")
            if bool(start) != bool(end):
                self.add_error(
                    f"{stage}_end" if start else f"{stage}_start",
                    _("Give both the start and the end, or neither."),
                )
            elif start and end and end < start:
                self.add_error(f"{stage}_end", _("The end date is before the start date."))
        return data

    def windows(self) -> dict[str, tuple[datetime.date, datetime.date]]:
        d = self.cleaned_data
        return {
            s: (d[f"{s}_start"], d[f"{s}_end"])
            for s in Stage.values
            if d.get(f"{s}_start") and d.get(f"{s}_end")
        }


class AssignmentForm(forms.Form):
    """One row of the bulk assignment page."""

    assessment_id = forms.IntegerField(widget=forms.HiddenInput)
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), required=False, widget=QuickSelect
    )
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 3}),
    )
    pics = forms.ModelMultipleChoiceField(
        label=_("Persons in charge"),
        queryset=User.objects.none(),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 3}),
    )
    service_name = forms.CharField(label=_("Sector service"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)

    def __init__(
        self,
        *args: Any,
        units: Any,
        users: Any,
        unit_choices: list[tuple[int, str]] | None = None,
        user_choices: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`unit_choices`/`user_choices`: the options as (pk, label), read once for all the
        rows of the page; the querysets still check what comes back."""
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["supporting_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["pics"].queryset = users  # type: ignore[attr-defined]
        if unit_choices is not None:
            empty = self.fields["lead_unit"].empty_label  # type: ignore[attr-defined]
            self.fields["lead_unit"].choices = [("", empty), *unit_choices]  # type: ignore[attr-defined]
            self.fields["supporting_units"].choices = unit_choices  # type: ignore[attr-defined]
        if user_choices is not None:
            self.fields["pics"].choices = user_choices  # type: ignore[attr-defined]


class ValueField(forms.CharField):
    """A decimal indicator value typed the Indonesian way ("1,26") or the machine way
    ("1.26"), 1.00-5.00 with two places; errors name the field."""

    def __init__(self, *args: Any, min_level: int = 1, max_level: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.min_level, self.max_level = min_level, max_level
        self.widget.attrs.update({"inputmode": "decimal", "placeholder": "1,26", "size": 6})

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = self.to_python(value)
        self.run_validators(text)
        number = read_value(
            text or "", label=str(self.label), min_level=self.min_level, max_level=self.max_level
        )
        if number is None and self.required:
            raise forms.ValidationError(
                _("%(field)s: enter a value, for example 1,26.") % {"field": self.label}
            )
        return number


class SelfAssessmentForm(forms.Form):
    checked = forms.TypedMultipleChoiceField(
        label=_("Criteria met"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    claimed_level = forms.TypedChoiceField(
        label=_("Claimed level"), coerce=int, required=False, empty_value=None
    )
    claimed_value = ValueField(
        label=_("Claimed value"),
        required=False,
        help_text=_(
            "Optional: a value within the claimed level, for example 2,40 for level 2. "
            "Empty: the whole level counts."
        ),
    )
    claim_justification = forms.CharField(
        label=_("Justification for a level different from the checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation = forms.CharField(
        label=_("Explanation (penjelasan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, assessment: Assessment, criteria: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        instrument = assessment.period.instrument
        self.is_decimal = instrument.is_decimal
        self.fields["checked"].choices = criteria  # type: ignore[attr-defined]
        levels = range(instrument.min_level, instrument.max_level + 1)
        self.fields["claimed_level"].choices = [("", _("Not chosen yet"))] + [  # type: ignore[attr-defined]
            (n, str(n)) for n in levels
        ]
        if self.is_decimal:
            self.fields["claim_justification"].label = _(
                "Justification for a level different from the checklist or a value within the level"
            )
        else:
            del self.fields["claimed_value"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_decimal and str(self.data.get("claimed_value", "")).strip():
            raise forms.ValidationError(
                _("Claimed value: this instrument scores whole levels; it takes no decimal value.")
            )
        data.setdefault("claimed_value", None)
        return data


class AttachEvidenceForm(forms.Form):
    evidence = forms.ModelChoiceField(
        label=_("Evidence from the library"), queryset=Evidence.objects.none()
    )
    level = forms.TypedChoiceField(label=_("Level it supports"), coerce=int)
    criterion = forms.TypedChoiceField(
        label=_("Criterion (optional)"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        evidence: Any,
        levels: range,
        criteria: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence  # type: ignore[attr-defined]
        self.fields["level"].choices = [(n, str(n)) for n in levels]  # type: ignore[attr-defined]
        self.fields["criterion"].choices = [("", "—"), *criteria]  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    """The validated level (whole-level instrument) or value (decimal), and the reason
    required when it differs from the claim."""

    validated_level = forms.TypedChoiceField(label=_("Validated level"), coerce=int)
    validated_value = ValueField(label=_("Validated value"))
    validation_reason = forms.CharField(
        label=_("Reason for the validated figure"),
        required=False,
        help_text=_("Required when the validated figure differs from the claim."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, levels: range, decimal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["validated_level"].choices = [(n, str(n)) for n in levels]  # type: ignore[attr-defined]
        if decimal:
            del self.fields["validated_level"]
        else:
            del self.fields["validated_value"]


class IndexResultForm(forms.Form):
    """The issuing agency's result of an external-index indicator (Pemdi IK5, IK6, IK7, IK18)."""

    value = ValueField(label=_("Index value"))
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("The index and the agency that issued it, for example EPSS (BPS) 2026."),
    )
    date = forms.DateField(label=_("Date of the result"), required=False, widget=DATE)
    evidence = forms.ModelChoiceField(
        label=_("Letter or report (optional)"),
        queryset=Evidence.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, evidence: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence  # type: ignore[attr-defined]
