"""Fixtures for the evaluation service tests, built from `factories.py`.

Named `tiny_*` so they do not shadow `instrument` and `period` of `fixtures_mini.py`,
which the view tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from padu.evaluation.models import Assessment, Instrument, Period
from padu.organizations.models import Agency, Unit

from .factories import SERVICE_INDICATOR, make_instrument, make_period


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, so tests can compare the reasons they carry."""
    with translation.override("en"):
        yield


@pytest.fixture
def tiny_instrument(db: None) -> Instrument:
    return make_instrument()


@pytest.fixture
def tiny_period(agency: Agency, tiny_instrument: Instrument, units: dict[str, Unit]) -> Period:
    """Kendari 2026: self-assessment open today, internal review later; Dinkes leads all."""
    return make_period(agency=agency, instrument=tiny_instrument, lead_unit=units["dinkes"])


@pytest.fixture
def tiny_assessment(tiny_period: Period) -> Assessment:
    """Indicator 1 of the tiny period."""
    return tiny_period.assessments.select_related("indicator").get(indicator__number=1)


@pytest.fixture
def service_assessment(tiny_period: Period) -> Assessment:
    """The indicator that names a sector service."""
    return tiny_period.assessments.select_related("indicator").get(
        indicator__number=SERVICE_INDICATOR
    )
