"""Memberships and roles as permissions see them, and the choice of the current agency."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from padu.accounts.choices import Role
from padu.accounts.middleware import SESSION_KEY, CurrentAgencyMiddleware
from padu.accounts.models import Membership, User
from padu.accounts.permissions import (
    agencies_of,
    can_manage_users,
    get_user_for_admin,
    has_role,
    is_member,
    memberships_of,
    roles_in,
    users_of_agency,
)
from padu.organizations.models import Agency, Region, Unit


@pytest.fixture
def two_agency_user(agency: Agency, other_agency: Agency, units: dict[str, Unit]) -> User:
    """A leader and unit admin in Kendari who is also a viewer in Konawe Selatan."""
    return make_user(
        "dua.instansi",
        (agency, Role.LEADER, None, None),
        (agency, Role.UNIT_ADMIN, units["dinkes"], None),
        (other_agency, Role.VIEWER, None, None),
    )


def fresh(user: User) -> User:
    """The same user without the cached memberships."""
    return User.objects.get(pk=user.pk)


# --- memberships_of / roles_in / agencies_of ---------------------------------------------


def test_memberships_of_anonymous_is_empty(db: None) -> None:
    assert memberships_of(AnonymousUser()) == []
    assert memberships_of(None) == []


def test_memberships_of_lists_every_role_with_agency_unit_and_region_loaded(
    two_agency_user: User, village_operator: User, django_assert_num_queries: Any
) -> None:
    user = fresh(two_agency_user)
    with django_assert_num_queries(1):
        memberships = memberships_of(user)
        assert {
            (m.agency.slug, m.role, m.unit.acronym if m.unit else None) for m in memberships
        } == {
            ("kota-kendari", Role.LEADER, None),
            ("kota-kendari", Role.UNIT_ADMIN, "Dinkes"),
            ("konawe-selatan", Role.VIEWER, None),
        }
    operator = fresh(village_operator)
    with django_assert_num_queries(1):
        assert memberships_of(operator)[0].region.name == "Kambu"


def test_memberships_of_is_loaded_once_per_user_object(
    two_agency_user: User, agency: Agency, django_assert_num_queries: Any
) -> None:
    user = fresh(two_agency_user)
    memberships_of(user)
    with django_assert_num_queries(0):
        assert len(memberships_of(user)) == 3
        assert roles_in(user, agency) == {Role.LEADER, Role.UNIT_ADMIN}
        assert len(agencies_of(user)) == 2
    # Another object of the same user reads afresh.
    other = fresh(two_agency_user)
    with django_assert_num_queries(1):
        memberships_of(other)


def test_memberships_in_an_inactive_agency_do_not_count(
    two_agency_user: User, other_agency: Agency
) -> None:
    other_agency.is_active = False
    other_agency.save()
    user = fresh(two_agency_user)
    assert {m.agency_id for m in memberships_of(user)} == {
        m.agency_id for m in Membership.objects.filter(user=user).exclude(agency=other_agency)
    }
    assert roles_in(user, other_agency) == set()
    assert other_agency not in agencies_of(user)


def test_roles_in_gives_the_roles_of_one_agency_only(
    two_agency_user: User, agency: Agency, other_agency: Agency
) -> None:
    user = fresh(two_agency_user)
    assert roles_in(user, agency) == {Role.LEADER, Role.UNIT_ADMIN}
    assert roles_in(user, other_agency) == {Role.VIEWER}
    assert roles_in(user, None) == set()


def test_roles_in_is_empty_for_anonymous_and_for_non_members(
    agency: Agency, outsider: User
) -> None:
    assert roles_in(AnonymousUser(), agency) == set()
    assert roles_in(outsider, agency) == set()


def test_has_role_is_member_and_can_manage_users(
    two_agency_user: User, admin_user: User, agency: Agency, other_agency: Agency
) -> None:
    user = fresh(two_agency_user)
    assert has_role(user, agency, Role.AGENCY_ADMIN, Role.LEADER)
    assert not has_role(user, agency, Role.AGENCY_ADMIN)
    assert not has_role(user, other_agency, Role.LEADER)
    assert is_member(user, other_agency)
    assert not is_member(admin_user, other_agency)
    assert can_manage_users(admin_user, agency)
    assert not can_manage_users(user, agency)
    assert not can_manage_users(admin_user, None)


def test_agencies_of_lists_each_agency_once_by_name(
    two_agency_user: User, agency: Agency, other_agency: Agency
) -> None:
    # "Pemerintah Kabupaten Konawe Selatan" sorts before "Pemerintah Kota Kendari".
    assert agencies_of(fresh(two_agency_user)) == [other_agency, agency]


def test_agencies_of_anonymous_and_of_a_user_without_roles_is_empty(db: None) -> None:
    assert agencies_of(AnonymousUser()) == []
    assert agencies_of(make_user("tanpa.peran")) == []


def test_users_of_agency_lists_each_member_once(
    agency: Agency, two_agency_user: User, admin_user: User, outsider: User
) -> None:
    users = list(users_of_agency(agency))
    assert sorted(u.username for u in users) == ["admin", "dua.instansi"]


# --- get_user_for_admin ------------------------------------------------------------------


def test_admin_gets_a_user_of_their_agency(agency: Agency, admin_user: User, viewer: User) -> None:
    assert get_user_for_admin(admin_user, agency, viewer.pk) == viewer
    assert get_user_for_admin(admin_user, agency, str(viewer.pk)) == viewer


def test_admin_gets_404_for_a_user_of_another_agency(
    agency: Agency, admin_user: User, outsider: User
) -> None:
    with pytest.raises(Http404):
        get_user_for_admin(admin_user, agency, outsider.pk)


def test_admin_of_another_agency_gets_404_for_this_agencys_user(
    other_agency: Agency, outsider: User, viewer: User
) -> None:
    with pytest.raises(Http404):
        get_user_for_admin(outsider, other_agency, viewer.pk)


def test_a_user_in_two_agencies_is_reachable_by_both_admins(
    agency: Agency, other_agency: Agency, admin_user: User, outsider: User, two_agency_user: User
) -> None:
    assert get_user_for_admin(admin_user, agency, two_agency_user.pk) == two_agency_user
    assert get_user_for_admin(outsider, other_agency, two_agency_user.pk) == two_agency_user


def test_admin_cannot_reach_into_another_agency_by_naming_it(
    other_agency: Agency, admin_user: User, outsider: User
) -> None:
    with pytest.raises(Http404):
        get_user_for_admin(admin_user, other_agency, outsider.pk)


@pytest.mark.parametrize("persona", ["viewer", "leader", "dinkes_admin", "coordinator"])
def test_non_admin_members_get_404_even_for_themselves(
    request: pytest.FixtureRequest, agency: Agency, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        get_user_for_admin(user, agency, user.pk)


@pytest.mark.parametrize("pk", ["abc", None, "", 999_999, "1; DROP TABLE"])
def test_bad_or_unknown_ids_give_404(agency: Agency, admin_user: User, pk: Any) -> None:
    with pytest.raises(Http404):
        get_user_for_admin(admin_user, agency, pk)


def test_no_current_agency_gives_404(admin_user: User) -> None:
    with pytest.raises(Http404):
        get_user_for_admin(admin_user, None, admin_user.pk)


# --- CurrentAgencyMiddleware through the client ------------------------------------------


def current_agency_for(client: Client, chosen: Any = None) -> Any:
    if chosen is not None:
        session = client.session
        session[SESSION_KEY] = chosen
        session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    return response.wsgi_request.agency


def test_anonymous_requests_have_no_agency(client: Client, agency: Agency) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.wsgi_request.agency is None


def test_without_a_choice_the_first_agency_by_name_is_current(
    client: Client, two_agency_user: User, other_agency: Agency
) -> None:
    client.force_login(two_agency_user)
    assert current_agency_for(client) == other_agency


def test_the_chosen_agency_is_honoured_for_a_member(
    client: Client, two_agency_user: User, agency: Agency
) -> None:
    client.force_login(two_agency_user)
    assert current_agency_for(client, agency.pk) == agency


def test_a_chosen_agency_the_user_does_not_belong_to_is_ignored(
    client: Client, viewer: User, agency: Agency, other_agency: Agency
) -> None:
    client.force_login(viewer)
    assert current_agency_for(client, other_agency.pk) == agency


def test_a_chosen_agency_that_was_deactivated_is_ignored(
    client: Client, two_agency_user: User, agency: Agency, other_agency: Agency
) -> None:
    client.force_login(two_agency_user)
    agency.is_active = False
    agency.save()
    assert current_agency_for(client, agency.pk) == other_agency


@pytest.mark.parametrize("chosen", ["1", "kota-kendari", 999_999, [1]])
def test_a_malformed_or_unknown_choice_falls_back_to_the_first_agency(
    client: Client, viewer: User, agency: Agency, chosen: Any
) -> None:
    client.force_login(viewer)
    assert current_agency_for(client, chosen) == agency


def test_a_user_without_memberships_has_no_agency(client: Client, agency: Agency) -> None:
    client.force_login(make_user("tanpa.peran"))
    assert current_agency_for(client, agency.pk) is None


def test_losing_the_role_moves_the_user_out_of_the_agency(
    client: Client, two_agency_user: User, agency: Agency, other_agency: Agency
) -> None:
    client.force_login(two_agency_user)
    assert current_agency_for(client, agency.pk) == agency
    Membership.objects.filter(user=two_agency_user, agency=agency).delete()
    assert current_agency_for(client) == other_agency


# --- CurrentAgencyMiddleware and the time zone -------------------------------------------


def run_middleware(user: Any, chosen: Any = None) -> tuple[Any, str]:
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["agency"] = request.agency  # type: ignore[attr-defined]
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    request.session = {SESSION_KEY: chosen} if chosen is not None else {}  # type: ignore[assignment]
    CurrentAgencyMiddleware(view)(request)
    return seen["agency"], seen["zone"]


def test_times_are_shown_in_the_current_agencys_zone(
    two_agency_user: User, agency: Agency, other_agency: Agency, regions: dict[str, Region]
) -> None:
    other_agency.timezone = "Asia/Jayapura"
    other_agency.save()
    try:
        assert run_middleware(fresh(two_agency_user), agency.pk) == (agency, "Asia/Makassar")
        assert run_middleware(fresh(two_agency_user), other_agency.pk) == (
            other_agency,
            "Asia/Jayapura",
        )
        assert run_middleware(AnonymousUser()) == (None, "Asia/Jakarta")
    finally:
        timezone.deactivate()
