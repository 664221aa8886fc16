"""Writes for users and memberships; each one audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency, Region, Unit

from .choices import REGION_SCOPED_ROLES, UNIT_SCOPED_ROLES, Role
from .models import Membership, User

USER_FIELDS = ("full_name", "email", "nip", "phone", "is_active")


@transaction.atomic
def create_user(
    *,
    actor: Any,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    nip: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create an account for `agency` with a viewer role; without a password, mail a link."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, email=email, nip=nip, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record_create(user, actor=actor, agency=agency)
    # Without a role in the agency its administrators could not open the user to give one.
    add_membership(actor=actor, agency=agency, user=user, role=Role.VIEWER)
    if not password and email:
        transaction.on_commit(lambda: send_password_setup(user))
    return user


class _PasswordSetupForm(PasswordResetForm):
    """The reset form aimed at one user: Django's skips users without a usable password."""

    def __init__(self, user: User) -> None:
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email: str) -> Iterator[User]:
        return iter([self.user] if self.user.is_active else [])


def send_password_setup(user: User) -> None:
    """Mail the user a one-time link to choose a password (the password-reset flow)."""
    form = _PasswordSetupForm(user)
    if form.is_valid():
        from django.conf import settings

        domain = settings.SITE_URL.split("://", 1)[-1]
        form.save(
            domain_override=domain,
            use_https=settings.SITE_URL.startswith("https"),
            subject_template_name="accounts/email/password_setup_subject.txt",
            email_template_name="accounts/email/password_setup.txt",
        )


def resend_password_setup(*, actor: Any, agency: Agency, user: User) -> None:
    """Mail a fresh set-up link to a user who never chose a password (the first link
    expired or was lost; "forgot password" skips accounts without a usable password)."""
    if user.has_usable_password():
        raise ValidationError(_("This user has already chosen a password."))
    if not user.email:
        raise ValidationError(_("This user has no email address; add one first."))
    if not user.is_active:
        raise ValidationError(_("This user is inactive."))
    audit.record(
        action="update", actor=actor, agency=agency, instance=user, reason="password set-up link"
    )
    transaction.on_commit(lambda: send_password_setup(user))


@transaction.atomic
def update_user(*, actor: Any, agency: Agency, user: User, **fields: Any) -> User:
    """Change profile fields of a user of `agency`."""
    before = audit.snapshot(user)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise ValueError(name)
        setattr(user, name, value)
    if user.pk == getattr(actor, "pk", None) and not user.is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    user.full_clean(exclude=["password"])
    user.save()
    audit.record_update(user, before, actor=actor, agency=agency)
    return user


PROFILE_FIELDS = ("full_name", "email", "phone", "preferred_language")


@transaction.atomic
def update_profile(*, user: User, agency: Agency | None, **fields: Any) -> User:
    """A user changes their own profile."""
    before = audit.snapshot(user)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(name)
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record_update(user, before, actor=user, agency=agency)
    return user


def validate_scope(*, agency: Agency, role: str, unit: Unit | None, region: Region | None) -> None:
    """A role's unit or region must belong to the agency, and scoped roles need one."""
    errors: dict[str, str] = {}
    if unit is not None and unit.agency_id != agency.pk:
        errors["unit"] = _("This unit belongs to another agency.")
    if region is not None and (agency.region is None or not region.is_within(agency.region)):
        errors["region"] = _("This region lies outside the agency's area.")
    if role in UNIT_SCOPED_ROLES and unit is None:
        errors["unit"] = _("This role needs a unit.")
    if role in REGION_SCOPED_ROLES and region is None:
        errors["region"] = _("This role needs a region (kecamatan or kelurahan).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_membership(
    *,
    actor: Any,
    agency: Agency,
    user: User,
    role: str,
    unit: Unit | None = None,
    region: Region | None = None,
) -> Membership:
    """Give `user` a role in `agency`, optionally scoped to a unit or region."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    validate_scope(agency=agency, role=role, unit=unit, region=region)
    if Membership.objects.filter(
        user=user, agency=agency, role=role, unit=unit, region=region
    ).exists():
        raise ValidationError(_("The user already holds this role with this scope."))
    membership = Membership.objects.create(
        user=user, agency=agency, role=role, unit=unit, region=region
    )
    audit.record_create(membership, actor=actor, agency=agency)
    return membership


@transaction.atomic
def remove_membership(*, actor: Any, membership: Membership) -> None:
    """Take a role away; the last agency administrator cannot be removed."""
    agency = membership.agency
    if membership.role == Role.AGENCY_ADMIN:
        others = Membership.objects.filter(agency=agency, role=Role.AGENCY_ADMIN).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise ValidationError(_("An agency must keep at least one administrator."))
    audit.record_delete(membership, actor=actor, agency=agency)
    membership.delete()
