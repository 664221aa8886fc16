"""Writes for agencies and units; each one audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.audit import services as audit

from .choices import REGION_UNIT_KINDS
from .models import Agency, Region, Unit

UNIT_FIELDS = ("name", "acronym", "kind", "parent", "region", "is_active")
AGENCY_FIELDS = ("name", "timezone", "logo")


def _check_unit(unit: Unit) -> None:
    errors: dict[str, str] = {}
    agency = unit.agency
    if unit.parent is not None:
        if unit.parent.agency_id != agency.pk:
            errors["parent"] = _("The parent unit belongs to another agency.")
        node: Unit | None = unit.parent
        seen: set[int] = set()
        while node is not None and "parent" not in errors:
            # `seen` also stops on a loop made elsewhere (for example in Django admin).
            if (unit.pk is not None and node.pk == unit.pk) or node.pk in seen:
                errors["parent"] = _("A unit cannot be placed under itself.")
            seen.add(node.pk)
            node = node.parent
    if unit.region is not None and (
        agency.region is None or not unit.region.is_within(agency.region)
    ):
        errors["region"] = _("This region lies outside the agency's area.")
    same_name = Unit.objects.filter(agency=agency, name__iexact=unit.name).exclude(pk=unit.pk)
    if unit.name and same_name.exists():
        errors["name"] = _("This agency already has a unit with this name.")
    if unit.kind in REGION_UNIT_KINDS and (unit.region is None or unit.region.level < 3):
        errors["region"] = _("A kecamatan or kelurahan office must name the area it serves.")
    if errors:
        raise ValidationError(errors)
    unit.full_clean()


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    kind: str,
    acronym: str = "",
    parent: Unit | None = None,
    region: Region | None = None,
    is_active: bool = True,
) -> Unit:
    """Add a unit (OPD) to `agency`."""
    unit = Unit(
        agency=agency,
        name=name,
        acronym=acronym,
        kind=kind,
        parent=parent,
        region=region,
        is_active=is_active,
    )
    _check_unit(unit)
    unit.save()
    audit.record_create(unit, actor=actor, agency=agency)
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    """Change a unit's fields."""
    before = audit.snapshot(unit)
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            raise ValueError(name)
        setattr(unit, name, value)
    _check_unit(unit)
    unit.save()
    audit.record_update(unit, before, actor=actor, agency=unit.agency)
    return unit


@transaction.atomic
def update_agency(*, actor: Any, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's name, time zone or logo."""
    before = audit.snapshot(agency)
    for name, value in fields.items():
        if name not in AGENCY_FIELDS:
            raise ValueError(name)
        setattr(agency, name, value)
    agency.full_clean()
    agency.save()
    audit.record_update(agency, before, actor=actor, agency=agency)
    return agency
