"""Fixtures for entry, review and completeness tests: the current month of the test dataset."""

from __future__ import annotations

from typing import Any

import pytest

from padu.databank import periods
from padu.databank.models import Dataset, OptionCombo
from padu.evaluation.permissions import today_in


@pytest.fixture
def month(agency: Any) -> str:
    """The current month (agency time zone): inside the entry window."""
    return periods.containing(today_in(agency), periods.MONTHLY).code


@pytest.fixture
def kambu(regions: dict[str, Any]) -> Any:
    return regions["kel_kambu"]


@pytest.fixture
def alolama(regions: dict[str, Any]) -> Any:
    return regions["kel_alolama"]


@pytest.fixture
def cells(dataset: Dataset, population: Any, births: Any, coverage: Any) -> dict[str, Any]:
    """(element id, option combo id) of every cell of the test dataset by a short name."""
    male, female = list(OptionCombo.objects.filter(combo=population.category_combo))
    default = OptionCombo.objects.get(combo=births.category_combo)
    return {
        "pdd_l": (population.pk, male.pk),
        "pdd_p": (population.pk, female.pk),
        "lahir": (births.pk, default.pk),
        "imun": (coverage.pk, default.pk),
    }
