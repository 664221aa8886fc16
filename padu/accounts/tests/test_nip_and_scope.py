"""A NIP typed as printed (with spaces) is accepted; a role's unit and region read apart."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from padu.accounts.choices import Role
from padu.accounts.forms import UserCreateForm, UserEditForm
from padu.accounts.models import Membership, User
from padu.organizations.models import Agency, Region, Unit

NIP = "198001012005011001"
NEW_USER = {"username": "pegawai.nip", "full_name": "Pegawai", "email": "p@example.go.id"}


@pytest.mark.parametrize(
    "typed",
    [
        NIP,
        "19800101 200501 1 001",
        " 19800101  200501 1 001 ",
        "19800101.200501.1.001",
        "19800101-200501-1-001",
    ],
)
def test_the_nip_is_stored_as_18_digits_however_it_is_grouped(db: None, typed: str) -> None:
    form = UserCreateForm(data={**NEW_USER, "nip": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == NIP


@pytest.mark.parametrize(
    "typed",
    ["19800101 200501 1 00", "19800101 200501 1 0011", "19800101 2005O1 1 001", "\u0661" * 18],
)
def test_a_nip_without_exactly_18_digits_is_refused(db: None, typed: str) -> None:
    form = UserCreateForm(data={**NEW_USER, "nip": typed})
    assert not form.is_valid()
    assert form.errors["nip"] == ["NIP terdiri atas 18 digit."]


def test_the_nip_stays_optional(db: None) -> None:
    form = UserCreateForm(data={**NEW_USER, "nip": "  "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == ""


def test_editing_a_user_stores_a_spaced_nip_as_digits(
    client: Client, admin_user: User, viewer: User
) -> None:
    form = UserEditForm(
        instance=viewer,
        data={"full_name": "Viewer", "email": viewer.email, "nip": "19800101 200501 1 001"},
    )
    assert form.is_valid(), form.errors
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_edit", args=[viewer.pk]),
        {
            "full_name": "Viewer",
            "email": viewer.email,
            "nip": "19800101 200501 1 001",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.nip == NIP


def test_user_detail_separates_a_roles_unit_from_its_region(
    client: Client,
    admin_user: User,
    viewer: User,
    agency: Agency,
    units: dict[str, Unit],
    regions: dict[str, Region],
) -> None:
    Membership.objects.create(
        user=viewer,
        agency=agency,
        role=Role.UNIT_ADMIN,
        unit=units["disdik"],
        region=regions["mandonga"],
    )
    client.force_login(admin_user)
    html = client.get(reverse("accounts:user_detail", args=[viewer.pk])).content.decode()
    text = re.sub(r"\s+", " ", html)
    assert "Disdikbud · 74.71.01 Mandonga" in text
    assert "Disdikbud74.71.01" not in text
