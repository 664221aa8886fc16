"""Forms of verification, lock exceptions and the completeness filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ReturnReason


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    comment = forms.CharField(
        label=_("Comment for the operator"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class LockExceptionForm(forms.Form):
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=20,
        help_text=_("Empty: every region of the dataset."),
    )
    period = forms.CharField(label=_("Period"), max_length=8)
    until = forms.DateTimeField(
        label=_("Open until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CompletenessFilter(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args: Any, datasets: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(d.pk), d.name) for d in datasets]
