"""Reads of the bulk-upload pages: who may import what, which jobs a user sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from padu.organizations.models import Agency, Region
from padu.organizations.permissions import regions_of_agency

from . import periods
from .imports.templates import TemplateRow
from .models import DataElement, Dataset, ImportJob, OptionCombo
from .permissions import (
    datasets_visible_to,
    entry_regions,
    is_custodian,
    operator_region_codes,
    producer_unit_ids,
)
from .ranges import range_text
from .services_values import shown


def can_import(user: Any, agency: Agency | None) -> bool:
    """Walidata, agency admins, producing OPDs and village operators may upload values."""
    return (
        is_custodian(user, agency)
        or bool(producer_unit_ids(user, agency))
        or bool(operator_region_codes(user, agency))
    )


def importable_datasets(user: Any, agency: Agency | None) -> QuerySet[Dataset]:
    """The datasets for which the user may enter values for at least one region."""
    if not can_import(user, agency):
        return Dataset.objects.none()
    visible = datasets_visible_to(user, agency)
    if is_custodian(user, agency):
        return visible.order_by("name")
    ids = [d.pk for d in visible if entry_regions(user, d).exists()]
    return Dataset.objects.filter(pk__in=ids).order_by("name")


def template_region_choices(user: Any, agency: Agency | None) -> list[tuple[str, str]]:
    """Kecamatan and villages (and the agency's own region) the user may pick a template for."""
    if agency is None:
        return []
    regions = regions_of_agency(agency).filter(level__gte=2)
    if not is_custodian(user, agency) and not producer_unit_ids(user, agency):
        own = operator_region_codes(user, agency)
        match = Q(pk__in=[])
        for code in own:
            match |= Q(code=code) | Q(code__startswith=code + ".")
        regions = regions.filter(match)
    return [(r.code, f"{r.code} {r.name}") for r in regions.order_by("code")[:3000]]


def region_in_agency(agency: Agency, code: str) -> Region:
    try:
        return regions_of_agency(agency).get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def default_period(dataset: Dataset, today: Any) -> str:
    """The period containing today (period type codes equal `periods` kinds)."""
    return periods.containing(today, dataset.period_type).code


def jobs_visible_to(user: Any, agency: Agency | None) -> QuerySet[ImportJob]:
    """A user's own imports; the walidata sees every import of the agency."""
    if agency is None:
        return ImportJob.objects.none()
    jobs = ImportJob.objects.filter(agency=agency).select_related("dataset", "user")
    if is_custodian(user, agency):
        return jobs
    return jobs.filter(user=user)


def get_job_for_user(user: Any, agency: Agency | None, pk: Any) -> ImportJob:
    try:
        return jobs_visible_to(user, agency).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- templates ------------------------------------------------------------


def template_regions(user: Any, dataset: Dataset, region: Region) -> list[Region]:
    """The regions of a template: the region itself or the enterable ones under it."""
    code = region.code
    return list(entry_regions(user, dataset).filter(Q(code=code) | Q(code__startswith=code + ".")))


def template_rows(dataset: Dataset, regions: Sequence[Region], period: str) -> list[TemplateRow]:
    from .services_values import values_for

    items = list(
        dataset.dataset_elements.select_related(
            "element__category_combo", "element__option_set"
        ).order_by("position", "pk")
    )
    elements = [de.element for de in items]
    combos: dict[int, list[OptionCombo]] = {}
    for oc in OptionCombo.objects.filter(
        combo_id__in={e.category_combo_id for e in elements}
    ).order_by("position", "pk"):
        combos.setdefault(oc.combo_id, []).append(oc)
    stored = values_for(
        element_ids=[e.pk for e in elements],
        region_ids=[r.code for r in regions],
        period_codes=[period],
    )
    out = []
    for region in regions:
        for e in elements:
            options = tuple(o.code for o in e.option_set.options.all()) if e.option_set else ()
            hint = _hint(e, options)
            cells = combos.get(e.category_combo_id, [])
            for oc in cells:
                dv = stored.get((e.pk, oc.pk, region.code, period))
                value = shown(dv.value, dv.text) if dv else ""
                if dv and e.value_type == "boolean" and dv.value is not None:
                    value = "ya" if dv.value else "tidak"
                out.append(
                    TemplateRow(
                        region.code,
                        region.name,
                        e.code,
                        e.name,
                        "" if len(cells) == 1 else oc.code,
                        "" if len(cells) == 1 else oc.name,
                        period,
                        value,
                        dv.comment if dv else "",
                        e.value_type,
                        hint,
                        options,
                    )
                )
    return out


def _hint(e: DataElement, options: tuple[str, ...]) -> str:
    parts = [str(e.get_value_type_display())]
    if e.unit_of_measure:
        parts.append(e.unit_of_measure)
    if e.min_value is not None or e.max_value is not None:
        parts.append(range_text(e.min_value, e.max_value))
    if options:
        parts.append(", ".join(options))
    return "; ".join(parts)[:250]
