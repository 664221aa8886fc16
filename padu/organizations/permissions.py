"""Who may see and change units and agency settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from padu.accounts.choices import Role
from padu.accounts.permissions import has_role, is_member

from .models import Agency, Region, Unit


def can_manage_agency(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, Role.AGENCY_ADMIN)


def units_visible_to(user: Any, agency: Agency | None) -> QuerySet[Unit]:
    """Units of the user's current agency; none for outsiders."""
    if agency is None or not is_member(user, agency):
        return Unit.objects.none()
    return Unit.objects.filter(agency=agency)


def get_unit_for_user(user: Any, agency: Agency | None, pk: Any, *, write: bool = False) -> Unit:
    """404 when the unit is not in the user's agency, 403 when they may only read it."""
    try:
        unit = units_visible_to(user, agency).select_related("parent", "region").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_manage_agency(user, agency):
        raise PermissionDenied
    return unit


def regions_of_agency(agency: Agency | None) -> QuerySet[Region]:
    """The agency's own region and everything under it."""
    if agency is None or agency.region is None:
        return Region.objects.none()
    code = agency.region.code
    return Region.objects.filter(code__startswith=code + ".") | Region.objects.filter(code=code)
