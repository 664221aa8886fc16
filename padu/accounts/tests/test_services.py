"""User and membership services: checks before writing, audit rows, the password-setup mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import translation

from conftest import make_user
from padu.accounts import services
from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.audit.models import AuditAction, AuditEvent
from padu.organizations.models import Agency, Region, Unit

NEW_PASSWORD = "Kata-Sandi-Baru-2026!"
LINK = re.compile(r"https?://[^/\s]+(/\S*/sandi/atur/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def audit_rows(instance: Any, action: str | None = None) -> Any:
    rows = AuditEvent.objects.filter(
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
    )
    return rows.filter(action=action) if action else rows


def new_user(actor: User, agency: Agency, **overrides: Any) -> User:
    fields = {
        "username": "budi.santoso",
        "full_name": "Budi Santoso",
        "email": "budi@kendarikota.go.id",
    }
    return services.create_user(actor=actor, agency=agency, **{**fields, **overrides})


# --- create_user -------------------------------------------------------------------------


def test_create_user_writes_an_audit_row_and_gives_a_viewer_role(
    agency: Agency, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks():
        user = new_user(admin_user, agency, nip="198001012005011001", phone="0812")
    event = audit_rows(user, AuditAction.CREATE).get()
    assert (event.actor, event.agency) == (admin_user, agency)
    assert event.after["username"] == "budi.santoso"
    assert event.after["nip"] == "198001012005011001"
    assert event.after["password"] == "***"
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.role) == (agency, Role.VIEWER)
    assert audit_rows(membership, AuditAction.CREATE).get().after["role"] == Role.VIEWER


def test_create_user_with_a_password_can_sign_in_and_gets_no_mail(
    agency: Agency,
    admin_user: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = new_user(admin_user, agency, password=NEW_PASSWORD)
    assert callbacks == []
    assert mailoutbox == []
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert NEW_PASSWORD not in str(audit_rows(user).get().after)


@pytest.mark.parametrize("username", ["Budi.Santoso", "BUDI.SANTOSO", "budi.santoso"])
def test_create_user_refuses_a_taken_username_whatever_the_case(
    agency: Agency, admin_user: User, username: str
) -> None:
    new_user(admin_user, agency)
    count, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        new_user(admin_user, agency, username=username, email="lain@example.go.id")
    assert excinfo.value.message_dict == {"username": ["This username is already taken."]}
    assert (User.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_create_user_refuses_a_bad_email_and_creates_nothing(
    agency: Agency, admin_user: User, mailoutbox: list[Any]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        new_user(admin_user, agency, email="bukan-email")
    assert "email" in excinfo.value.message_dict
    assert not User.objects.filter(username="budi.santoso").exists()
    assert not AuditEvent.objects.exists()
    assert mailoutbox == []


def test_create_user_without_password_mails_a_link_only_after_commit(
    agency: Agency,
    admin_user: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = new_user(admin_user, agency)
    assert len(callbacks) == 1
    assert mailoutbox == []
    assert not user.has_usable_password()
    callbacks[0]()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["budi@kendarikota.go.id"]
    assert mail.subject == "Your Padu account"
    assert "budi.santoso" in mail.body
    match = LINK.search(mail.body)
    assert match, mail.body
    assert match.group(0).startswith(settings.SITE_URL)


def test_the_password_setup_link_lets_the_new_user_choose_a_password(
    agency: Agency,
    admin_user: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
    client: Client,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = new_user(admin_user, agency)
    match = LINK.search(mailoutbox[0].body)
    assert match
    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(match.group(1), follow=True)
    assert again.context["validlink"] is False


def test_create_user_without_password_or_email_sends_nothing(
    agency: Agency,
    admin_user: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = new_user(admin_user, agency, email="")
    assert callbacks == []
    assert mailoutbox == []
    assert not user.has_usable_password()


def test_a_rolled_back_create_user_sends_no_mail(
    agency: Agency,
    admin_user: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        new_user(admin_user, agency)
        raise RuntimeError
    assert callbacks == []
    assert mailoutbox == []
    assert not User.objects.filter(username="budi.santoso").exists()


def test_password_setup_is_not_sent_to_an_inactive_user(
    viewer: User, mailoutbox: list[Any]
) -> None:
    viewer.is_active = False
    viewer.save()
    services.send_password_setup(viewer)
    assert mailoutbox == []


# --- update_user -------------------------------------------------------------------------


def test_update_user_audits_the_changed_fields_with_before_and_after(
    agency: Agency, admin_user: User, viewer: User
) -> None:
    services.update_user(
        actor=admin_user, agency=agency, user=viewer, full_name="Viewer Baru", phone="0813"
    )
    viewer.refresh_from_db()
    assert (viewer.full_name, viewer.phone) == ("Viewer Baru", "0813")
    event = audit_rows(viewer, AuditAction.UPDATE).get()
    assert (event.actor, event.agency) == (admin_user, agency)
    assert event.before == {"full_name": "Viewer", "phone": ""}
    assert event.after == {"full_name": "Viewer Baru", "phone": "0813"}


def test_update_user_that_changes_nothing_writes_no_audit_row(
    agency: Agency, admin_user: User, viewer: User
) -> None:
    services.update_user(
        actor=admin_user, agency=agency, user=viewer, full_name="Viewer", is_active=True
    )
    assert not audit_rows(viewer).exists()


def test_an_admin_cannot_deactivate_their_own_account(agency: Agency, admin_user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(actor=admin_user, agency=agency, user=admin_user, is_active=False)
    assert excinfo.value.message_dict == {"is_active": ["You cannot deactivate your own account."]}
    assert User.objects.get(pk=admin_user.pk).is_active
    assert not AuditEvent.objects.exists()


def test_an_admin_can_deactivate_someone_else(
    agency: Agency, admin_user: User, viewer: User
) -> None:
    services.update_user(actor=admin_user, agency=agency, user=viewer, is_active=False)
    assert not User.objects.get(pk=viewer.pk).is_active
    event = audit_rows(viewer).get()
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})


@pytest.mark.parametrize("field", ["is_superuser", "is_staff", "username", "password"])
def test_update_user_refuses_fields_outside_the_profile(
    agency: Agency, admin_user: User, viewer: User, field: str
) -> None:
    before = User.objects.filter(pk=viewer.pk).values().get()
    with pytest.raises(ValueError, match=field):
        services.update_user(actor=admin_user, agency=agency, user=viewer, **{field: True})
    assert User.objects.filter(pk=viewer.pk).values().get() == before
    assert not AuditEvent.objects.exists()


def test_update_user_refuses_a_bad_email(agency: Agency, admin_user: User, viewer: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(actor=admin_user, agency=agency, user=viewer, email="salah")
    assert "email" in excinfo.value.message_dict
    assert User.objects.get(pk=viewer.pk).email == "viewer@example.go.id"


# --- add_membership ----------------------------------------------------------------------


def test_add_membership_writes_an_audit_row_with_the_scope(
    agency: Agency, admin_user: User, viewer: User, units: dict[str, Unit]
) -> None:
    membership = services.add_membership(
        actor=admin_user, agency=agency, user=viewer, role=Role.UNIT_ADMIN, unit=units["dinkes"]
    )
    assert Membership.objects.filter(pk=membership.pk, unit=units["dinkes"]).exists()
    event = audit_rows(membership, AuditAction.CREATE).get()
    assert (event.actor, event.agency) == (admin_user, agency)
    assert event.after["role"] == Role.UNIT_ADMIN
    assert event.after["user"] == viewer.pk
    assert event.after["unit"] == units["dinkes"].pk
    assert event.after["region"] is None


def test_a_village_operator_gets_a_region_inside_the_agency(
    agency: Agency, admin_user: User, viewer: User, regions: dict[str, Region]
) -> None:
    membership = services.add_membership(
        actor=admin_user,
        agency=agency,
        user=viewer,
        role=Role.VILLAGE_OPERATOR,
        region=regions["kel_alolama"],
    )
    assert membership.region_id == "74.71.01.1001"


def test_add_membership_refuses_a_unit_of_another_agency(
    agency: Agency, admin_user: User, viewer: User, other_unit: Unit
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.add_membership(
            actor=admin_user, agency=agency, user=viewer, role=Role.UNIT_ADMIN, unit=other_unit
        )
    assert excinfo.value.message_dict == {"unit": ["This unit belongs to another agency."]}
    assert not Membership.objects.filter(user=viewer, unit=other_unit).exists()
    assert not AuditEvent.objects.exists()


def test_add_membership_refuses_a_region_outside_the_agency(
    agency: Agency, admin_user: User, viewer: User, regions: dict[str, Region]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.add_membership(
            actor=admin_user,
            agency=agency,
            user=viewer,
            role=Role.VILLAGE_OPERATOR,
            region=regions["konsel_district"],
        )
    assert excinfo.value.message_dict == {"region": ["This region lies outside the agency's area."]}
    assert Membership.objects.filter(user=viewer).count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "key"),
    [
        (Role.UNIT_ADMIN, "unit"),
        (Role.DATA_PRODUCER, "unit"),
        (Role.VILLAGE_OPERATOR, "region"),
    ],
)
def test_scoped_roles_need_their_unit_or_region(
    agency: Agency, admin_user: User, viewer: User, role: str, key: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.add_membership(actor=admin_user, agency=agency, user=viewer, role=role)
    assert list(excinfo.value.message_dict) == [key]
    assert not Membership.objects.filter(user=viewer, role=role).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.LEADER, Role.VIEWER, Role.DATA_CUSTODIAN])
def test_agency_wide_roles_need_no_scope(
    agency: Agency, admin_user: User, coordinator: User, role: str
) -> None:
    membership = services.add_membership(
        actor=admin_user, agency=agency, user=coordinator, role=role
    )
    assert (membership.unit, membership.region) == (None, None)


def test_add_membership_refuses_an_unknown_role(
    agency: Agency, admin_user: User, viewer: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.add_membership(actor=admin_user, agency=agency, user=viewer, role="superadmin")
    assert excinfo.value.message_dict == {"role": ["Unknown role."]}
    assert not Membership.objects.filter(role="superadmin").exists()


def test_the_same_role_with_the_same_scope_cannot_be_given_twice(
    agency: Agency, admin_user: User, dinkes_admin: User, units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationError, match="already holds this role"):
        services.add_membership(
            actor=admin_user,
            agency=agency,
            user=dinkes_admin,
            role=Role.UNIT_ADMIN,
            unit=units["dinkes"],
        )
    assert Membership.objects.filter(user=dinkes_admin).count() == 1
    assert not AuditEvent.objects.exists()


def test_an_unscoped_role_cannot_be_given_twice(
    agency: Agency, admin_user: User, viewer: User
) -> None:
    with pytest.raises(ValidationError):
        services.add_membership(actor=admin_user, agency=agency, user=viewer, role=Role.VIEWER)
    assert Membership.objects.filter(user=viewer).count() == 1


def test_the_same_role_for_another_unit_is_a_new_membership(
    agency: Agency, admin_user: User, dinkes_admin: User, units: dict[str, Unit]
) -> None:
    services.add_membership(
        actor=admin_user,
        agency=agency,
        user=dinkes_admin,
        role=Role.UNIT_ADMIN,
        unit=units["disdik"],
    )
    assert set(Membership.objects.filter(user=dinkes_admin).values_list("unit", flat=True)) == {
        units["dinkes"].pk,
        units["disdik"].pk,
    }


# --- remove_membership -------------------------------------------------------------------


def test_the_last_agency_admin_cannot_be_removed(
    agency: Agency, admin_user: User, outsider: User
) -> None:
    # The outsider administers another agency; that does not count here.
    membership = Membership.objects.get(user=admin_user, agency=agency)
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.remove_membership(actor=admin_user, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.exists()


def test_an_admin_role_can_go_while_another_admin_remains(
    agency: Agency, admin_user: User, leader: User
) -> None:
    second = services.add_membership(
        actor=admin_user, agency=agency, user=leader, role=Role.AGENCY_ADMIN
    )
    first = Membership.objects.get(user=admin_user, agency=agency)
    services.remove_membership(actor=leader, membership=first)
    assert not Membership.objects.filter(pk=first.pk).exists()
    with pytest.raises(ValidationError):
        services.remove_membership(actor=leader, membership=second)
    assert Membership.objects.filter(pk=second.pk).exists()


def test_remove_membership_writes_an_audit_row_with_the_values_before(
    agency: Agency, admin_user: User, dinkes_admin: User, units: dict[str, Unit]
) -> None:
    membership = Membership.objects.get(user=dinkes_admin)
    pk = membership.pk
    services.remove_membership(actor=admin_user, membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_type="accounts.membership", object_id=str(pk))
    assert event.action == AuditAction.DELETE
    assert (event.actor, event.agency) == (admin_user, agency)
    assert event.after is None
    assert event.before["id"] == pk
    assert event.before["role"] == Role.UNIT_ADMIN
    assert event.before["user"] == dinkes_admin.pk
    assert event.before["agency"] == agency.pk
    assert event.before["unit"] == units["dinkes"].pk
    assert "Dinkes" in event.object_repr


def test_removing_a_role_in_one_agency_keeps_the_other(
    agency: Agency, other_agency: Agency, admin_user: User
) -> None:
    both = make_user(
        "dua.instansi", (agency, Role.VIEWER, None, None), (other_agency, Role.VIEWER, None, None)
    )
    services.remove_membership(actor=admin_user, membership=both.memberships.get(agency=agency))
    assert list(both.memberships.values_list("agency", flat=True)) == [other_agency.pk]
