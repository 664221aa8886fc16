"""Who may do what in the catalog: predicates, scopes and fetchers.

Everyone with a role in the agency reads the register; Diskominfo (koordinator SPBE, admin
instansi) manages all of it and decides proposals; an admin OPD edits their own OPD's
applications, services and proposals only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from padu.accounts.choices import Role
from padu.accounts.permissions import has_role, is_member
from padu.organizations.models import Agency

from .models import Application, Integration, Proposal, Service

MANAGERS = (Role.SPBE_COORDINATOR, Role.AGENCY_ADMIN)


def can_view_catalog(user: Any, agency: Agency | None) -> bool:
    return is_member(user, agency)


def is_catalog_manager(user: Any, agency: Agency | None) -> bool:
    """Diskominfo: the koordinator SPBE and the agency admin."""
    return has_role(user, agency, *MANAGERS)


def own_unit_ids(user: Any, agency: Agency | None) -> set[int]:
    from padu.evaluation.permissions import unit_ids_of

    return unit_ids_of(user, agency, Role.UNIT_ADMIN)


def can_edit_unit_entry(user: Any, agency: Agency | None, unit_id: int | None) -> bool:
    """Diskominfo edits any entry; an admin OPD only entries owned by their OPD."""
    return is_catalog_manager(user, agency) or (
        unit_id is not None and unit_id in own_unit_ids(user, agency)
    )


def can_create_entries(user: Any, agency: Agency | None) -> bool:
    return is_catalog_manager(user, agency) or bool(own_unit_ids(user, agency))


def applications_visible_to(user: Any, agency: Agency | None) -> QuerySet[Application]:
    if not can_view_catalog(user, agency):
        return Application.objects.none()
    return Application.objects.filter(agency=agency)


def services_visible_to(user: Any, agency: Agency | None) -> QuerySet[Service]:
    if not can_view_catalog(user, agency):
        return Service.objects.none()
    return Service.objects.filter(agency=agency)


def integrations_visible_to(user: Any, agency: Agency | None) -> QuerySet[Integration]:
    if not can_view_catalog(user, agency):
        return Integration.objects.none()
    return Integration.objects.filter(agency=agency)


def proposals_visible_to(user: Any, agency: Agency | None) -> QuerySet[Proposal]:
    if not can_view_catalog(user, agency):
        return Proposal.objects.none()
    return Proposal.objects.filter(agency=agency)


def _fetch(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_application_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Application:
    """404 when the user cannot see it; PermissionDenied when they may only read it."""
    app: Application = _fetch(
        applications_visible_to(user, agency).select_related("owner_unit", "national"), pk
    )
    if write and not can_edit_unit_entry(user, agency, app.owner_unit_id):
        raise PermissionDenied
    return app


def get_service_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Service:
    service: Service = _fetch(services_visible_to(user, agency).select_related("owner_unit"), pk)
    if write and not can_edit_unit_entry(user, agency, service.owner_unit_id):
        raise PermissionDenied
    return service


def get_integration_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Integration:
    """Integrations are edited by Diskominfo or the consumer's OPD."""
    integration: Integration = _fetch(
        integrations_visible_to(user, agency).select_related("provider", "consumer"), pk
    )
    if write and not can_edit_unit_entry(user, agency, integration.consumer.owner_unit_id):
        raise PermissionDenied
    return integration


def get_proposal_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Proposal:
    proposal: Proposal = _fetch(proposals_visible_to(user, agency).select_related("unit"), pk)
    if write and not can_edit_unit_entry(user, agency, proposal.unit_id):
        raise PermissionDenied
    return proposal
