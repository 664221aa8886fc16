"""Forms for units and agency settings."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agency, Unit
from .permissions import regions_of_agency

MAX_LOGO_BYTES = 1024 * 1024
INDONESIAN_TIMEZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "acronym", "kind", "parent", "region", "is_active"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(agency=agency)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_of_agency(agency).filter(level__gte=3)  # type: ignore[attr-defined]


class AgencyForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = Agency
        fields = ["name", "timezone", "logo"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = INDONESIAN_TIMEZONES + sorted(
            z for z in zoneinfo.available_timezones() if z not in INDONESIAN_TIMEZONES and "/" in z
        )
        self.fields["timezone"].choices = [(z, z) for z in zones]  # type: ignore[attr-defined]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."))
        image_format = getattr(getattr(logo, "image", None), "format", None) or ""
        if logo and hasattr(logo, "image") and image_format.upper() not in {"PNG", "JPEG", "WEBP"}:
            raise forms.ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        return logo
