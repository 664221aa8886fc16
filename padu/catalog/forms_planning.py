"""Forms of integrations, proposals, decisions, the roadmap and register evidence."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from padu.organizations.models import Agency, Unit

from .choices import (
    AppKind,
    InitiativeStatus,
    IntegrationMethod,
    IntegrationStatus,
    ProposalDecision,
)
from .models import Application, NationalApplication, ReferenceCode

HORIZON = 5
LETTER_MAX_MB = 10


def reference_codes_of(agency: Agency) -> QuerySet[ReferenceCode]:
    """National codes of the current version and this agency's own."""
    return ReferenceCode.objects.filter(version__is_current=True).filter(
        Q(agency__isnull=True) | Q(agency=agency)
    )


def parse_codes(agency: Agency, text: str) -> list[ReferenceCode]:
    """`RAL.01.25.03, RAB.04.01` -> codes; an unknown code is named in the error."""
    wanted = [c for c in re.split(r"[\s,;]+", text.strip().upper()) if c]
    found = {c.code: c for c in reference_codes_of(agency).filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise forms.ValidationError(
            _("Unknown reference code: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return [found[c] for c in dict.fromkeys(wanted)]


class IntegrationForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label=gettext_lazy("Provider (register)"),
    )
    provider_national = forms.ModelChoiceField(
        queryset=NationalApplication.objects.all(),
        required=False,
        label=gettext_lazy("Provider (national application)"),
    )
    consumer = forms.ModelChoiceField(
        queryset=Application.objects.none(), label=gettext_lazy("Consumer")
    )
    method = forms.ChoiceField(choices=IntegrationMethod.choices, label=gettext_lazy("Method"))
    data_exchanged = forms.CharField(max_length=500, label=gettext_lazy("Data exchanged"))
    status = forms.ChoiceField(choices=IntegrationStatus.choices, label=gettext_lazy("Status"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agency: Agency, consumers: QuerySet[Application], **kw: Any):
        super().__init__(*args, **kw)
        apps = Application.objects.filter(agency=agency).order_by("name")
        self.fields["provider"].queryset = apps  # type: ignore[attr-defined]
        self.fields["consumer"].queryset = consumers.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("provider")) == bool(data.get("provider_national")):
            raise forms.ValidationError(
                _("Choose one provider: an application of the register or a national one.")
            )
        return data


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Name of the proposed application"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Proposing OPD"))
    problem = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Problem statement"),
    )
    business_process = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Business process"),
    )
    users = forms.CharField(required=False, label=gettext_lazy("Users"))
    data = forms.CharField(  # type: ignore[assignment]  # the form's field, not Form.data
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Data")
    )
    codes = forms.CharField(
        required=False,
        label=gettext_lazy("Reference architecture codes"),
        help_text=gettext_lazy(
            "RAL, RAB or RAD codes separated by commas, e.g. RAL.01.25.03, RAB.04.01."
        ),
    )
    data_elements = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label=gettext_lazy("Data bank elements"),
    )
    kind = forms.ChoiceField(
        choices=AppKind.choices, initial=AppKind.SPECIFIC, label=gettext_lazy("Type")
    )
    budget_year = forms.IntegerField(
        min_value=2000, max_value=2100, label=gettext_lazy("Budget year")
    )
    budget_amount = forms.DecimalField(
        min_value=0, max_digits=16, decimal_places=0, label=gettext_lazy("Budget (Rp)")
    )

    def __init__(self, *args: Any, agency: Agency, units: QuerySet[Unit], **kw: Any) -> None:
        super().__init__(*args, **kw)
        from padu.databank.models import DataElement

        self.agency = agency
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["data_elements"].queryset = DataElement.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")

    def clean_problem(self) -> str:
        problem = str(self.cleaned_data.get("problem") or "").strip()
        if not problem:
            raise forms.ValidationError(
                _("Describe the problem the application should solve; a proposal needs it.")
            )
        return problem

    def clean_codes(self) -> list[ReferenceCode]:
        return parse_codes(self.agency, str(self.cleaned_data.get("codes") or ""))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ProposalDecision.choices, label=gettext_lazy("Decision"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Reasons")
    )
    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label=gettext_lazy("Application concerned"),
    )
    letter_number = forms.CharField(
        max_length=120, required=False, label=gettext_lazy("Letter number")
    )
    letter_date = forms.DateField(
        required=False,
        label=gettext_lazy("Letter date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    letter_file = forms.FileField(required=False, label=gettext_lazy("Letter (PDF)"))

    def __init__(self, *args: Any, agency: Agency, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["application"].queryset = Application.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Owner OPD")
    )
    start_year = forms.IntegerField(label=gettext_lazy("From year"))
    end_year = forms.IntegerField(label=gettext_lazy("To year"))
    indicators = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label=gettext_lazy("Indicators it should raise"),
    )
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        required=False,
        label=gettext_lazy("Applications it touches"),
    )
    budget = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=0,
        label=gettext_lazy("Budget (Rp)"),
    )
    status = forms.ChoiceField(choices=InitiativeStatus.choices, label=gettext_lazy("Status"))
    progress = forms.IntegerField(initial=0, label=gettext_lazy("Progress (%)"))

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        units: QuerySet[Unit],
        indicators: QuerySet[Any],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["applications"].queryset = Application.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")


class RegisterEvidenceForm(forms.Form):
    artefact = forms.ChoiceField(label=gettext_lazy("Document"))
    fmt = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("xlsx", "XLSX")], initial="pdf", label=gettext_lazy("Format")
    )
    period = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Period"))
    indicators = forms.CharField(
        label=gettext_lazy("Indicators"),
        help_text=gettext_lazy("Indicator numbers separated by commas, e.g. 4, 11, 15, 18."),
    )
    level = forms.IntegerField(
        min_value=1, max_value=5, initial=3, label=gettext_lazy("Level it supports")
    )
    owner_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Owner unit")
    )

    def __init__(
        self,
        *args: Any,
        artefacts: list[tuple[str, str]],
        periods: QuerySet[Any],
        units: QuerySet[Unit],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["artefact"].choices = artefacts  # type: ignore[attr-defined]
        self.fields["period"].queryset = periods  # type: ignore[attr-defined]
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
