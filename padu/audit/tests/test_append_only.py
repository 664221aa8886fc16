"""The audit trail cannot be changed or removed, not from Python and not with raw SQL.

Also: what a snapshot holds, and how `record` picks up the request it runs in.
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from padu.accounts.models import Membership, User
from padu.audit import services as audit
from padu.audit.models import AppendOnlyError, AuditAction, AuditEvent
from padu.audit.services import _plain, record, snapshot
from padu.core.request_context import RequestInfo, get_request_info
from padu.evaluation.models import Evidence, Instrument
from padu.organizations.models import Agency, Unit

UNIT_CREATE = "/organisasi/unit/baru/"
NEW_UNIT = {"name": "Dinas Perhubungan", "acronym": "Dishub", "kind": "dinas", "is_active": "on"}


@pytest.fixture
def event(db: None) -> AuditEvent:
    return record(action=AuditAction.CREATE, object_repr="Dinas Kesehatan", reason="awal")


def stored(event: AuditEvent) -> dict[str, Any]:
    return AuditEvent.objects.filter(pk=event.pk).values().get()


# --- Python guards -------------------------------------------------------------------------


def test_saving_an_existing_event_again_is_refused(event: AuditEvent) -> None:
    before = stored(event)
    event.object_repr = "diubah"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert stored(event) == before


def test_saving_with_update_fields_is_refused_too(event: AuditEvent) -> None:
    event.reason = "diubah"
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["reason"])
    assert stored(event)["reason"] == "awal"


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_new_event_can_still_be_saved(db: None) -> None:
    new = AuditEvent(action=AuditAction.LOGIN_FAILED, object_repr="x")
    new.save()
    assert new.pk is not None
    assert AuditEvent.objects.count() == 1


# --- database triggers ---------------------------------------------------------------------


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_the_append_only_triggers_are_installed(db: None) -> None:
    expected = {
        "postgresql": {"audit_event_no_change"},
        "sqlite": {"audit_event_no_update", "audit_event_no_delete"},
    }[connection.vendor]
    assert trigger_names() == expected


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET object_repr = 'diubah' WHERE id = %s",
        "UPDATE audit_auditevent SET actor_id = NULL, before = NULL WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update", "update-null", "delete"],
)
def test_the_database_refuses_raw_updates_and_deletes(event: AuditEvent, sql: str) -> None:
    before = stored(event)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert stored(event) == before


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET object_repr = 'diubah'", "DELETE FROM audit_auditevent"],
    ids=["update-all", "delete-all"],
)
def test_the_database_refuses_statements_over_the_whole_table(event: AuditEvent, sql: str) -> None:
    record(action=AuditAction.LOGOUT, object_repr="kedua")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert sorted(AuditEvent.objects.values_list("object_repr", flat=True)) == [
        "Dinas Kesehatan",
        "kedua",
    ]


def test_queryset_update_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="diubah")
    assert stored(event)["object_repr"] == "Dinas Kesehatan"


def test_queryset_delete_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_a_refused_change_leaves_the_connection_usable(event: AuditEvent) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    record(action=AuditAction.LOGIN_FAILED, object_repr="setelahnya")
    assert AuditEvent.objects.count() == 2


def test_deleting_the_actor_keeps_the_row_and_its_name(agency: Agency, viewer: User) -> None:
    """The actor link has no database constraint, so the row can outlive its user."""
    row = record(action=AuditAction.LOGIN, actor=viewer, agency=agency, object_repr=str(viewer))
    User.objects.filter(pk=viewer.pk).delete()
    kept = AuditEvent.objects.get(pk=row.pk)
    assert kept.actor_repr == "Viewer"
    assert kept.actor_id == viewer.pk


# --- snapshot ------------------------------------------------------------------------------


def test_snapshot_masks_a_set_password(admin_user: User) -> None:
    data = snapshot(admin_user)
    assert data["password"] == "***"
    assert admin_user.password not in json.dumps(data)
    assert data["username"] == "admin"


def test_snapshot_masks_an_unusable_password_too(db: None) -> None:
    user = User(username="baru")
    user.set_unusable_password()
    user.save()
    assert snapshot(user)["password"] == "***"


def test_snapshot_leaves_an_empty_password_empty(db: None) -> None:
    assert snapshot(User(username="kosong", password=""))["password"] == ""


def test_snapshot_holds_every_concrete_field_by_name_with_ids_for_relations(
    viewer: User, agency: Agency
) -> None:
    membership = Membership.objects.get(user=viewer)
    data = snapshot(membership)
    assert set(data) == {f.name for f in Membership._meta.concrete_fields}
    assert data["user"] == viewer.pk
    assert data["agency"] == agency.pk
    assert data["unit"] is None
    assert data["id"] == membership.pk


def test_snapshot_leaves_out_excluded_fields(agency: Agency) -> None:
    data = snapshot(agency, exclude=["logo", "created_at"])
    assert "logo" not in data and "created_at" not in data
    assert data["name"] == "Pemerintah Kota Kendari"


def test_snapshot_serialises_datetimes_in_iso_format(agency: Agency) -> None:
    data = snapshot(agency)
    assert data["created_at"] == agency.created_at.isoformat()
    assert datetime.datetime.fromisoformat(data["created_at"]) == agency.created_at
    assert data["is_active"] is True
    json.dumps(data)


def test_snapshot_serialises_dates(agency: Agency) -> None:
    evidence = Evidence(
        agency=agency,
        title="SK Tim SPBE",
        kind="document",
        document_date=datetime.date(2026, 1, 31),
    )
    data = snapshot(evidence)
    assert data["document_date"] == "2026-01-31"
    assert data["valid_until"] is None
    assert data["agency"] == agency.pk
    json.dumps(data)


def test_snapshot_serialises_decimals_as_exact_strings(instrument: Instrument) -> None:
    instrument.refresh_from_db()
    data = snapshot(instrument)
    assert data["divisor"] == "100.000"
    assert isinstance(data["predicates"], list)
    assert data["predicates"][0]["min"] == "1.0"
    json.dumps(data)


def test_snapshot_serialises_files_by_their_stored_name(agency: Agency) -> None:
    assert snapshot(agency)["logo"] == ""
    agency.logo.save("logo.png", ContentFile(b"\x89PNG"), save=True)
    assert snapshot(agency)["logo"] == agency.logo.name
    assert agency.logo.name.startswith("agency-logos/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (7, 7),
        (2.5, 2.5),
        ("teks", "teks"),
        (Decimal("2.75"), "2.75"),
        (Decimal("0.10"), "0.10"),
        (datetime.date(2026, 11, 22), "2026-11-22"),
        (datetime.time(8, 30), "08:30:00"),
        (
            datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC),
            "2026-11-22T09:00:00+00:00",
        ),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ([Decimal("1.5"), datetime.date(2026, 1, 1)], ["1.5", "2026-01-01"]),
        ((1, "a"), [1, "a"]),
        ({1: Decimal("3")}, {"1": "3"}),
        (object, str(object)),
    ],
)
def test_plain_turns_values_into_json_safe_ones(value: Any, expected: Any) -> None:
    assert _plain(value) == expected
    json.dumps(_plain(value))


# --- record --------------------------------------------------------------------------------


def test_record_outside_a_request_leaves_the_request_fields_empty(
    agency: Agency, admin_user: User, units: dict[str, Unit]
) -> None:
    assert get_request_info() == RequestInfo()
    row = record(
        action=AuditAction.CREATE, actor=admin_user, agency=agency, instance=units["dinkes"]
    )
    assert (row.request_id, row.request_method, row.request_path, row.user_agent) == (
        "",
        "",
        "",
        "",
    )
    assert row.ip_address is None
    assert (row.object_type, row.object_id, row.object_repr) == (
        "organizations.unit",
        str(units["dinkes"].pk),
        "Dinkes",
    )
    assert (row.actor, row.actor_repr, row.agency) == (admin_user, "Admin", agency)


def test_record_keeps_anonymous_actors_out(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    row = record(action=AuditAction.LOGIN_FAILED, actor=AnonymousUser(), object_repr="x" * 300)
    assert (row.actor, row.actor_repr) == (None, "")
    assert row.object_repr == "x" * 255


def test_record_update_writes_only_changed_fields_and_nothing_without_change(
    units: dict[str, Unit], admin_user: User
) -> None:
    unit = units["dinkes"]
    before = snapshot(unit)
    assert audit.record_update(unit, before, actor=admin_user, agency=unit.agency) is None
    unit.acronym = "Dinkes Kota"
    row = audit.record_update(unit, before, actor=admin_user, agency=unit.agency)
    assert row is not None
    assert (row.before, row.after) == ({"acronym": "Dinkes"}, {"acronym": "Dinkes Kota"})
    assert row.changed_fields == [("acronym", "Dinkes", "Dinkes Kota")]
    assert AuditEvent.objects.count() == 1


def test_record_delete_keeps_the_values_before(units: dict[str, Unit], admin_user: User) -> None:
    unit = units["inspektorat"]
    row = audit.record_delete(unit, actor=admin_user, agency=unit.agency, reason="digabung")
    assert row.action == AuditAction.DELETE
    assert row.before == snapshot(unit)
    assert (row.after, row.reason) == (None, "digabung")


def test_an_audit_row_carries_the_request_it_came_from(
    client: Client, admin_user: User, units: dict[str, Unit]
) -> None:
    client.force_login(admin_user)
    response = client.post(UNIT_CREATE, NEW_UNIT, HTTP_USER_AGENT="Uji/1.0")
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="organizations.unit", action=AuditAction.CREATE)
    assert len(response["X-Request-ID"]) == 36
    assert event.request_id == response["X-Request-ID"]
    assert event.request_method == "POST"
    assert event.request_path == UNIT_CREATE
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "Uji/1.0"
    assert event.actor == admin_user
    assert event.agency == admin_user.memberships.get().agency
    assert event.after["name"] == "Dinas Perhubungan"


def test_the_request_path_keeps_the_query_string(
    client: Client, admin_user: User, units: dict[str, Unit]
) -> None:
    client.force_login(admin_user)
    client.post(f"{UNIT_CREATE}?dari=daftar", NEW_UNIT)
    assert AuditEvent.objects.get(action=AuditAction.CREATE).request_path == (
        f"{UNIT_CREATE}?dari=daftar"
    )


def test_each_request_gets_its_own_id(client: Client, admin_user: User, units: Any) -> None:
    client.force_login(admin_user)
    first = client.post(UNIT_CREATE, NEW_UNIT)
    second = client.post(UNIT_CREATE, {**NEW_UNIT, "name": "Dinas Pariwisata", "acronym": "Dispar"})
    assert first["X-Request-ID"] != second["X-Request-ID"]
    ids = set(
        AuditEvent.objects.filter(action=AuditAction.CREATE).values_list("request_id", flat=True)
    )
    assert ids == {first["X-Request-ID"], second["X-Request-ID"]}


def test_an_incoming_request_id_of_sane_length_is_kept(
    client: Client, admin_user: User, units: Any
) -> None:
    client.force_login(admin_user)
    response = client.post(UNIT_CREATE, NEW_UNIT, HTTP_X_REQUEST_ID="proxy-req-0001")
    assert response["X-Request-ID"] == "proxy-req-0001"
    assert AuditEvent.objects.get(action=AuditAction.CREATE).request_id == "proxy-req-0001"


@pytest.mark.parametrize("incoming", ["pendek", "x" * 37])
def test_an_incoming_request_id_too_short_or_too_long_is_replaced(
    client: Client, admin_user: User, units: Any, incoming: str
) -> None:
    client.force_login(admin_user)
    response = client.post(UNIT_CREATE, NEW_UNIT, HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert str(uuid.UUID(response["X-Request-ID"])) == response["X-Request-ID"]
    assert AuditEvent.objects.get(action=AuditAction.CREATE).request_id == response["X-Request-ID"]


def test_forwarded_for_is_ignored_without_trusted_proxies(
    client: Client, admin_user: User, units: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    client.force_login(admin_user)
    client.post(UNIT_CREATE, NEW_UNIT, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AuditEvent.objects.get(action=AuditAction.CREATE).ip_address == "127.0.0.1"


def test_behind_one_trusted_proxy_the_last_forwarded_address_is_the_client(
    client: Client, admin_user: User, units: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(admin_user)
    client.post(UNIT_CREATE, NEW_UNIT, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert AuditEvent.objects.get(action=AuditAction.CREATE).ip_address == "203.0.113.9"


def test_the_request_context_is_cleared_after_the_response(
    client: Client, admin_user: User, units: Any
) -> None:
    client.force_login(admin_user)
    client.post(UNIT_CREATE, NEW_UNIT)
    assert get_request_info() == RequestInfo()
    assert record(action=AuditAction.LOGIN_FAILED).request_id == ""


def test_a_refused_form_writes_no_audit_row(client: Client, admin_user: User, units: Any) -> None:
    client.force_login(admin_user)
    response = client.post(UNIT_CREATE, {**NEW_UNIT, "name": "Dinas Kesehatan"})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(object_type="organizations.unit").exists()


def test_the_unit_create_url_is_the_one_under_test(db: None) -> None:
    assert reverse("organizations:unit_create") == UNIT_CREATE
