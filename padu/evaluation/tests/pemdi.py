"""The Pemdi instrument (8/2026) for tests, and the reference file's worked example."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from padu.evaluation.instrument_loader import load_instrument
from padu.evaluation.models import Assessment, Instrument, Period
from padu.organizations.models import Agency, Unit

from .factories import make_period

PEMDI_FILE = Path(__file__).resolve().parents[1] / "instruments" / "pemdi-permenpanrb-8-2026.yaml"

# shared/reference/pemdi-permenpanrb-8-2026.yaml, worked_example_synthetic
WORKED = {
    1: "2.40", 2: "1.80", 3: "1.50", 4: "2.00", 5: "1.00", 6: "1.00", 7: "1.00", 8: "1.75",
    9: "1.00", 10: "1.25", 11: "1.00", 12: "1.00", 13: "2.00", 14: "1.50", 15: "1.25",
    16: "1.00", 17: "3.00", 18: "1.00", 19: "1.50", 20: "2.10",
}  # fmt: skip
ASPECTS_PUBLISHED = {
    "AS1": "2.10", "AS2": "1.75", "AS3": "1.20", "AS4": "1.07",
    "AS5": "1.75", "AS6": "1.60", "AS7": "1.86",
}  # fmt: skip
ASPECTS_SHOWN = {code: value.replace(".", ",") for code, value in ASPECTS_PUBLISHED.items()}
INDEX_EXACT = Decimal("1.605")
INDEX_PUBLISHED = Decimal("1.60")
EXTERNAL_INDEX = (5, 6, 7, 18)


def load_pemdi() -> Instrument:
    """The verified 8/2026 instrument (version 2) as Padu ships it."""
    return load_instrument(text=PEMDI_FILE.read_text(encoding="utf-8")).instrument


def make_pemdi_period(agency: Agency, lead_unit: Unit | None = None, year: int = 2026) -> Period:
    """A period of `agency` on 8/2026 with one assessment per indicator."""
    return make_period(agency=agency, instrument=load_pemdi(), year=year, lead_unit=lead_unit)


def make_claimed_pemdi_period(
    agency: Agency, lead_unit: Unit, fields: dict[int, dict[str, Decimal]] | None = None
) -> Period:
    """A 2026 period on 8/2026, every indicator led by `lead_unit` and claimed at level 1,
    with extra field values per indicator number (e.g. {1: {"claimed_value": 1.26}})."""
    instrument = load_pemdi()
    period = Period.objects.create(agency=agency, year=2026, instrument=instrument, status="active")
    Assessment.objects.bulk_create(
        Assessment(
            period=period,
            indicator=ind,
            lead_unit=lead_unit,
            claimed_level=1,
            **(fields or {}).get(ind.number, {}),
        )
        for ind in instrument.indicators.order_by("number")
    )
    return period
