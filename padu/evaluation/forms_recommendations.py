"""Forms for recommendations: the koordinator's form, the OPD's follow-up, the import file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from padu.organizations.models import Unit

from .choices import RecommendationStatus
from .models import Indicator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}. {obj.name}"


class RecommendationForm(forms.Form):
    indicator = IndicatorChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    text = forms.CharField(
        label=_("Recommendation (from the LHE)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Owner OPD")
    )
    action = forms.CharField(
        label=_("Planned action (tindak lanjut)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=RecommendationStatus.choices, initial=RecommendationStatus.OPEN
    )

    def __init__(
        self, *args: Any, indicators: QuerySet[Indicator], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Follow-up (tindak lanjut)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class RecommendationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: indikator, rekomendasi, opd (optional, acronym or name), "
            "tanggal target (optional, YYYY-MM-DD or DD/MM/YYYY)."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (import nothing)"), required=False, initial=True
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
