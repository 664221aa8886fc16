"""Forms of the analysis pages: pivot and chart filters, boundary upload, dashboards, tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.core.widgets import QuickSelect, QuickSelectMultiple
from padu.organizations.choices import RegionLevel
from padu.organizations.models import Agency, Unit
from padu.organizations.permissions import regions_of_agency

from . import periods
from .choices import TokenScope
from .models import DataElement
from .selectors_analysis import PivotSpec

LEVELS = [
    (RegionLevel.VILLAGE, _("Village (kelurahan/desa)")),
    (RegionLevel.DISTRICT, _("District (kecamatan)")),
    (RegionLevel.REGENCY, _("Regency / city")),
]
PERIOD_TYPES = [
    (periods.MONTHLY, _("Month")),
    (periods.QUARTERLY, _("Quarter")),
    (periods.SIXMONTHLY, _("Semester")),
    (periods.YEARLY, _("Year")),
]
COLUMNS = [("period", _("Periods")), ("region", _("Regions")), ("element", _("Elements"))]


def _period_code(value: str) -> str:
    if not periods.is_valid(value):
        raise forms.ValidationError(
            _("Not a period code (e.g. 2025, 2025S1, 2025Q3, 202507)."), code="period"
        )
    return periods.parse(value).code


class AnalysisFilterForm(forms.Form):
    """The filters shared by the pivot, the charts and the map (read from the query string)."""

    elements = forms.ModelMultipleChoiceField(
        label=_("Data elements"),
        queryset=DataElement.objects.none(),
        required=False,
        widget=QuickSelectMultiple,
    )
    level = forms.TypedChoiceField(
        label=_("Region level"), choices=LEVELS, coerce=int, initial=RegionLevel.VILLAGE
    )
    under = forms.ChoiceField(label=_("Within"), required=False, widget=QuickSelect)
    period_type = forms.ChoiceField(
        label=_("Period type"), choices=PERIOD_TYPES, initial=periods.MONTHLY
    )
    start = forms.CharField(label=_("From period"), max_length=8)
    end = forms.CharField(label=_("To period"), max_length=8)
    columns = forms.ChoiceField(label=_("Columns"), choices=COLUMNS, initial="period")
    disaggregated = forms.BooleanField(label=_("Show disaggregation cells"), required=False)

    def __init__(self, data: Any, *, agency: Agency, elements: QuerySet[DataElement]) -> None:
        year = timezone.localdate().year
        defaults = {
            "level": RegionLevel.VILLAGE,
            "period_type": periods.MONTHLY,
            "start": f"{year}01",
            "end": f"{year}12",
            "columns": "period",
        }
        merged = data.copy() if data else None
        if merged is not None:
            for key, value in defaults.items():
                merged.setdefault(key, str(value))
        super().__init__(merged or defaults)
        self.element_queryset = elements.order_by("code")
        self.fields["elements"].queryset = self.element_queryset  # type: ignore[attr-defined]
        districts = regions_of_agency(agency).filter(level=RegionLevel.DISTRICT).order_by("name")
        self.fields["under"].choices = [  # type: ignore[attr-defined]
            ("", _("All of the agency")),
            *[(r.code, r.name) for r in districts],
        ]

    def clean_start(self) -> str:
        return _period_code(self.cleaned_data["start"])

    def clean_end(self) -> str:
        return _period_code(self.cleaned_data["end"])

    def spec(self) -> PivotSpec:
        data = self.cleaned_data
        return PivotSpec(
            element_ids=tuple(e.pk for e in data["elements"]),
            level=data["level"],
            period_type=data["period_type"],
            start=data["start"],
            end=data["end"],
            under=data.get("under") or "",
            columns=data["columns"],
            disaggregated=data["disaggregated"],
        )


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection of Polygon/MultiPolygon features, at most 5 MB."),
    )
    code_property = forms.CharField(
        label=_("Property holding the Kemendagri code"),
        initial="kode",
        max_length=60,
        help_text=_("For example kode, kode_kd or KDEPUM."),
    )


class DashboardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("OPD"), queryset=Unit.objects.none(), required=False, empty_label=_("Agency-wide")
    )
    elements = forms.ModelMultipleChoiceField(
        label=_("Data elements"),
        queryset=DataElement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        elements: QuerySet[DataElement],
        unit_required: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].required = unit_required
        self.fields["elements"].queryset = elements.order_by("code")  # type: ignore[attr-defined]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name (application or OPD)"), max_length=120)
    unit = forms.ModelChoiceField(
        label=_("Consuming OPD"), queryset=Unit.objects.none(), required=False
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=TokenScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[TokenScope.READ_METADATA, TokenScope.READ_VALUES],
    )
    expires = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that does not expire."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")  # type: ignore[attr-defined]

    def clean_expires(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("expires")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return value

    def expires_at(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("expires")
        if value is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.max))
