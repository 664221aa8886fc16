"""Loading checked instrument files into the database (bulk, all-or-nothing, idempotent)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency

from .instrument_format import InstrumentSpec, parse_instrument
from .models import Aspect, Criterion, Domain, Indicator, Instrument, Level

BUNDLED_DIR = Path(__file__).resolve().parent / "instruments"


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    created: bool
    replaced: bool = False


def _build(instrument: Instrument, spec: InstrumentSpec) -> None:
    domains = {
        d.code: Domain(
            instrument=instrument,
            code=d.code,
            name=d.name,
            name_en=d.name_en,
            weight=d.weight,
            position=n,
        )
        for n, d in enumerate(spec.domains)
    }
    Domain.objects.bulk_create(domains.values())
    domain_of = {a.code: domains[d.code] for d in spec.domains for a in d.aspects}
    aspects = {
        a.code: Aspect(
            instrument=instrument,
            domain=domain_of.get(a.code),
            code=a.code,
            name=a.name,
            name_en=a.name_en,
            weight=a.weight,
            position=n,
        )
        for n, a in enumerate(spec.aspects)
    }
    Aspect.objects.bulk_create(aspects.values())
    indicators = {}
    for a in spec.aspects:
        for i in a.indicators:
            indicators[i.number] = Indicator(
                instrument=instrument,
                aspect=aspects[a.code],
                number=i.number,
                code=i.code,
                name=i.name,
                name_en=i.name_en,
                official_name=i.official_name,
                weight=i.weight,
                kind=i.kind,
                level_scale=i.level_scale,
                slots=i.slots,
                requires_service_name=i.requires_service_name,
                focus=i.focus,
            )
    Indicator.objects.bulk_create(indicators.values())
    levels: list[tuple[Level, list[str]]] = [
        (
            Level(
                indicator=indicators[i.number],
                level=lv.level,
                name=lv.name,
                name_en=lv.name_en,
                description=lv.description,
                description_en=lv.description_en,
                evidence_kinds=lv.evidence_kinds,
            ),
            lv.criteria,
        )
        for i in spec.indicators
        for lv in i.levels
    ]
    Level.objects.bulk_create(level for level, _criteria in levels)
    Criterion.objects.bulk_create(
        Criterion(level=level, position=n, text=text)
        for level, criteria in levels
        for n, text in enumerate(criteria)
    )


@transaction.atomic
def load_instrument(*, text: str, agency: Agency | None = None, actor: Any = None) -> LoadResult:
    """Load one instrument file; the same file again changes nothing, and a version already
    used by a period can only change by raising its version number."""
    spec = parse_instrument(text)
    checksum = hashlib.sha256(text.encode()).hexdigest()
    existing = Instrument.objects.filter(
        agency=agency, code=spec.code, version=spec.version
    ).first()
    if existing is not None and existing.checksum == checksum:
        return LoadResult(existing, created=False)
    if existing is not None:
        periods = list(existing.periods.values_list("year", flat=True))
        if periods:
            raise ValidationError(
                _(
                    "Version %(version)s of %(code)s is used by the periods %(years)s and cannot change; "
                    "raise the version number in the file."
                )
                % {
                    "version": spec.version,
                    "code": spec.code,
                    "years": ", ".join(map(str, periods)),
                }
            )
        existing.delete()
    instrument = Instrument.objects.create(
        agency=agency,
        code=spec.code,
        version=spec.version,
        title=spec.title,
        short_title=spec.short_title,
        status=spec.status,
        status_note=spec.status_note,
        min_level=spec.min_level,
        max_level=spec.max_level,
        divisor=spec.divisor,
        has_domains=spec.has_domains,
        predicates=spec.predicates,
        level_scales=spec.level_scales,
        source=spec.source,
        checksum=checksum,
        document=text,
    )
    _build(instrument, spec)
    audit.record_create(instrument, actor=actor, agency=agency)
    return LoadResult(instrument, created=True, replaced=existing is not None)


def load_bundled_instruments() -> list[LoadResult]:
    """The national instruments shipped in padu/evaluation/instruments/."""
    return [
        load_instrument(text=path.read_text(encoding="utf-8"))
        for path in sorted(BUNDLED_DIR.glob("*.yaml"))
    ]
