"""Forms of the metadata pages; a producer may only pick their own OPD as producer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from padu.organizations.models import Agency, Region, Unit
from padu.organizations.permissions import regions_of_agency

from .locks import MAX_DAYS
from .models import (
    Category,
    CategoryCombo,
    DataElement,
    Dataset,
    OptionSet,
    ValidationRule,
)
from .services_metadata import (
    DATASET_FIELDS,
    ELEMENT_FIELDS,
    aggregation_error,
    code_in_use,
    dataset_code_error,
    element_code_error,
)


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


# day counts of the entry window: SQLite stores any size, and dates past year 9999 overflow
DAY_FIELDS = ("open_after_days", "close_after_days", "timely_days")


def _producers(agency: Agency, own_units: set[int] | None) -> Any:
    units = Unit.objects.filter(agency=agency, is_active=True).order_by("name")
    return units.filter(pk__in=own_units) if own_units is not None else units


class ElementForm(forms.ModelForm):
    class Meta:
        model = DataElement
        fields = ELEMENT_FIELDS
        widgets = {
            "concept": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, agency: Agency, own_units: set[int] | None, **kw: Any):
        super().__init__(*args, **kw)
        self.agency = agency
        _choices(self, "category_combo").queryset = CategoryCombo.objects.filter(
            Q(agency=agency) | Q(agency__isnull=True)
        ).order_by("name")
        _choices(self, "option_set").queryset = OptionSet.objects.filter(agency=agency)
        _choices(self, "producer").queryset = _producers(agency, own_units)
        if own_units is not None:
            self.fields["producer"].required = True
        if not self.instance.pk:
            default = CategoryCombo.objects.filter(agency__isnull=True, code="default").first()
            self.fields["category_combo"].initial = default

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        existing = code_in_use(DataElement, self.agency, code, self.instance)
        if existing:
            raise forms.ValidationError(element_code_error(existing))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum must not be below the minimum."))
        kind, aggregation = data.get("value_type"), data.get("aggregation")
        problem = aggregation_error(kind, aggregation) if kind and aggregation else None
        if problem:
            self.add_error("aggregation", problem)
        return data

    def _post_clean(self) -> None:  # the service validates the model; skip agency-less checks
        pass


class DatasetForm(forms.ModelForm):
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("Reporting regions"),
        help_text=_("Empty: every region of the agency at the collection level."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Dataset
        fields = DATASET_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agency: Agency, own_units: set[int] | None, **kw: Any):
        super().__init__(*args, **kw)
        self.agency = agency
        _choices(self, "producer").queryset = _producers(agency, own_units)
        if own_units is not None:
            self.fields["producer"].required = True
        _choices(self, "regions").queryset = regions_of_agency(agency).filter(level__gte=2)
        for name in DAY_FIELDS:
            field = self.fields[name]
            field.validators.append(
                MaxValueValidator(MAX_DAYS, _("Enter at most %(limit_value)s days (ten years)."))
            )
            field.widget.attrs["max"] = MAX_DAYS
        if self.instance.pk:
            self.fields["regions"].initial = list(self.instance.regions.all())

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        existing = code_in_use(Dataset, self.agency, code, self.instance)
        if existing:
            raise forms.ValidationError(dataset_code_error(existing))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level = data.get("collection_level")
        for region in data.get("regions") or []:
            if level and region.level != level:
                self.add_error(
                    "regions",
                    _("%(region)s is not at the collection level.") % {"region": region},
                )
                break
        return data

    def _post_clean(self) -> None:
        pass


class AddElementForm(forms.Form):
    element = forms.ModelChoiceField(queryset=DataElement.objects.none(), label=_("Data element"))
    compulsory = forms.BooleanField(required=False, label=_("Compulsory"))

    def __init__(self, *args: Any, dataset: Dataset, **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "element").queryset = (
            DataElement.objects.filter(agency=dataset.agency)
            .exclude(pk__in=dataset.dataset_elements.values("element"))
            .order_by("code")
        )


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["name", "left", "operator", "right", "missing", "message"]
        help_texts = {
            "left": _("For example #{PDD.L} + #{PDD.P}: element codes, with a cell after a dot."),
        }

    def _post_clean(self) -> None:
        pass


class CodeNameForm(forms.Form):
    code = forms.RegexField(
        regex=r"^[A-Za-z0-9_.-]+$",
        max_length=50,
        label=_("Code"),
        error_messages={"invalid": _("Use letters, digits, dots, dashes and underscores only.")},
    )
    name = forms.CharField(max_length=200, label=_("Name"))

    def __init__(self, *args: Any, model: Any, agency: Agency, instance: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.model, self.agency, self.instance = model, agency, instance

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        others = self.model.objects.filter(agency=self.agency, code=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This code is already used."))
        return code


class OptionsForm(CodeNameForm):
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: CODE | Name, for example L | Laki-laki."),
    )


class ComboForm(CodeNameForm):
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.none(),
        required=False,
        label=_("Categories"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The cells are every combination of the categories' options."),
    )

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "categories").queryset = Category.objects.filter(agency=self.agency)
