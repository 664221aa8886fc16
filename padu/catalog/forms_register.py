"""Forms of the register: application (with its contacts), service, import, agency code."""

from __future__ import annotations

import itertools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from padu.databank.models import DataElement
from padu.organizations.models import Agency, Unit

from . import services as svc
from .choices import ContactRole
from .models import Application, ReferenceCode, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORM_FIELDS = list(svc.APPLICATION_FIELDS)


class CodesField(forms.CharField):
    """Reference codes typed as `RAL.02.04, RAB.09.06`; checked against the current version."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Reference architecture codes"))
        kwargs.setdefault(
            "help_text",
            _("Comma-separated codes of the current reference version, e.g. RAL.02.04, RAB.09.06."),
        )
        super().__init__(**kwargs)


def _check_codes(agency: Agency, text: str) -> list[str]:
    codes = svc.split_codes(text)
    svc.resolve_codes(agency, codes)  # raises ValidationError naming the unknown ones
    return codes


def _fit_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=5, help_text=_("From 1 to 5.")
    )


def _url_field() -> forms.URLField:
    return forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")


class ApplicationForm(forms.ModelForm):  # type: ignore[type-arg]
    codes = CodesField()
    url = _url_field()
    elements = forms.ModelMultipleChoiceField(
        queryset=DataElement.objects.none(),
        required=False,
        label=_("Data bank elements it handles"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    business_fit = _fit_field(_("Business fit (1-5, by the owner)"))
    technical_fit = _fit_field(_("Technical fit (1-5, by Diskominfo)"))

    class Meta:
        model = Application
        fields = FORM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_on": DATE,
            "production_on": DATE,
            "retired_on": DATE,
            "last_security_audit": DATE,
        }

    def __init__(
        self, *args: Any, agency: Agency, owner_units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["owner_unit"].queryset = owner_units  # type: ignore[attr-defined]
        self.fields["operator_unit"].queryset = agency.units.order_by("name")  # type: ignore[attr-defined]
        self.fields["elements"].queryset = DataElement.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("code")
        if self.instance.pk and not self.is_bound:
            self.initial["codes"] = ", ".join(
                sorted(self.instance.reference_codes.values_list("code", flat=True))
            )
            self.initial["elements"] = list(self.instance.data_elements.all())

    def clean_codes(self) -> list[str]:
        return _check_codes(self.agency, self.cleaned_data.get("codes") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        order = [(n, data.get(n)) for n in ("planned_on", "production_on", "retired_on")]
        known = [(n, d) for n, d in order if d]
        for (_n, earlier), (name, later) in itertools.pairwise(known):
            if later < earlier:
                self.add_error(
                    name, _("The dates must be in order: planned, in production, retired.")
                )
        return data

    def _post_clean(self) -> None:
        """The service validates the model (unique name, agency, fits); skip the model's own
        full_clean here, which would need the agency set first."""

    def application_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in FORM_FIELDS if k in self.cleaned_data}


class ContactForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("Leave empty to skip.")
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


ContactFormSet = forms.formset_factory(ContactForm, extra=2, can_delete=True, max_num=20)


def contact_rows(formset: Any) -> list[dict[str, Any]]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
    ]


def contact_initial(app: Application) -> list[dict[str, Any]]:
    return [{f: getattr(c, f) for f in svc.CONTACT_FIELDS} for c in app.contacts.all()]


class ApplicationChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.acronym})" if obj.acronym else str(obj.name)


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    codes = CodesField()
    url = _url_field()
    applications = ApplicationChoices(
        queryset=Application.objects.none(),
        required=False,
        label=_("Applications that realise it"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Service
        fields = ["name", "kind", "description", "owner_unit", "url", "requirements"]
        fields += ["complaint_channel", "is_public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "complaint_channel": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, agency: Agency, owner_units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["owner_unit"].queryset = owner_units  # type: ignore[attr-defined]
        self.fields["applications"].queryset = Application.objects.filter(  # type: ignore[attr-defined]
            agency=agency
        ).order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["codes"] = ", ".join(
                sorted(self.instance.reference_codes.values_list("code", flat=True))
            )
            self.initial["applications"] = list(self.instance.applications.all())

    def clean_codes(self) -> list[str]:
        return _check_codes(self.agency, self.cleaned_data.get("codes") or "")

    def _post_clean(self) -> None:
        """Validated by the service."""

    def service_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in svc.SERVICE_FIELDS if k in self.cleaned_data}


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("The first row names the columns, as in the export."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (import nothing)"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class ParentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ReferenceCodeForm(forms.Form):
    parent = ParentChoice(queryset=ReferenceCode.objects.none(), label=_("Under the national code"))
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("For example RAL.02.04.01."))
    name = forms.CharField(label=_("Name"), max_length=300)

    def __init__(self, *args: Any, parents: QuerySet[ReferenceCode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
