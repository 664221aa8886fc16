"""Demo open data: the walidata publishes population (two versions) and basic education.

Runs after `padu.databank.demo.seed_databank`; does nothing when those datasets are missing
or something is already published, so running the demo again changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError

from padu.organizations.models import Agency

from .models import Dataset, Release
from .services_publishing import publish_release, publishable_periods

log = logging.getLogger(__name__)

# dataset code: [(period prefixes of one version, notes), ...]
PLAN: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "KEPENDUDUKAN": [
        (("2025",), "Rilis pertama: semester 1 dan 2 tahun 2025."),
        (("2025", "2026"), "Menambah semester 1 tahun 2026."),
    ],
    "PENDIDIKAN_DASAR": [(("2025",), "Data pendidikan dasar tahun ajaran 2025.")],
}


def seed_publication(agency: Agency, people: dict[str, Any]) -> list[Release]:
    """Publish the demo releases once; returns what was published."""
    walidata = people.get("walidata")
    if walidata is None or Release.objects.filter(dataset__agency=agency).exists():
        return []
    published = []
    for code, versions in PLAN.items():
        dataset = Dataset.objects.filter(agency=agency, code=code).first()
        if dataset is None:
            continue
        available = publishable_periods(dataset)
        previous: list[str] = []
        for prefixes, notes in versions:
            chosen = sorted(p for p in available if p.startswith(prefixes))
            if not chosen or chosen == previous:
                continue
            previous = chosen
            try:
                published.append(
                    publish_release(user=walidata, dataset=dataset, periods=chosen, notes=notes)
                )
            except ValidationError as exc:  # e.g. metadata gaps: leave it unpublished
                log.warning("demo: %s not published: %s", code, exc)
    return published
