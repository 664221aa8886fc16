"""Who may do what in the data bank: predicates, scopes and fetchers.

- walidata (data custodian) and the agency admin: everything in their agency;
- produsen data (unit-scoped): the datasets and elements their OPD produces; verifies them;
- operator kelurahan (region-scoped): entry for their village (or the villages of their
  kecamatan), nothing else;
- everyone else with a role in the agency: read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from padu.accounts.choices import Role
from padu.accounts.permissions import has_role, memberships_of
from padu.organizations.models import Agency, Region

from .models import DataElement, Dataset

CUSTODIANS = (Role.DATA_CUSTODIAN, Role.AGENCY_ADMIN)
READERS = (
    Role.AGENCY_ADMIN,
    Role.SPBE_COORDINATOR,
    Role.UNIT_ADMIN,
    Role.INTERNAL_ASSESSOR,
    Role.LEADER,
    Role.VILLAGE_OPERATOR,
    Role.DATA_PRODUCER,
    Role.DATA_CUSTODIAN,
    Role.VIEWER,
)


def ancestors_of(code: str) -> list[str]:
    """The region codes above `code`, nearest last: 74.71.01.1001 -> 74, 74.71, 74.71.01."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def can_view_databank(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, *READERS)


def is_custodian(user: Any, agency: Agency | None) -> bool:
    return has_role(user, agency, *CUSTODIANS)


def producer_unit_ids(user: Any, agency: Agency | None) -> set[int]:
    if agency is None:
        return set()
    return {
        m.unit_id
        for m in memberships_of(user)
        if m.agency_id == agency.pk and m.role == Role.DATA_PRODUCER and m.unit_id
    }


def operator_region_codes(user: Any, agency: Agency | None) -> set[str]:
    """The regions (kecamatan or kelurahan) where the user is the village operator."""
    if agency is None:
        return set()
    return {
        m.region_id
        for m in memberships_of(user)
        if m.agency_id == agency.pk and m.role == Role.VILLAGE_OPERATOR and m.region_id
    }


def can_manage_metadata(user: Any, agency: Agency | None) -> bool:
    """Walidata and agency admins edit all metadata; producers edit their OPD's."""
    return is_custodian(user, agency) or bool(producer_unit_ids(user, agency))


def can_edit_dataset(user: Any, dataset: Dataset) -> bool:
    if is_custodian(user, dataset.agency):
        return True
    return dataset.producer_id is not None and dataset.producer_id in producer_unit_ids(
        user, dataset.agency
    )


def can_edit_element(user: Any, element: DataElement) -> bool:
    if is_custodian(user, element.agency):
        return True
    return element.producer_id is not None and element.producer_id in producer_unit_ids(
        user, element.agency
    )


def can_verify(user: Any, dataset: Dataset) -> bool:
    """Walidata and the producing OPD accept or return submitted values."""
    return can_edit_dataset(user, dataset)


def can_enter(user: Any, dataset: Dataset, region: Region) -> bool:
    """Operators enter for their own region (or those under it); custodians for any."""
    if is_custodian(user, dataset.agency):
        return True
    own = operator_region_codes(user, dataset.agency)
    return any(region.code == c or region.code.startswith(c + ".") for c in own)


def entry_regions(user: Any, dataset: Dataset) -> QuerySet[Region]:
    """The regions at the dataset's collection level this user may enter data for."""
    from padu.organizations.permissions import regions_of_agency

    regions = regions_of_agency(dataset.agency).filter(level=dataset.collection_level)
    if dataset.regions.exists():
        regions = regions.filter(pk__in=dataset.regions.values("pk"))
    if is_custodian(user, dataset.agency) or can_edit_dataset(user, dataset):
        return regions.order_by("code")
    own = operator_region_codes(user, dataset.agency)
    if not own:
        return regions.none()
    match = Q()
    for code in own:
        match |= Q(code=code) | Q(code__startswith=code + ".")
    return regions.filter(match).order_by("code")


def datasets_visible_to(user: Any, agency: Agency | None) -> QuerySet[Dataset]:
    if not can_view_databank(user, agency):
        return Dataset.objects.none()
    return Dataset.objects.filter(agency=agency)


def get_dataset_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> Dataset:
    """404 when the user cannot see it; PermissionDenied when they may only read it."""
    from django.core.exceptions import PermissionDenied

    try:
        dataset = datasets_visible_to(user, agency).select_related("agency", "producer").get(pk=pk)
    except (Dataset.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit_dataset(user, dataset):
        raise PermissionDenied
    return dataset


def get_element_for_user(
    user: Any, agency: Agency | None, pk: Any, *, write: bool = False
) -> DataElement:
    from django.core.exceptions import PermissionDenied

    if not can_view_databank(user, agency):
        raise Http404
    try:
        element = DataElement.objects.select_related("agency", "producer").get(pk=pk, agency=agency)
    except (DataElement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_edit_element(user, element):
        raise PermissionDenied
    return element
