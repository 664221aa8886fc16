"""The audit trail cannot be changed or removed, not from Python and not with raw SQL."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from padu.audit.models import AppendOnlyError, AuditEvent
from padu.audit.services import _plain, record, snapshot


@pytest.fixture
def event(db: None) -> AuditEvent:
    return record(action="create", object_repr="Dinas Kesehatan")


def test_saving_an_existing_event_again_is_refused(event: AuditEvent) -> None:
    event.object_repr = "diubah"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET object_repr = 'diubah'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(event: AuditEvent, sql: str) -> None:
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "Dinas Kesehatan"


def test_bulk_queryset_delete_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_snapshot_masks_passwords_and_serialises_values(admin_user) -> None:
    data = snapshot(admin_user)
    assert data["password"] == "***"
    assert data["username"] == "admin"
    assert _plain(Decimal("2.75")) == "2.75"
    assert _plain(datetime.date(2026, 11, 22)) == "2026-11-22"


def test_an_audit_row_carries_the_request_it_came_from(client, admin_user, units) -> None:
    client.force_login(admin_user)
    response = client.post(
        "/organisasi/unit/baru/",
        {"name": "Dinas Perhubungan", "acronym": "Dishub", "kind": "dinas", "is_active": "on"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="organizations.unit", action="create")
    assert event.request_id == response["X-Request-ID"]
    assert event.request_path == "/organisasi/unit/baru/"
    assert event.ip_address == "127.0.0.1"
    assert event.actor == admin_user
    assert event.after["name"] == "Dinas Perhubungan"
