"""How complete a dataset's and an element's Satu Data metadata is (pure: duck-typed, no ORM).

Satu Data Indonesia (Perpres 39/2019) asks every data element for its konsep, definisi,
klasifikasi, ukuran and satuan, and a producer (produsen data); a dataset needs a
description, a producer, a licence and a sector (urusan), and each of its elements complete.
Publication requires no gaps (100%). The publishing helper calls `dataset_metadata_gaps`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _element_checks(element: Any) -> list[tuple[bool, str]]:
    """(present, message if missing) for each required element field."""
    checks = [
        (not _blank(element.name), _("Name is missing.")),
        (not _blank(element.concept), _("Concept (konsep) is missing.")),
        (not _blank(element.definition), _("Definition (definisi) is missing.")),
        (not _blank(element.classification), _("Classification (klasifikasi) is missing.")),
        (not _blank(element.measure), _("Measure (ukuran) is missing.")),
        (not _blank(element.unit_of_measure), _("Unit (satuan) is missing.")),
        (element.producer_id is not None, _("Producer OPD (produsen data) is missing.")),
    ]
    if element.value_type == "option":
        checks.append((element.option_set_id is not None, _("Option list is missing.")))
    return checks


def _dataset_checks(dataset: Any, element_count: int) -> list[tuple[bool, str]]:
    return [
        (not _blank(dataset.description), _("Description is missing.")),
        (dataset.producer_id is not None, _("Producer OPD (produsen data) is missing.")),
        (not _blank(dataset.licence), _("Licence is missing.")),
        (not _blank(dataset.group), _("Sector (urusan) is missing.")),
        (not _blank(dataset.tags), _("Tags are missing.")),
        (element_count > 0, _("The dataset has no data elements.")),
    ]


@dataclass(frozen=True)
class Completeness:
    filled: int
    total: int
    gaps: list[str] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal(100)
        raw = Decimal(self.filled * 100) / Decimal(self.total)
        return raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return not self.gaps


def element_completeness(element: Any) -> Completeness:
    checks = _element_checks(element)
    return Completeness(
        filled=sum(1 for ok, _msg in checks if ok),
        total=len(checks),
        gaps=[msg for ok, msg in checks if not ok],
    )


def element_metadata_gaps(element: Any) -> list[str]:
    """The missing Satu Data fields of an element, as translated sentences."""
    return element_completeness(element).gaps


def dataset_completeness(dataset: Any, elements: Iterable[Any] | None = None) -> Completeness:
    """The dataset's own fields and each element's, counted together.

    `elements` defaults to `dataset.elements.all()`; pass them to avoid a query."""
    items = list(dataset.elements.all() if elements is None else elements)
    checks = _dataset_checks(dataset, len(items))
    filled = sum(1 for ok, _msg in checks if ok)
    total = len(checks)
    gaps = [msg for ok, msg in checks if not ok]
    for element in items:
        part = element_completeness(element)
        filled += part.filled
        total += part.total
        gaps.extend(
            _("Element %(code)s: %(gap)s") % {"code": element.code, "gap": gap} for gap in part.gaps
        )
    return Completeness(filled=filled, total=total, gaps=gaps)


def dataset_metadata_gaps(dataset: Any, elements: Iterable[Any] | None = None) -> list[str]:
    """The missing metadata of a dataset and its elements; empty means publishable."""
    return dataset_completeness(dataset, elements).gaps
