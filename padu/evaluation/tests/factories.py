"""Builders for evaluation service tests: a tiny instrument, a period with stage windows
placed around today, users with one membership, and evidence."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from padu.accounts.models import Membership, User
from padu.evaluation.choices import EvidenceKind, InstrumentStatus, PeriodStatus, Stage
from padu.evaluation.models import (
    Aspect,
    Assessment,
    Criterion,
    Domain,
    Evidence,
    Indicator,
    Instrument,
    Level,
    Period,
    StageWindow,
)
from padu.evaluation.permissions import today_in
from padu.organizations.models import Agency, Unit

BANDS = [
    {"name": "Kurang", "min": "1.0", "max": "1.8", "max_inclusive": False},
    {"name": "Cukup", "min": "1.8", "max": "2.6", "max_inclusive": False},
    {"name": "Baik", "min": "2.6", "max": "3.5", "max_inclusive": False},
    {"name": "Sangat Baik", "min": "3.5", "max": "4.2", "max_inclusive": False},
    {"name": "Memuaskan", "min": "4.2", "max": "5.0", "max_inclusive": True},
]

# (number, aspect code, weight, names a sector service)
TINY_INDICATORS = [
    (1, "A1", 30, False),
    (2, "A1", 30, False),
    (3, "A2", 40, True),
]
SERVICE_INDICATOR = 3
PASSWORD = "factory-password-2026"

# Offsets in days from today (in the agency's time zone).
OPEN = (-5, 5)
FUTURE = (10, 20)
PAST = (-20, -10)


def criteria_per_level(level: int) -> int:
    """Odd levels have one criterion, even levels two."""
    return 2 if level % 2 == 0 else 1


def make_instrument(
    *, agency: Agency | None = None, code: str = "tiny", service_slots: int = 1
) -> Instrument:
    """One domain, two aspects, three indicators with levels 1-5 and 1-2 criteria per level;
    indicator 3 names a sector service and is scored `service_slots` times."""
    inst = Instrument.objects.create(
        agency=agency,
        code=code,
        version=1,
        title=f"Instrumen {code}",
        short_title=code,
        status=InstrumentStatus.VERIFIED,
        divisor=Decimal(100),
        predicates=BANDS,
        checksum="0" * 64,
        document="",
    )
    domain = Domain.objects.create(instrument=inst, code="D1", name="Tata Kelola", weight=100)
    aspects = {
        "A1": Aspect.objects.create(
            instrument=inst, domain=domain, code="A1", name="Kebijakan", weight=60, position=1
        ),
        "A2": Aspect.objects.create(
            instrument=inst, domain=domain, code="A2", name="Layanan", weight=40, position=2
        ),
    }
    for number, aspect_code, weight, service in TINY_INDICATORS:
        indicator = Indicator.objects.create(
            instrument=inst,
            aspect=aspects[aspect_code],
            number=number,
            code=str(number),
            name=f"Indikator {number}",
            weight=weight,
            kind="service" if service else "policy",
            requires_service_name=service,
            slots=service_slots if service else 1,
        )
        for level in range(1, 6):
            lv = Level.objects.create(indicator=indicator, level=level, name=f"Tingkat {level}")
            for position in range(1, criteria_per_level(level) + 1):
                Criterion.objects.create(
                    level=lv, position=position, text=f"Kriteria {number}.{level}.{position}"
                )
    return inst


def day(agency: Agency, offset: int) -> datetime.date:
    return today_in(agency) + datetime.timedelta(days=offset)


def span(agency: Agency, offsets: tuple[int, int]) -> tuple[datetime.date, datetime.date]:
    return day(agency, offsets[0]), day(agency, offsets[1])


def set_window(period: Period, stage: str, offsets: tuple[int, int]) -> StageWindow:
    """Place the window of `stage` at `offsets` days from today (creating it if needed)."""
    start, end = span(period.agency, offsets)
    window, _ = StageWindow.objects.update_or_create(
        period=period, stage=stage, defaults={"starts_on": start, "ends_on": end}
    )
    return window


def open_stage(period: Period, stage: str) -> StageWindow:
    return set_window(period, stage, OPEN)


def close_stage(period: Period, stage: str) -> StageWindow:
    """Move the window of `stage` into the past."""
    return set_window(period, stage, PAST)


def make_period(
    *,
    agency: Agency,
    instrument: Instrument,
    year: int = 2026,
    lead_unit: Unit | None = None,
    service_name: str = "Pelayanan Puskesmas",
) -> Period:
    """A period with the self-assessment open and the internal review still to come; every
    indicator slot led by `lead_unit`."""
    period = Period.objects.create(
        agency=agency, year=year, instrument=instrument, status=PeriodStatus.ACTIVE
    )
    set_window(period, Stage.SELF_ASSESSMENT, OPEN)
    set_window(period, Stage.INTERNAL_REVIEW, FUTURE)
    for indicator in instrument.indicators.order_by("number"):
        for slot in range(1, indicator.slots + 1):
            Assessment.objects.create(
                period=period,
                indicator=indicator,
                slot=slot,
                lead_unit=lead_unit,
                service_name=service_name if indicator.requires_service_name else "",
            )
    return period


def criteria_ids(indicator: Indicator, *levels: int) -> list[int]:
    """The criteria of the given levels of `indicator`, in order."""
    return list(
        Criterion.objects.filter(level__indicator=indicator, level__level__in=levels)
        .order_by("level__level", "position")
        .values_list("pk", flat=True)
    )


def criteria_up_to(indicator: Indicator, level: int) -> list[int]:
    return criteria_ids(indicator, *range(1, level + 1))


def make_user(username: str, agency: Agency, role: str, unit: Unit | None = None) -> User:
    """A user with one membership."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.id"
    )
    Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


def fresh(user: User) -> User:
    """The same user without the memberships cached on the object."""
    return User.objects.get(pk=user.pk)


class EvidenceFactory(DjangoModelFactory):
    """A link evidence item of the owner unit's agency."""

    class Meta:
        model = Evidence

    owner_unit: Any = None
    agency = factory.LazyAttribute(lambda o: o.owner_unit.agency)
    title = factory.Sequence(lambda n: f"Perwali Nomor {n} Tahun 2025")
    kind = EvidenceKind.REGULATION
    url = factory.Sequence(lambda n: f"https://jdih.kendarikota.go.id/perwali/{n}")
