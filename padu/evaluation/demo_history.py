"""Demo history for Kota Kendari: closed periods 2019 (5/2018) and 2021-2024 (59/2020).

External levels are chosen deterministically so that each year's index lands close to a target:
2022 on the published 2.02 (the only published Kendari figure), the others on a plausible path
from the national averages towards the 2025 demo year.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from padu.organizations.models import Agency, Unit

from .choices import AssessmentStatus, PeriodStatus, Stage
from .index import shape_for
from .models import Assessment, Instrument, Period, StageWindow
from .scoring import InstrumentShape, ItemKey, compute, round_half_up

# year -> (instrument code, target index, published index or None)
YEARS: dict[int, tuple[str, Decimal, Decimal | None]] = {
    2019: ("permenpanrb-5-2018", Decimal("1.91"), None),
    2021: ("permenpanrb-59-2020", Decimal("1.87"), None),
    2022: ("permenpanrb-59-2020", Decimal("2.02"), Decimal("2.02")),
    2023: ("permenpanrb-59-2020", Decimal("2.21"), None),
    2024: ("permenpanrb-59-2020", Decimal("2.38"), None),
}


def levels_towards(
    shape: InstrumentShape, target: Decimal, cap: Mapping[ItemKey, int]
) -> dict[ItemKey, int]:
    """Raise levels one step at a time in a fixed order, never past `target` (+0.0049), until
    no step fits: the result is deterministic and within one small step of the target."""
    keys = sorted((key for key, _w, _a in shape.items), key=lambda k: ((k[0] * 7) % 11, k))
    levels = dict.fromkeys(keys, shape.min_level)
    limit = target + Decimal("0.0049")
    moved = True
    while moved:
        moved = False
        for key in keys:
            if levels[key] >= cap.get(key, shape.max_level):
                continue
            levels[key] += 1
            if compute(shape, levels).index <= limit:
                moved = True
            else:
                levels[key] -= 1
    return levels


def _instrument(code: str) -> Instrument | None:
    return Instrument.objects.filter(agency__isnull=True, code=code).order_by("-version").first()


def seed_history(agency: Agency) -> list[Period]:
    """Create the missing earlier periods (bulk, no audit rows: this is demo history)."""
    from .demo import EXTERNAL_2025, LEAD_UNITS

    existing = set(Period.objects.filter(agency=agency).values_list("year", flat=True))
    units: dict[str, Unit] = {u.acronym: u for u in agency.units.all()}
    created = []
    for year, (code, target, published) in YEARS.items():
        instrument = _instrument(code)
        if year in existing or instrument is None:
            continue
        shape = shape_for(instrument)
        is_59 = code == "permenpanrb-59-2020"
        cap = {
            key: (min(5, EXTERNAL_2025[key[0] - 1] + 1) if is_59 else 3)
            for key, _w, _a in shape.items
        }
        levels = levels_towards(shape, target, cap)
        index = published or round_half_up(compute(shape, levels).index)
        period = Period.objects.create(
            agency=agency,
            year=year,
            instrument=instrument,
            status=PeriodStatus.CLOSED,
            external_index=index,
        )
        StageWindow.objects.bulk_create(
            [
                StageWindow(
                    period=period,
                    stage=Stage.SELF_ASSESSMENT,
                    starts_on=datetime.date(year, 2, 3),
                    ends_on=datetime.date(year, 3, 14),
                ),
                StageWindow(
                    period=period,
                    stage=Stage.RESULTS,
                    starts_on=datetime.date(year, 11, 1),
                    ends_on=datetime.date(year, 12, 31),
                ),
            ]
        )
        fallback = units.get("Diskominfo")
        Assessment.objects.bulk_create(
            Assessment(
                period=period,
                indicator=indicator,
                slot=slot,
                lead_unit=units.get(LEAD_UNITS.get(indicator.number, ""), fallback)
                if is_59
                else fallback,
                claimed_level=min(5, levels[(indicator.number, slot)] + indicator.number % 2),
                validated_level=levels[(indicator.number, slot)],
                external_level=levels[(indicator.number, slot)],
                status=AssessmentStatus.ACCEPTED,
            )
            for indicator in instrument.indicators.order_by("number")
            for slot in range(1, indicator.slots + 1)
        )
        created.append(period)
    return created
