"""Account and user-management pages.

Permission cases first for every view (anonymous, another agency, read-only, writer), then
validation and behaviour.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PASSWORD, make_user
from padu.accounts.choices import Role
from padu.accounts.middleware import SESSION_KEY
from padu.accounts.models import Membership, Notification, User
from padu.audit.models import AuditAction, AuditEvent
from padu.organizations.models import Agency, Region, Unit

NEW_PASSWORD = "Kata-Sandi-Baru-2026!"


def assert_redirects_to_login(response: Any, next_url: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(next_url, safe='/')}"


def audit_rows(action: str, object_type: str) -> Any:
    return AuditEvent.objects.filter(action=action, object_type=object_type)


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def two_agency_viewer(agency: Agency, other_agency: Agency) -> User:
    """A viewer who holds a role in both agencies."""
    return make_user(
        "viewer.dua",
        (agency, Role.VIEWER, None, None),
        (other_agency, Role.VIEWER, None, None),
    )


# --- login / logout ---------------------------------------------------------------------


def test_anonymous_sees_login_page(client: Client, db: None) -> None:
    assert client.get(reverse("accounts:login")).status_code == 200


def test_signed_in_user_is_sent_home_from_login(client: Client, viewer: User) -> None:
    client.force_login(viewer)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_login_with_right_password_signs_in_and_is_audited(client: Client, viewer: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == viewer.pk
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=viewer).count() == 1


def test_login_with_wrong_password_shows_form_error_and_is_audited(
    client: Client, viewer: User
) -> None:
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": "salah"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_logout_is_post_only_and_audited(client: Client, viewer: User) -> None:
    client.force_login(viewer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=viewer).count() == 1


# --- password change and reset ----------------------------------------------------------


def test_anonymous_is_sent_to_login_from_password_change(client: Client, db: None) -> None:
    for name in ("accounts:password_change", "accounts:password_change_done"):
        url = reverse(name)
        assert_redirects_to_login(client.get(url), url)


def test_user_of_another_agency_changes_only_their_own_password(
    client: Client, outsider: User, admin_user: User
) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    admin_user.refresh_from_db()
    assert outsider.check_password(NEW_PASSWORD)
    assert admin_user.check_password(PASSWORD)


def test_read_only_member_can_change_own_password(client: Client, viewer: User) -> None:
    client.force_login(viewer)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    # The session survives the change.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(
    client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


def test_password_change_rejects_a_short_new_password(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "pendek", "new_password2": "pendek"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


def test_password_reset_pages_are_public(client: Client, db: None) -> None:
    for name in (
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client, viewer: User) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    uid = urlsafe_base64_encode(force_bytes(viewer.pk))
    token = default_token_generator.make_token(viewer)
    link = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    assert link in mail.outbox[0].body
    # The view swaps the token for a session marker, then shows the form.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response.url
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(
    client: Client, viewer: User
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "siapa@example.go.id"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_with_a_bad_token_does_not_show_the_form(
    client: Client, viewer: User
) -> None:
    uid = urlsafe_base64_encode(force_bytes(viewer.pk))
    link = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": "x-y"})
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


# --- profile ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_profile(client: Client, db: None) -> None:
    url = reverse("accounts:profile")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, {"full_name": "X"}), url)


def test_user_of_another_agency_edits_only_their_own_profile(
    client: Client, outsider: User, admin_user: User
) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Admin Konsel Baru",
            "email": "konsel@example.go.id",
            "phone": "",
            "preferred_language": "id",
        },
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    admin_user.refresh_from_db()
    assert outsider.full_name == "Admin Konsel Baru"
    assert admin_user.full_name == "Admin"


def test_read_only_member_edits_own_profile_and_language_cookie(
    client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Viewer Baru",
            "email": "viewer.baru@example.go.id",
            "phone": "0401-123",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert response.cookies["django_language"].value == "en"
    viewer.refresh_from_db()
    assert (viewer.full_name, viewer.email, viewer.preferred_language) == (
        "Viewer Baru",
        "viewer.baru@example.go.id",
        "en",
    )


def test_profile_change_writes_an_audit_row(client: Client, viewer: User) -> None:
    client.force_login(viewer)
    client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Viewer Baru",
            "email": viewer.email,
            "phone": "",
            "preferred_language": "id",
        },
    )
    assert audit_rows(AuditAction.UPDATE, "accounts.user").filter(object_id=str(viewer.pk)).exists()


def test_profile_with_a_bad_email_shows_field_error_and_changes_nothing(
    client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Baru", "email": "bukan-email", "phone": "", "preferred_language": "id"},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    admin_user.refresh_from_db()
    assert admin_user.full_name == "Admin"
    assert admin_user.email == "admin@example.go.id"


# --- notifications ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_notifications(client: Client, db: None) -> None:
    url = reverse("accounts:notification_list")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url), url)


def test_user_sees_and_marks_read_only_their_own_notifications(
    client: Client, viewer: User, outsider: User, agency: Agency
) -> None:
    Notification.objects.create(user=viewer, agency=agency, title="Untuk viewer")
    theirs = Notification.objects.create(user=outsider, title="Untuk admin Konsel")
    client.force_login(viewer)
    response = client.get(reverse("accounts:notification_list"))
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["Untuk viewer"]
    assert b"Untuk admin Konsel" not in response.content
    response = client.post(reverse("accounts:notification_list"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=viewer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- agency switch ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_agency_switch(client: Client, agency: Agency) -> None:
    url = reverse("accounts:agency_switch")
    assert_redirects_to_login(client.post(url, {"agency": agency.pk}), url)


def test_user_cannot_switch_to_an_agency_they_do_not_belong_to(
    client: Client, viewer: User, agency: Agency, other_agency: Agency
) -> None:
    client.force_login(viewer)
    session = client.session
    session[SESSION_KEY] = agency.pk
    session.save()
    response = client.post(reverse("accounts:agency_switch"), {"agency": other_agency.pk})
    assert response.status_code == 403
    assert client.session[SESSION_KEY] == agency.pk


def test_outsider_cannot_switch_into_this_agency(
    client: Client, outsider: User, agency: Agency
) -> None:
    client.force_login(outsider)
    for value in (agency.pk, "", "bukan-angka"):
        response = client.post(reverse("accounts:agency_switch"), {"agency": value})
        assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_viewer_of_two_agencies_switches_between_them(
    client: Client, two_agency_viewer: User, agency: Agency, other_agency: Agency, other_unit: Unit
) -> None:
    client.force_login(two_agency_viewer)
    response = client.post(reverse("accounts:agency_switch"), {"agency": other_agency.pk})
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session[SESSION_KEY] == other_agency.pk
    response = client.get(reverse("organizations:unit_list"))
    assert response.context["current_agency"] == other_agency
    assert [u.pk for u in response.context["page"]] == [other_unit.pk]
    response = client.post(
        reverse("accounts:agency_switch"),
        {"agency": agency.pk, "next": reverse("organizations:unit_list")},
    )
    assert response.status_code == 302
    assert response.url == reverse("organizations:unit_list")
    assert client.session[SESSION_KEY] == agency.pk


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/akun/", "javascript:alert(1)"]
)
def test_agency_switch_ignores_next_pointing_elsewhere(
    client: Client, two_agency_viewer: User, other_agency: Agency, target: str
) -> None:
    client.force_login(two_agency_viewer)
    response = client.post(
        reverse("accounts:agency_switch"), {"agency": other_agency.pk, "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session[SESSION_KEY] == other_agency.pk


def test_agency_switch_is_post_only(client: Client, two_agency_viewer: User) -> None:
    client.force_login(two_agency_viewer)
    assert client.get(reverse("accounts:agency_switch")).status_code == 405


# --- user list --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_user_list(client: Client, db: None) -> None:
    url = reverse("accounts:user_list")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.get(url, {"format": "csv"}), f"{url}?format=csv")


def test_user_list_of_another_agency_shows_only_its_own_users(
    client: Client, admin_user: User, dinkes_admin: User, viewer: User, outsider: User
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert [u.username for u in response.context["page"]] == ["admin.konsel"]
    for name in (b"opd.dinkes", b"Opd Dinkes", b">admin<"):
        assert name not in response.content
    rows = csv_rows(client.get(reverse("accounts:user_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["admin.konsel"]


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator", "leader"])
def test_non_admin_members_cannot_open_user_list(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_list"), {"format": "csv"}).status_code == 403


def test_user_without_any_agency_cannot_open_user_list(client: Client, db: None) -> None:
    loner = User.objects.create_user(username="tanpa.instansi", password=PASSWORD)
    client.force_login(loner)
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_admin_lists_the_agency_users(
    client: Client, admin_user: User, dinkes_admin: User, viewer: User, outsider: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert [u.username for u in response.context["page"]] == ["admin", "opd.dinkes", "viewer"]
    assert b"admin.konsel" not in response.content
    assert reverse("accounts:user_create").encode() in response.content


def test_user_list_filters_by_text_and_role_and_sorts(
    client: Client, admin_user: User, dinkes_admin: User, disdik_admin: User, viewer: User
) -> None:
    client.force_login(admin_user)
    url = reverse("accounts:user_list")
    names = lambda r: [u.username for u in r.context["page"]]  # noqa: E731
    assert names(client.get(url, {"q": "opd"})) == ["opd.dinkes", "opd.disdik"]
    assert names(client.get(url, {"role": Role.VIEWER})) == ["viewer"]
    assert names(client.get(url, {"sort": "-username"})) == [
        "viewer",
        "opd.disdik",
        "opd.dinkes",
        "admin",
    ]
    # An unknown sort key or role falls back instead of failing.
    assert client.get(url, {"sort": "password", "role": "root"}).status_code == 200


def test_user_list_csv_holds_the_agency_users_and_only_this_agencys_roles(
    client: Client, admin_user: User, dinkes_admin: User, two_agency_viewer: User, outsider: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("accounts:user_list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    by_username = {r[0]: r for r in rows[1:]}
    assert set(by_username) == {"admin", "opd.dinkes", "viewer.dua"}
    assert "Pemerintah Kota Kendari" in by_username["viewer.dua"][5]
    assert "Konawe Selatan" not in by_username["viewer.dua"][5]


# A fixed number per request; the same bound for 5 and 20 users shows nothing runs per user.
USER_LIST_MAX_QUERIES = 9
USER_CSV_MAX_QUERIES = 7


def _make_users(count: int, agency: Agency, unit: Unit) -> None:
    """`count` users, each with two roles in `agency` (one of them scoped to `unit`)."""
    for i in range(count):
        make_user(
            f"pegawai.{i:02d}",
            (agency, Role.VIEWER, None, None),
            (agency, Role.DATA_PRODUCER, unit, None),
        )


@pytest.mark.parametrize("count", [5, 20])
def test_user_list_query_count_does_not_grow_with_users(
    client: Client,
    admin_user: User,
    agency: Agency,
    units: dict[str, Unit],
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    _make_users(count, agency, units["dinkes"])
    client.force_login(admin_user)
    with django_assert_max_num_queries(USER_LIST_MAX_QUERIES):
        response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == count + 1
    with django_assert_max_num_queries(USER_CSV_MAX_QUERIES):
        rows = csv_rows(client.get(reverse("accounts:user_list"), {"format": "csv"}))
    assert len(rows) == count + 2


# --- user create ------------------------------------------------------------------------

NEW_USER = {
    "username": "pegawai.baru",
    "full_name": "Pegawai Baru",
    "email": "pegawai.baru@example.go.id",
    "nip": "199001012015031001",
    "phone": "",
    "password": "",
}


def test_anonymous_is_sent_to_login_from_user_create(client: Client, db: None) -> None:
    url = reverse("accounts:user_create")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, NEW_USER), url)
    assert not User.objects.filter(username="pegawai.baru").exists()


def test_admin_of_another_agency_creates_users_only_in_their_own_agency(
    client: Client, outsider: User, agency: Agency, other_agency: Agency
) -> None:
    client.force_login(outsider)
    response = client.post(reverse("accounts:user_create"), NEW_USER)
    assert response.status_code == 302
    created = User.objects.get(username="pegawai.baru")
    assert set(created.memberships.values_list("agency", flat=True)) == {other_agency.pk}
    event = audit_rows(AuditAction.CREATE, "accounts.user").get(object_id=str(created.pk))
    assert event.agency == other_agency


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator"])
def test_non_admin_members_cannot_create_users(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.post(reverse("accounts:user_create"), NEW_USER).status_code == 403
    assert not User.objects.filter(username="pegawai.baru").exists()


def test_admin_creates_a_user_who_gets_a_password_link_and_can_be_given_a_role(
    client: Client,
    admin_user: User,
    agency: Agency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("accounts:user_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_create"), NEW_USER)
    created = User.objects.get(username="pegawai.baru")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[created.pk])
    assert not created.has_usable_password()
    assert created.nip == "199001012015031001"
    assert [(m.agency, m.role) for m in created.memberships.all()] == [(agency, Role.VIEWER)]
    assert [m.to for m in mail.outbox] == [["pegawai.baru@example.go.id"]]
    event = audit_rows(AuditAction.CREATE, "accounts.user").get(object_id=str(created.pk))
    assert event.agency == agency
    assert event.actor == admin_user
    # The page the admin is sent to opens, so a role can be given next.
    assert client.get(response.url).status_code == 200
    # The mailed link lets the new user choose a password.
    link = re.search(r"/akun/sandi/atur/\S+/", mail.outbox[0].body)
    assert link is not None
    client.logout()
    form_url = client.get(link.group(0)).url
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    created.refresh_from_db()
    assert created.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "VIEWER"}, "username"),
        ({"username": "admin.konsel"}, "username"),
        ({"username": "nama dengan spasi"}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"email": "bukan-email"}, "email"),
        ({"nip": "19900101201503100"}, "nip"),
        ({"nip": "1990010120150310AB"}, "nip"),
        ({"password": "12345"}, "password"),
    ],
)
def test_user_create_with_bad_input_shows_field_error_and_creates_nothing(
    client: Client,
    admin_user: User,
    viewer: User,
    outsider: User,
    changes: dict[str, str],
    field: str,
) -> None:
    client.force_login(admin_user)
    users_before = User.objects.count()
    audit_before = AuditEvent.objects.count()
    response = client.post(reverse("accounts:user_create"), {**NEW_USER, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == users_before
    assert AuditEvent.objects.count() == audit_before


# --- user detail ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_user_detail(client: Client, viewer: User) -> None:
    url = reverse("accounts:user_detail", args=[viewer.pk])
    assert_redirects_to_login(client.get(url), url)


def test_admin_of_another_agency_cannot_see_this_agencys_users(
    client: Client, outsider: User, viewer: User, admin_user: User
) -> None:
    client.force_login(outsider)
    for user in (viewer, admin_user):
        assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[outsider.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_cannot_see_user_details(
    client: Client, persona: str, admin_user: User, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    # Not even their own record: the fetcher answers 404 for anyone who may not manage users.
    for pk in (admin_user.pk, user.pk):
        assert client.get(reverse("accounts:user_detail", args=[pk])).status_code == 404


def test_admin_sees_user_detail_with_only_this_agencys_roles(
    client: Client, admin_user: User, two_agency_viewer: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("accounts:user_detail", args=[two_agency_viewer.pk]))
    assert response.status_code == 200
    assert response.context["subject"] == two_agency_viewer
    assert [m.agency.slug for m in response.context["memberships"]] == ["kota-kendari"]
    assert b"Konawe Selatan" not in response.content


# --- user edit --------------------------------------------------------------------------


def _edit_data(user: User, **changes: Any) -> dict[str, Any]:
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "nip": user.nip,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login_from_user_edit(client: Client, viewer: User) -> None:
    url = reverse("accounts:user_edit", args=[viewer.pk])
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.post(url, _edit_data(viewer, full_name="X")), url)
    viewer.refresh_from_db()
    assert viewer.full_name == "Viewer"


def test_admin_of_another_agency_cannot_edit_this_agencys_users(
    client: Client, outsider: User, viewer: User
) -> None:
    client.force_login(outsider)
    url = reverse("accounts:user_edit", args=[viewer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_data(viewer, full_name="Dibajak")).status_code == 404
    viewer.refresh_from_db()
    assert viewer.full_name == "Viewer"


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_cannot_edit_users(
    client: Client, persona: str, disdik_admin: User, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    url = reverse("accounts:user_edit", args=[disdik_admin.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_data(disdik_admin, full_name="Dibajak")).status_code == 404
    disdik_admin.refresh_from_db()
    assert disdik_admin.full_name == "Opd Disdik"


def test_admin_edits_a_user_and_the_change_is_audited(
    client: Client, admin_user: User, viewer: User, agency: Agency
) -> None:
    client.force_login(admin_user)
    url = reverse("accounts:user_edit", args=[viewer.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, _edit_data(viewer, full_name="Viewer Baru", nip="198512312010011002")
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[viewer.pk])
    viewer.refresh_from_db()
    assert (viewer.full_name, viewer.nip) == ("Viewer Baru", "198512312010011002")
    event = audit_rows(AuditAction.UPDATE, "accounts.user").get(object_id=str(viewer.pk))
    assert event.agency == agency
    assert event.before == {"full_name": "Viewer", "nip": ""}
    assert event.after == {"full_name": "Viewer Baru", "nip": "198512312010011002"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nip": "19851231201001100"}, "nip"),
        ({"nip": "19851231201001100X"}, "nip"),
        ({"email": "bukan-email"}, "email"),
    ],
)
def test_user_edit_with_bad_input_shows_field_error_and_changes_nothing(
    client: Client, admin_user: User, viewer: User, changes: dict[str, str], field: str
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_edit", args=[viewer.pk]),
        _edit_data(viewer, full_name="Tidak Tersimpan", **changes),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    viewer.refresh_from_db()
    assert viewer.full_name == "Viewer"
    assert not audit_rows(AuditAction.UPDATE, "accounts.user").exists()


def test_admin_cannot_deactivate_their_own_account(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_edit", args=[admin_user.pk]), _edit_data(admin_user, is_active="")
    )
    assert response.status_code == 200
    assert "is_active" in response.context["form"].errors
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not audit_rows(AuditAction.UPDATE, "accounts.user").exists()


# --- membership add ---------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_membership_add(client: Client, viewer: User) -> None:
    url = reverse("accounts:membership_add", args=[viewer.pk])
    assert_redirects_to_login(client.post(url, {"role": Role.LEADER}), url)
    assert viewer.memberships.count() == 1


def test_admin_of_another_agency_cannot_give_roles_to_this_agencys_users(
    client: Client, outsider: User, viewer: User
) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:membership_add", args=[viewer.pk]), {"role": Role.AGENCY_ADMIN}
    )
    assert response.status_code == 404
    assert viewer.memberships.count() == 1


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_cannot_give_roles(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(
        reverse("accounts:membership_add", args=[user.pk]), {"role": Role.AGENCY_ADMIN}
    )
    assert response.status_code == 404
    assert not user.memberships.filter(role=Role.AGENCY_ADMIN).exists()


def test_admin_gives_a_scoped_role_and_it_is_audited(
    client: Client, admin_user: User, viewer: User, units: dict[str, Unit], agency: Agency
) -> None:
    client.force_login(admin_user)
    url = reverse("accounts:membership_add", args=[viewer.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"role": Role.UNIT_ADMIN, "unit": units["dinkes"].pk})
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[viewer.pk])
    membership = viewer.memberships.get(role=Role.UNIT_ADMIN)
    assert membership.unit == units["dinkes"]
    event = audit_rows(AuditAction.CREATE, "accounts.membership").get(object_id=str(membership.pk))
    assert event.agency == agency
    assert event.actor == admin_user


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": Role.UNIT_ADMIN}, "unit"),
        ({"role": Role.DATA_PRODUCER}, "unit"),
        ({"role": Role.VILLAGE_OPERATOR}, "region"),
        ({"role": "root"}, "role"),
        ({"role": Role.UNIT_ADMIN, "unit": "other_unit"}, "unit"),
        ({"role": Role.VILLAGE_OPERATOR, "region": "74.05.01"}, "region"),
        ({"role": Role.VILLAGE_OPERATOR, "region": "74.71"}, "region"),
    ],
)
def test_membership_add_with_bad_input_shows_field_error_and_adds_nothing(
    client: Client,
    admin_user: User,
    viewer: User,
    units: dict[str, Unit],
    other_unit: Unit,
    regions: dict[str, Region],
    data: dict[str, str],
    field: str,
) -> None:
    if data.get("unit") == "other_unit":
        data = {**data, "unit": str(other_unit.pk)}
    client.force_login(admin_user)
    response = client.post(reverse("accounts:membership_add", args=[viewer.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert viewer.memberships.count() == 1
    assert not audit_rows(AuditAction.CREATE, "accounts.membership").exists()


def test_giving_the_same_role_twice_is_refused(
    client: Client, admin_user: User, viewer: User
) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:membership_add", args=[viewer.pk]), {"role": Role.VIEWER}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert viewer.memberships.count() == 1


# --- membership remove ------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_membership_remove(client: Client, viewer: User) -> None:
    membership = viewer.memberships.get()
    url = reverse("accounts:membership_remove", args=[membership.pk])
    assert_redirects_to_login(client.post(url), url)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_of_another_agency_cannot_remove_this_agencys_roles(
    client: Client, outsider: User, viewer: User, two_agency_viewer: User
) -> None:
    client.force_login(outsider)
    kendari_roles = [
        viewer.memberships.get(),
        two_agency_viewer.memberships.get(agency__slug="kota-kendari"),
    ]
    for membership in kendari_roles:
        url = reverse("accounts:membership_remove", args=[membership.pk])
        assert client.post(url).status_code == 404
        assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_cannot_remove_roles(
    client: Client, persona: str, admin_user: User, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    membership = admin_user.memberships.get()
    assert (
        client.post(reverse("accounts:membership_remove", args=[membership.pk])).status_code == 404
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_removes_a_role_and_it_is_audited(
    client: Client, admin_user: User, viewer: User, agency: Agency
) -> None:
    client.force_login(admin_user)
    membership = viewer.memberships.get()
    url = reverse("accounts:membership_remove", args=[membership.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[viewer.pk])
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = audit_rows(AuditAction.DELETE, "accounts.membership").get(object_id=str(membership.pk))
    assert event.agency == agency
    assert event.before["role"] == Role.VIEWER


def test_the_last_agency_admin_cannot_be_removed(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    membership = admin_user.memberships.get()
    response = client.post(reverse("accounts:membership_remove", args=[membership.pk]), follow=True)
    assert response.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not audit_rows(AuditAction.DELETE, "accounts.membership").exists()


# --- resend the password set-up link ----------------------------------------------------


def test_anonymous_is_sent_to_login_from_resend_setup(client: Client, viewer: User) -> None:
    url = reverse("accounts:user_resend_setup", args=[viewer.pk])
    assert_redirects_to_login(client.post(url), url)


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "outsider"])
def test_only_the_agency_admin_may_resend_a_setup_link(
    client: Client, persona: str, viewer: User, request: pytest.FixtureRequest, mailoutbox: Any
) -> None:
    viewer.set_unusable_password()
    viewer.save()
    client.force_login(request.getfixturevalue(persona))
    url = reverse("accounts:user_resend_setup", args=[viewer.pk])
    assert client.post(url).status_code == 404
    assert mailoutbox == []


def test_admin_resends_the_setup_link_to_a_user_without_a_password(
    client: Client,
    admin_user: User,
    viewer: User,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(admin_user)
    url = reverse("accounts:user_resend_setup", args=[viewer.pk])
    detail = reverse("accounts:user_detail", args=[viewer.pk])
    assert b'data-testid="resend-setup"' not in client.get(detail).content  # has a password
    refused = client.post(url, follow=True)
    assert mailoutbox == []
    assert "sudah memilih kata sandi" in refused.content.decode()
    viewer.set_unusable_password()
    viewer.save()
    assert b'data-testid="resend-setup"' in client.get(detail).content
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == detail
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [viewer.email]
    assert "/akun/sandi/atur/" in mailoutbox[0].body
    assert audit_rows(AuditAction.UPDATE, "accounts.user").filter(object_id=str(viewer.pk)).exists()
