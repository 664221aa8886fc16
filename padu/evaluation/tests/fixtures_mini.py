"""A small instrument and period for evaluation view tests (registered in the root conftest)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from padu.evaluation.choices import InstrumentStatus, Stage
from padu.evaluation.models import (
    Aspect,
    Assessment,
    Criterion,
    Domain,
    Indicator,
    Instrument,
    Level,
    Period,
    StageWindow,
)
from padu.evaluation.permissions import today_in

BANDS = [
    {"name": "Kurang", "min": "1.0", "max": "1.8", "max_inclusive": False},
    {"name": "Cukup", "min": "1.8", "max": "2.6", "max_inclusive": False},
    {"name": "Baik", "min": "2.6", "max": "3.5", "max_inclusive": False},
    {"name": "Sangat Baik", "min": "3.5", "max": "4.2", "max_inclusive": False},
    {"name": "Memuaskan", "min": "4.2", "max": "5.0", "max_inclusive": True},
]


@pytest.fixture
def instrument(db: None) -> Instrument:
    """Two indicators (weights 60 and 40), each with one criterion per level."""
    inst = Instrument.objects.create(
        code="mini",
        version=1,
        title="Mini",
        short_title="Mini",
        status=InstrumentStatus.VERIFIED,
        divisor=Decimal(100),
        predicates=BANDS,
        checksum="0" * 64,
        document="",
    )
    domain = Domain.objects.create(instrument=inst, code="D1", name="Domain", weight=100)
    aspect = Aspect.objects.create(
        instrument=inst, domain=domain, code="A1", name="Aspek", weight=100
    )
    for number, weight in [(1, 60), (2, 40)]:
        ind = Indicator.objects.create(
            instrument=inst,
            aspect=aspect,
            number=number,
            code=str(number),
            name=f"Indikator {number}",
            weight=weight,
            kind="process",
        )
        for level in range(1, 6):
            lv = Level.objects.create(indicator=ind, level=level, name=f"L{level}")
            Criterion.objects.create(level=lv, text=f"Kriteria {number}.{level}")
    return inst


@pytest.fixture
def period(agency, instrument, units) -> Period:
    today = today_in(agency)
    p = Period.objects.create(agency=agency, year=2026, instrument=instrument, status="active")
    StageWindow.objects.create(
        period=p,
        stage=Stage.SELF_ASSESSMENT,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
    )
    StageWindow.objects.create(
        period=p,
        stage=Stage.INTERNAL_REVIEW,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
    )
    for ind in instrument.indicators.all():
        Assessment.objects.create(period=p, indicator=ind, lead_unit=units["dinkes"])
    return p


@pytest.fixture
def other_period(other_agency, instrument) -> Period:
    p = Period.objects.create(agency=other_agency, year=2026, instrument=instrument)
    Assessment.objects.create(period=p, indicator=instrument.indicators.first())
    return p
