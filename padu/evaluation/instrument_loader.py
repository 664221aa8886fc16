"""Loading checked instrument files into the database (bulk, all-or-nothing, idempotent)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency

from .instrument_format import InstrumentFormatError, InstrumentSpec, parse_instrument
from .models import Aspect, Criterion, Domain, Indicator, Instrument, Level

BUNDLED_DIR = Path(__file__).resolve().parent / "instruments"


@dataclass(frozen=True)
class LoadResult:
    instrument: Instrument
    created: bool
    replaced: bool = False

    @property
    def state(self) -> str:
        """created, replaced or unchanged (for command output)."""
        return "created" if self.created else "replaced" if self.replaced else "unchanged"


def bundled_files() -> list[Path]:
    """The national instrument files shipped in padu/evaluation/instruments/."""
    return sorted([*BUNDLED_DIR.glob("*.yaml"), *BUNDLED_DIR.glob("*.yml")])


def checksum_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(spec: InstrumentSpec, text: str) -> dict[str, Any]:
    return {
        "title": spec.title,
        "short_title": spec.short_title,
        "status": spec.status,
        "status_note": spec.status_note,
        "min_level": spec.min_level,
        "max_level": spec.max_level,
        "divisor": spec.divisor,
        "has_domains": spec.has_domains,
        "predicates": spec.predicates,
        "level_scales": spec.level_scales,
        "value_scale": spec.value_scale,
        "rounding": spec.rounding,
        "applies_from_year": spec.applies_from_year,
        "supersedes": spec.supersedes,
        "source": spec.source,
        "checksum": checksum_of(text),
        "document": text,
    }


def _build(instrument: Instrument, spec: InstrumentSpec) -> None:
    """Create the tree in five bulk inserts (domains, aspects, indicators, levels, criteria)."""
    domains = Domain.objects.bulk_create(
        Domain(
            instrument=instrument,
            code=d.code,
            name=d.name,
            name_en=d.name_en,
            weight=d.weight,
            position=n,
        )
        for n, d in enumerate(spec.domains)
    )
    domain_of = {
        a.code: domain for d, domain in zip(spec.domains, domains, strict=True) for a in d.aspects
    }
    aspects = Aspect.objects.bulk_create(
        Aspect(
            instrument=instrument,
            domain=domain_of.get(a.code),
            code=a.code,
            name=a.name,
            name_en=a.name_en,
            weight=a.weight,
            position=n,
        )
        for n, a in enumerate(spec.aspects)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            instrument=instrument,
            aspect=aspect,
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
            external_source=i.external_source,
            external_default=i.external_default,
        )
        for a, aspect in zip(spec.aspects, aspects, strict=True)
        for i in a.indicators
    )
    pairs = list(zip(spec.indicators, indicators, strict=True))
    levels = Level.objects.bulk_create(
        Level(
            indicator=indicator,
            level=lv.level,
            name=lv.name,
            name_en=lv.name_en,
            name_alt=lv.name_alt,
            description=lv.description,
            description_en=lv.description_en,
            evidence_kinds=lv.evidence_kinds,
        )
        for i, indicator in pairs
        for lv in i.levels
    )
    level_specs = [lv for i in spec.indicators for lv in i.levels]
    Criterion.objects.bulk_create(
        Criterion(level=level, position=n, text=text)
        for lv, level in zip(level_specs, levels, strict=True)
        for n, text in enumerate(lv.criteria)
    )


def _replace(existing: Instrument, spec: InstrumentSpec, text: str, actor: Any) -> None:
    """Rebuild a version that no period uses yet, keeping its id (and its pages' addresses)."""
    years = list(existing.periods.order_by("year").values_list("year", flat=True).distinct())
    if years:
        raise ValidationError(
            _(
                "Version %(version)s of %(code)s is used by the periods %(years)s and cannot change; "
                "raise the version number in the file."
            )
            % {"version": spec.version, "code": spec.code, "years": ", ".join(map(str, years))},
            code="instrument_in_use",
        )
    before = audit.snapshot(existing)
    try:
        existing.domains.all().delete()
        existing.indicators.all().delete()
        existing.aspects.all().delete()
    except ProtectedError as exc:  # something outside a period points at its indicators
        raise ValidationError(
            _("This instrument version is in use and cannot change; raise the version number."),
            code="instrument_in_use",
        ) from exc
    for name, value in _fields(spec, text).items():
        setattr(existing, name, value)
    existing.loaded_at = timezone.now()
    existing.save()
    _build(existing, spec)
    audit.record_update(existing, before, actor=actor, agency=existing.agency)


def _load(spec: InstrumentSpec, text: str, agency: Agency | None, actor: Any) -> LoadResult:
    existing = (
        Instrument.objects.select_for_update()
        .filter(agency=agency, code=spec.code, version=spec.version)
        .first()
    )
    if existing is not None and existing.checksum == checksum_of(text):
        return LoadResult(existing, created=False)
    if existing is not None:
        _replace(existing, spec, text, actor)
        return LoadResult(existing, created=False, replaced=True)
    try:
        with transaction.atomic():
            instrument = Instrument.objects.create(
                agency=agency, code=spec.code, version=spec.version, **_fields(spec, text)
            )
    except IntegrityError as exc:  # the same version loaded at the same moment
        raise ValidationError(
            _("This instrument version was loaded by someone else just now; try again."),
            code="instrument_race",
        ) from exc
    _build(instrument, spec)
    audit.record_create(instrument, actor=actor, agency=agency)
    return LoadResult(instrument, created=True)


def link_supersessions(agency: Agency | None) -> int:
    """Mark the versions that a loaded instrument of the same owner says it supersedes."""
    owned = Instrument.objects.filter(agency=agency)
    marked = 0
    for newer in owned.only("pk", "supersedes"):
        for ref in newer.supersedes or []:
            marked += (
                owned.filter(code=ref.get("code"), version=ref.get("version"))
                .exclude(pk=newer.pk)
                .exclude(superseded_by=newer)
                .update(superseded_by=newer)
            )
    return marked


@transaction.atomic
def load_instrument(*, text: str, agency: Agency | None = None, actor: Any = None) -> LoadResult:
    """Load one instrument file; the same file again changes nothing, and a version already
    used by a period can only change by raising its version number.

    Raises InstrumentFormatError (every fault with its place) or ValidationError.
    """
    result = _load(parse_instrument(text), text, agency, actor)
    link_supersessions(agency)
    return result


@transaction.atomic
def load_instrument_files(
    paths: Sequence[Path], *, agency: Agency | None = None, actor: Any = None
) -> list[tuple[Path, LoadResult]]:
    """Check every file first, then load them all; nothing is loaded when any file is bad."""
    checked: list[tuple[Path, InstrumentSpec, str]] = []
    faults: list[str] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
            checked.append((path, parse_instrument(text), text))
        except InstrumentFormatError as exc:
            faults += [f"{path.name}: {error}" for error in exc.errors]
        except UnicodeDecodeError:
            faults.append(f"{path.name}: {_('The file is not UTF-8 text.')}")
        except OSError as exc:
            faults.append(f"{path}: {exc.strerror or exc}")
    if faults:
        raise InstrumentFormatError(faults)
    loaded = [(path, _load(spec, text, agency, actor)) for path, spec, text in checked]
    link_supersessions(agency)
    return loaded


def load_bundled_instruments() -> list[LoadResult]:
    """The national instruments shipped with Padu (all of them, or none)."""
    return [result for _path, result in load_instrument_files(bundled_files())]
