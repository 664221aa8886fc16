"""Writes on integrations: checked in Python first so the user reads a clear message; the
database constraints stay as the last guard."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency

from .models import Application, Integration, NationalApplication
from .permissions import can_edit_unit_entry

FIELDS = ("provider", "provider_national", "consumer", "method", "data_exchanged", "status", "note")


def check_integration(integration: Integration) -> None:
    """Refuse an integration without exactly one provider, to itself, or already registered."""
    if (integration.provider_id is None) == (integration.provider_national_id is None):
        raise ValidationError(
            {
                "provider": _(
                    "Choose one provider: an application of the register or a national one."
                )
            }
        )
    if integration.provider_id is not None and integration.provider_id == integration.consumer_id:
        raise ValidationError({"consumer": _("An application cannot be integrated with itself.")})
    for app in (integration.provider, integration.consumer):
        if app is not None and app.agency_id != integration.agency_id:
            raise ValidationError(_("This application belongs to another agency."))
    twins = Integration.objects.filter(
        consumer_id=integration.consumer_id, method=integration.method
    ).exclude(pk=integration.pk)
    if integration.provider_id is not None:
        twins = twins.filter(provider_id=integration.provider_id)
    else:
        twins = twins.filter(provider_national_id=integration.provider_national_id)
    if twins.exists():
        raise ValidationError(
            {
                "method": _(
                    "This integration is already registered: the same provider, consumer and method."
                )
            }
        )


def _check_actor(actor: Any, agency: Agency, consumer: Application) -> None:
    if not can_edit_unit_entry(actor, agency, consumer.owner_unit_id):
        raise PermissionDenied


@transaction.atomic
def create_integration(
    *,
    actor: Any,
    agency: Agency,
    consumer: Application,
    method: str,
    data_exchanged: str,
    provider: Application | None = None,
    provider_national: NationalApplication | None = None,
    status: str = "active",
    note: str = "",
) -> Integration:
    """Register provider -> consumer; an admin OPD may add integrations their application consumes."""
    _check_actor(actor, agency, consumer)
    integration = Integration(
        agency=agency,
        provider=provider,
        provider_national=provider_national,
        consumer=consumer,
        method=method,
        data_exchanged=data_exchanged,
        status=status,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    check_integration(integration)
    integration.full_clean(exclude=["created_by"], validate_constraints=False)
    integration.save()
    audit.record_create(integration, actor=actor, agency=agency)
    return integration


@transaction.atomic
def update_integration(*, actor: Any, integration: Integration, **fields: Any) -> Integration:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown integration fields: {sorted(unknown)}")
    _check_actor(actor, integration.agency, integration.consumer)
    before = audit.snapshot(integration)
    for name, value in fields.items():
        setattr(integration, name, value)
    _check_actor(actor, integration.agency, integration.consumer)
    check_integration(integration)
    integration.full_clean(exclude=["created_by"], validate_constraints=False)
    integration.save()
    audit.record_update(integration, before, actor=actor, agency=integration.agency)
    return integration


@transaction.atomic
def delete_integration(*, actor: Any, integration: Integration) -> None:
    _check_actor(actor, integration.agency, integration.consumer)
    audit.record_delete(integration, actor=actor, agency=integration.agency)
    integration.delete()
