"""Audit trail pages.

Permission cases first for every view (anonymous, another agency, read-only, writer), then
filters, export and query counts. There is no view that changes the trail.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from padu.accounts.models import User
from padu.audit import services as audit
from padu.audit.models import AuditAction, AuditEvent
from padu.organizations.models import Agency, Unit


def assert_redirects_to_login(response: Any, next_url: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(next_url, safe='/')}"


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def events(
    agency: Agency,
    other_agency: Agency,
    admin_user: User,
    outsider: User,
    units: dict[str, Unit],
    other_unit: Unit,
) -> dict[str, AuditEvent]:
    """Two rows of this agency, one of the other agency, one of no agency."""
    dinkes = units["dinkes"]
    return {
        "create": audit.record_create(dinkes, actor=admin_user, agency=agency),
        "update": audit.record(
            action=AuditAction.UPDATE,
            actor=admin_user,
            agency=agency,
            instance=units["disdik"],
            before={"acronym": "Disdik"},
            after={"acronym": "Disdikbud"},
            reason="Nomenklatur baru",
        ),
        "other": audit.record(
            action=AuditAction.UPDATE,
            actor=outsider,
            agency=other_agency,
            instance=other_unit,
            object_repr="Unit milik Konawe Selatan",
        ),
        "none": audit.record(action=AuditAction.LOGIN_FAILED, object_repr="penyusup"),
    }


# --- event list -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_audit_trail(client: Client, db: None) -> None:
    url = reverse("audit:event_list")
    assert_redirects_to_login(client.get(url), url)
    assert_redirects_to_login(client.get(url, {"format": "csv"}), f"{url}?format=csv")


def test_admin_of_another_agency_sees_only_their_own_audit_rows(
    client: Client, events: dict[str, AuditEvent], outsider: User
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    # force_login signs in too, and sign-ins are recorded for the agency
    assert [e.pk for e in response.context["page"] if e.action != "login"] == [events["other"].pk]
    for text in (b"Disdikbud", b"Dinkes", b"penyusup"):
        assert text not in response.content
    rows = csv_rows(client.get(reverse("audit:event_list"), {"format": "csv"}))
    assert [r[5] for r in rows[1:] if r[2] != "Masuk"] == ["Unit milik Konawe Selatan"]


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "coordinator", "leader", "assessor"])
def test_non_admin_members_cannot_read_the_audit_trail(
    client: Client, events: object, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get(reverse("audit:event_list"), {"format": "csv"}).status_code == 403


def test_user_without_any_agency_cannot_read_the_audit_trail(client: Client, db: None) -> None:
    loner = User.objects.create_user(username="tanpa.instansi", password="x-long-password-1")
    client.force_login(loner)
    assert client.get(reverse("audit:event_list")).status_code == 403


def test_admin_reads_the_agency_audit_trail_newest_first(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    rows = [e.pk for e in response.context["page"]]
    sign_in = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=admin_user)
    # The admin's own sign-in is recorded for the agency too, and is the newest row.
    assert rows == [sign_in.pk, events["update"].pk, events["create"].pk]
    assert response.context["object_types"] == ["organizations.unit"]
    assert b"Unit milik Konawe Selatan" not in response.content
    assert b"penyusup" not in response.content


def test_audit_trail_is_read_only(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    assert client.post(reverse("audit:event_list")).status_code == 405
    url = reverse("audit:event_detail", args=[events["create"].pk])
    assert client.post(url).status_code == 405


def test_audit_trail_filters(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    url = reverse("audit:event_list")

    def pks(**params: str) -> list[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return [e.pk for e in response.context["page"] if e.action != AuditAction.LOGIN]

    created, updated = events["create"].pk, events["update"].pk
    assert pks(action=AuditAction.CREATE) == [created]
    assert pks(object_type="organizations.unit") == [updated, created]
    assert pks(object_type="accounts.user") == []
    assert pks(q="Disdikbud") == [updated]
    assert pks(q=str(events["create"].object_id)) == [created]
    assert pks(actor="admin") == [updated, created]
    assert pks(actor="konsel") == []
    today = events["create"].created_at.date().isoformat()
    assert pks(**{"from": today, "to": today}) == [updated, created]
    assert pks(**{"from": "2999-01-01"}) == []
    # Bad values are ignored rather than failing.
    assert pks(action="hapus-semua", **{"from": "kemarin", "to": "31-12-2026"}) == [
        updated,
        created,
    ]


def test_audit_trail_csv_holds_this_agencys_rows_with_before_and_after(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    rows = csv_rows(client.get(reverse("audit:event_list"), {"format": "csv"}))
    assert len(rows[0]) == 11
    body = [r for r in rows[1:] if r[3] == "organizations.unit"]  # not the admin's sign-in
    assert [r[5] for r in body] == ["Disdikbud", "Dinkes"]
    update = body[0]
    assert update[1] == "Admin"
    assert update[3] == "organizations.unit"
    assert "Disdik" in update[6] and "Disdikbud" in update[7]
    before, after = json.loads(update[6]), json.loads(update[7])  # JSON, not Python's repr
    assert isinstance(before, dict) and after != before
    assert update[8] == "Nomenklatur baru"
    filtered = csv_rows(
        client.get(reverse("audit:event_list"), {"format": "csv", "action": AuditAction.CREATE})
    )
    assert [r[5] for r in filtered[1:]] == ["Dinkes"]  # a filter leaves the sign-in out


def test_a_date_that_is_not_one_is_said_and_left_out(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    every = client.get(reverse("audit:event_list"))
    response = client.get(reverse("audit:event_list"), {"from": "2026-13-01"})
    assert "“2026-13-01” is not a date" in response.content.decode()
    assert len(response.context["page"]) == len(every.context["page"])


# A fixed number per request; the same bound for 5 and 20 rows shows nothing runs per row.
EVENT_LIST_MAX_QUERIES = 7
EVENT_CSV_MAX_QUERIES = 4


@pytest.mark.parametrize("count", [5, 20])
def test_audit_trail_query_count_does_not_grow_with_rows(
    client: Client,
    agency: Agency,
    units: dict[str, Unit],
    admin_user: User,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    for i in range(count):
        unit = units["dinkes"] if i % 2 else units["disdik"]
        audit.record_create(unit, actor=admin_user, agency=agency, reason=f"baris {i}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(EVENT_LIST_MAX_QUERIES):
        response = client.get(reverse("audit:event_list"))
    assert len(response.context["page"]) == count + 1  # and the admin's sign-in
    with django_assert_max_num_queries(EVENT_CSV_MAX_QUERIES):
        rows = csv_rows(client.get(reverse("audit:event_list"), {"format": "csv"}))
    assert len(rows) == count + 2


# --- event detail -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login_from_audit_event(
    client: Client, events: dict[str, AuditEvent]
) -> None:
    url = reverse("audit:event_detail", args=[events["create"].pk])
    assert_redirects_to_login(client.get(url), url)


def test_admin_of_another_agency_cannot_open_this_agencys_audit_rows(
    client: Client, events: dict[str, AuditEvent], outsider: User
) -> None:
    client.force_login(outsider)
    for key in ("create", "update", "none"):
        url = reverse("audit:event_detail", args=[events[key].pk])
        assert client.get(url).status_code == 404, key
    own = reverse("audit:event_detail", args=[events["other"].pk])
    assert client.get(own).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin"])
def test_non_admin_members_cannot_open_audit_rows(
    client: Client, events: dict[str, AuditEvent], persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    # The fetcher answers 404: to them the row does not exist.
    url = reverse("audit:event_detail", args=[events["create"].pk])
    assert client.get(url).status_code == 404


def test_admin_opens_an_audit_row_with_its_changes(
    client: Client, events: dict[str, AuditEvent], admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("audit:event_detail", args=[events["update"].pk]))
    assert response.status_code == 200
    assert response.context["event"] == events["update"]
    assert b"Nomenklatur baru" in response.content
    assert b"Disdikbud" in response.content
    # Rows without an agency (failed sign-ins) belong to nobody's trail.
    url = reverse("audit:event_detail", args=[events["none"].pk])
    assert client.get(url).status_code == 404
