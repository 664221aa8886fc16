"""Forms of the evidence library; the checks on files live in `evidence_files.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from padu.organizations.models import Unit

from .choices import EvidenceReview
from .models import Evidence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_HELP = _("PDF, image or office document; checked by its content.")


class EvidenceForm(forms.ModelForm):
    """Metadata, plus a file when adding; `units` are the owner units the user may choose."""

    url = forms.URLField(label=_("Link"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False, help_text=FILE_HELP)

    class Meta:
        model = Evidence
        fields = [
            "title",
            "kind",
            "owner_unit",
            "file",
            "url",
            "document_number",
            "document_date",
            "valid_until",
            "is_audit",
            "description",
        ]
        widgets = {
            "document_date": DATE,
            "valid_until": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, units: QuerySet[Unit], with_file: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        if not with_file:
            del self.fields["file"]


class ReplaceFileForm(forms.Form):
    file = forms.FileField(label=_("New version"), help_text=FILE_HELP)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Review status"),
        choices=[c for c in EvidenceReview.choices if c[0] != EvidenceReview.PENDING],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
