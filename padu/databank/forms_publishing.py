"""Forms of the walidata's release pages: choose periods and notes; say why a release goes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ReleaseForm(forms.Form):
    periods = forms.MultipleChoiceField(
        label=_("Periods"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only periods with accepted values are listed."),
        error_messages={"required": _("Choose at least one period.")},
    )
    notes = forms.CharField(
        label=_("Release notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is new or corrected in this version."),
    )

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periods"].choices = [(p, p) for p in periods]  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the release is withdrawn.")},
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=200)
    group = forms.CharField(label=_("Group"), required=False, max_length=200)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=200)
