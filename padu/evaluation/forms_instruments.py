"""The form for loading an agency's own instrument file."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_INSTRUMENT_BYTES = 2 * 1024 * 1024
EXTENSIONS = (".yaml", ".yml")


class InstrumentUploadForm(forms.Form):
    """A YAML file of at most 2 MB that reads as UTF-8 text; its content is checked later."""

    file = forms.FileField(
        label=_("Instrument file (YAML)"),
        help_text=_("Format padu-instrument/1, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(EXTENSIONS):
            raise ValidationError(_("Choose a .yaml or .yml file."), code="extension")
        if (upload.size or 0) > MAX_INSTRUMENT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="size")
        raw = upload.read(MAX_INSTRUMENT_BYTES + 1)
        if len(raw) > MAX_INSTRUMENT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="size")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The file is not UTF-8 text."), code="encoding") from exc
        if "\x00" in text:
            raise ValidationError(_("The file is not UTF-8 text."), code="encoding")
        # A byte-order mark (Windows Notepad) does not make a different file.
        self.cleaned_data["text"] = text.removeprefix("\ufeff")
        return upload

    @property
    def text(self) -> str:
        """The file's text, once the form is valid."""
        return str(self.cleaned_data["text"])
