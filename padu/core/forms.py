"""Form helpers shared by all apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to its field when it names one."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)
