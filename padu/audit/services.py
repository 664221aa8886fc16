"""Writing audit rows. Services call these inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from padu.core.request_context import get_request_info

from .models import AuditAction, AuditEvent

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


SECRET_FIELDS = {"password"}


def snapshot(instance: models.Model, *, exclude: Iterable[str] = ()) -> Snapshot:
    """The concrete field values of `instance`, JSON-safe, secrets masked."""
    skip = set(exclude)
    data: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = "***" if field.name in SECRET_FIELDS and value else _plain(value)
    return data


def object_type(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def record(
    *,
    action: str,
    actor: Any = None,
    agency: Any = None,
    instance: models.Model | None = None,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    reason: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit row, filling in the current request's identity."""
    info = get_request_info()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        agency=agency,
        actor=actor_obj,
        actor_repr=str(actor_obj)[:150] if actor_obj else "",
        action=action,
        object_type=object_type(instance) if instance is not None else "",
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=(object_repr or (str(instance) if instance is not None else ""))[:255],
        before=before,
        after=after,
        reason=reason,
        request_id=info.request_id,
        request_method=info.method,
        request_path=info.path,
        ip_address=info.ip_address,
        user_agent=info.user_agent,
    )


def record_create(
    instance: models.Model, *, actor: Any, agency: Any, reason: str = ""
) -> AuditEvent:
    """Audit a newly created object."""
    return record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        instance=instance,
        after=snapshot(instance),
        reason=reason,
    )


def record_update(
    instance: models.Model, before: Snapshot, *, actor: Any, agency: Any, reason: str = ""
) -> AuditEvent | None:
    """Audit a change; writes nothing when no field changed."""
    after = snapshot(instance)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    if not changed:
        return None
    return record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=agency,
        instance=instance,
        before={k: before.get(k) for k in sorted(changed)},
        after={k: after.get(k) for k in sorted(changed)},
        reason=reason,
    )


def record_delete(
    instance: models.Model,
    *,
    actor: Any,
    agency: Any,
    before: Snapshot | None = None,
    reason: str = "",
) -> AuditEvent:
    """Audit a deletion; call before deleting so the id is still known."""
    return record(
        action=AuditAction.DELETE,
        actor=actor,
        agency=agency,
        instance=instance,
        before=before if before is not None else snapshot(instance),
        reason=reason,
    )
