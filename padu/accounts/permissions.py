"""Who may do what: predicates, scopes and fetchers for accounts and memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from padu.organizations.models import Agency

from .choices import Role
from .models import Membership, User


def memberships_of(user: Any) -> list[Membership]:
    """All memberships of `user`, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_padu_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, agency__is_active=True).select_related(
                "agency", "unit", "region"
            )
        )
        user._padu_memberships = cached
    return cached


def roles_in(user: Any, agency: Agency | None) -> set[str]:
    """The roles `user` holds in `agency`."""
    if agency is None:
        return set()
    return {m.role for m in memberships_of(user) if m.agency_id == agency.pk}


def has_role(user: Any, agency: Agency | None, *roles: str) -> bool:
    return bool(roles_in(user, agency) & set(roles))


def is_member(user: Any, agency: Agency | None) -> bool:
    return bool(roles_in(user, agency))


def can_manage_users(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, Role.AGENCY_ADMIN)


def agencies_of(user: Any) -> list[Agency]:
    """Agencies where `user` holds at least one role, by name."""
    seen: dict[int, Agency] = {}
    for m in memberships_of(user):
        seen.setdefault(m.agency_id, m.agency)
    return sorted(seen.values(), key=lambda a: a.name)


def users_of_agency(agency: Agency) -> QuerySet[User]:
    """Users holding any role in `agency`."""
    return User.objects.filter(memberships__agency=agency).distinct()


def get_user_for_admin(actor: Any, agency: Agency | None, pk: Any) -> User:
    """A user of the actor's agency that the actor may manage; 404 otherwise."""
    if not can_manage_users(actor, agency):
        raise Http404
    assert agency is not None
    try:
        return users_of_agency(agency).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_membership_for_admin(actor: Any, agency: Agency | None, pk: Any) -> Membership:
    """A membership in the actor's agency that the actor may remove; 404 otherwise."""
    if not can_manage_users(actor, agency):
        raise Http404
    try:
        return Membership.objects.select_related("user", "unit", "region").get(pk=pk, agency=agency)
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
