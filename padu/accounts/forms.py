"""Forms for accounts, users and memberships."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from padu.organizations.models import Agency, Region, Unit
from padu.organizations.permissions import regions_of_agency

from .choices import Role
from .models import User


class LoginForm(AuthenticationForm):
    """Sign-in form with one generic message for any wrong username or password."""

    error_messages = {
        "invalid_login": _("The username or password is incorrect."),
        "inactive": _("The username or password is incorrect."),
    }


class NIPField(forms.CharField):
    """An 18-digit NIP, typed as printed ("19800101 200501 1 001") or run together.

    Spaces, dots and dashes between the groups are dropped; the 18 digits are stored."""

    default_error_messages = {"invalid": _("A NIP has 18 digits.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Employee number (NIP)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return re.sub(r"[\s.\-]", "", super().to_python(value) or "")

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not re.fullmatch(r"[0-9]{18}", value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    nip = NIPField()
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to email the user a link to choose their own password."),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class UserEditForm(forms.ModelForm):
    nip = NIPField()

    class Meta:
        model = User
        fields = ["full_name", "email", "nip", "phone", "is_active"]
        labels = {"is_active": _("Account active")}


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "preferred_language"]


class MembershipForm(forms.Form):
    # Starts empty: a role is a deliberate choice, never a pre-selected "agency administrator".
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "---------"), *Role.choices],
        error_messages={"required": _("Choose a role.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (OPD)"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Needed for unit administrators and data producers."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Needed for village operators: their kecamatan or kelurahan."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, is_active=True)  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_of_agency(agency).filter(level__gte=3)  # type: ignore[attr-defined]
