"""Forms of the bulk upload: the upload itself and the template download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ImportFormat
from .imports import FileRejected, check_kind, check_size
from .models import Dataset
from .services_import import max_mb

EXTENSIONS = {
    ImportFormat.XLSX: (".xlsx",),
    ImportFormat.CSV: (".csv", ".txt"),
    ImportFormat.DVS_JSON: (".json",),
    ImportFormat.DVS_CSV: (".csv", ".txt"),
}


class UploadForm(forms.Form):
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.none(), label=_("Dataset"))
    format = forms.ChoiceField(choices=ImportFormat.choices, label=_("Format"))
    file = forms.FileField(label=_("File"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check only, write nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, datasets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]
        self.fields["file"].help_text = _("At most %(mb)s MB.") % {"mb": max_mb()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, fmt = data.get("file"), data.get("format")
        if upload is None or not fmt:
            return data
        try:
            check_size(upload.size, max_mb())
            head = upload.read(8192) if fmt != ImportFormat.XLSX else upload.read()
            upload.seek(0)
            check_kind(head, fmt)
        except FileRejected as exc:
            self.add_error("file", exc.problems[0].reason)
            return data
        if not upload.name.lower().endswith(EXTENSIONS[ImportFormat(fmt)]):
            self.add_error(
                "file",
                _("The file name does not end in %(ext)s for this format.")
                % {"ext": " / ".join(EXTENSIONS[ImportFormat(fmt)])},
            )
        return data


class TemplateForm(forms.Form):
    dataset = forms.ModelChoiceField(queryset=Dataset.objects.none(), label=_("Dataset"))
    region = forms.ChoiceField(
        label=_("Region"), help_text=_("A village, or a kecamatan for all its villages.")
    )
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("For example 2025, 2025S1, 2025Q3, 202507.")
    )
    format = forms.ChoiceField(choices=ImportFormat.choices, label=_("Format"))

    def __init__(self, *args: Any, datasets: Any, regions: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
