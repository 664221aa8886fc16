"""Fixtures for the bulk-upload tests: an always-open copy of the test dataset, helpers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from padu.databank.models import Dataset, DatasetElement


@pytest.fixture
def import_dataset(dataset: Dataset, population: Any, coverage: Any) -> Dataset:
    """The test dataset with an entry window that never closes, and a maximum on PDD."""
    dataset.close_after_days = 0
    dataset.save()
    population.max_value = Decimal(100000)
    population.save()
    return dataset


@pytest.fixture
def yesno(agency: Any, default_combo: Any, import_dataset: Dataset) -> Any:
    from padu.databank.tests.conftest import make_element

    element = make_element(agency, default_combo.combo, "POSYANDU", "none", value_type="boolean")
    DatasetElement.objects.create(dataset=import_dataset, element=element, position=9)
    return element
