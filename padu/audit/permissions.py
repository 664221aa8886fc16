"""Who may read the audit trail (nobody may change it)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from padu.accounts.choices import Role
from padu.accounts.permissions import has_role
from padu.organizations.models import Agency

from .models import AuditEvent


def can_view_audit(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, Role.AGENCY_ADMIN)


def events_visible_to(user: Any, agency: Agency | None) -> QuerySet[AuditEvent]:
    """Audit rows of the current agency, for its administrators only."""
    if not can_view_audit(user, agency):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(agency=agency)


def get_event_for_user(user: Any, agency: Agency | None, pk: Any) -> AuditEvent:
    try:
        return events_visible_to(user, agency).select_related("actor").get(pk=pk)
    except (AuditEvent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
