"""Writes for history and benchmarks: result imports, published national results, peers."""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.choices import RegionLevel
from padu.organizations.models import Agency, Region
from padu.organizations.regions_import import DATA_DIR, region_kind

from . import services
from .index import shape_for
from .models import Assessment, Peer, Period, PublishedResult
from .results_import import (
    EXTERNAL_COLUMNS,
    EXTERNAL_REQUIRED,
    Change,
    RowProblem,
    TableError,
    changes,
    check_external,
    read_table,
)
from .results_published import PUBLISHED_COLUMNS, PUBLISHED_REQUIRED, PublishedRow, check_published
from .scoring import HUNDREDTH, Value, check_value

PUBLISHED_FILE = Path(__file__).resolve().parent / "data" / "published_results.yaml"


@dataclass(frozen=True)
class ChangeRow:
    """One line of the dry run: the indicator, its value now and after the import."""

    label: str
    before: str
    after: str
    index_source: str = ""  # scored from another agency's index (Pemdi IK5, IK6, IK7, IK18)


@dataclass
class ImportPreview:
    """The outcome of a check: problems (nothing may be applied) or the changes to apply."""

    file_error: str = ""
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    labels: dict[tuple[int, int], str] = field(default_factory=dict)
    published: list[PublishedRow] = field(default_factory=list)
    decimal: bool = False
    index_sources: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.problems

    @property
    def change_rows(self) -> list[ChangeRow]:
        return [
            ChangeRow(
                self.labels.get(c.key, str(c.key)),
                self._shown(c.before),
                self._shown(c.after),
                self.index_sources.get(c.key, ""),
            )
            for c in self.changes
        ]

    def _shown(self, value: Value | None) -> str:
        if value is None:
            return "—"
        return formats.number_format(value, 2) if self.decimal else str(value)


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _period_assessments(period: Period) -> dict[tuple[int, int], Assessment]:
    return {
        (a.indicator.number, a.slot): a
        for a in period.assessments.select_related("indicator").order_by("indicator__number")
    }


def current_external(a: Assessment, *, decimal: bool) -> Value | None:
    """The LHE figure an assessment holds now (a whole level counts as its value)."""
    if not decimal:
        return a.external_level
    if a.external_value is not None:
        return a.external_value
    return None if a.external_level is None else Decimal(a.external_level).quantize(HUNDREDTH)


def preview_external_import(period: Period, data: bytes) -> ImportPreview:
    """Read and check the file against the period's instrument; list what would change."""
    instrument = period.instrument
    preview = ImportPreview(decimal=instrument.is_decimal)
    assessments = _period_assessments(period)
    slots: dict[int, int] = {}
    for number, _slot in assessments:
        slots[number] = slots.get(number, 0) + 1
    try:
        table, preview.problems = read_table(data, EXTERNAL_COLUMNS, EXTERNAL_REQUIRED)
    except TableError as exc:
        preview.file_error = str(exc)
        return preview
    check = check_external(
        table,
        slots=slots,
        min_level=instrument.min_level,
        max_level=instrument.max_level,
        year=period.year,
        decimal=instrument.is_decimal,
        codes={a.indicator.code: number for (number, _s), a in assessments.items()},
    )
    preview.problems = sorted([*preview.problems, *check.problems], key=lambda p: p.line)
    current = {key: current_external(a, decimal=preview.decimal) for key, a in assessments.items()}
    preview.changes = changes(current, check.levels)
    preview.labels = {
        key: f"{a.indicator.code}. {a.indicator.name}"
        + (f" ({a.slot})" if a.indicator.slots > 1 else "")
        for key, a in assessments.items()
    }
    preview.index_sources = {
        key: a.indicator.external_source or str(_("another agency's index"))
        for key, a in assessments.items()
        if a.indicator.is_external_index
    }
    return preview


@transaction.atomic
def import_external_results(*, actor: Any, period: Period, data: bytes) -> ImportPreview:
    """Apply an external-results file all or nothing: whole levels through
    `set_external_results`, two-decimal values through `set_external_values`."""
    preview = preview_external_import(period, data)
    if not preview.ok:
        raise ValidationError(preview.file_error or _("The file has errors; nothing was applied."))
    assessments = _period_assessments(period)
    if preview.decimal:
        values = {
            assessments[c.key].pk: Decimal(c.after).quantize(HUNDREDTH) for c in preview.changes
        }
        set_external_values(actor=actor, period=period, values=values)
        return preview
    levels: dict[int, int | None] = {
        assessments[change.key].pk: int(change.after) for change in preview.changes
    }
    services.set_external_results(actor=actor, period=period, levels=levels)
    return preview


@transaction.atomic
def set_external_values(*, actor: Any, period: Period, values: Mapping[int, Decimal | None]) -> int:
    """Record two-decimal LHE values per assessment on a decimal instrument (Pemdi): the value
    in `external_value` and the level it lies in (its floor) in `external_level`."""
    instrument = period.instrument
    if not instrument.is_decimal:
        raise ValidationError(
            _("%(instrument)s scores whole levels; decimal values cannot be recorded.")
            % {"instrument": instrument.short_title}
        )
    assessments = {a.pk: a for a in period.assessments.select_related("indicator")}
    shape = shape_for(instrument)
    for pk, value in values.items():
        if pk not in assessments:
            raise ValidationError(_("An indicator does not belong to this period."))
        a = assessments[pk]
        if value is not None:
            try:
                check_value(shape, (a.indicator.number, a.slot), value)
            except ValueError as exc:
                raise ValidationError(
                    _(
                        "Indicator %(code)s: %(value)s is not a value from %(min)s to %(max)s "
                        "with two decimals."
                    )
                    % {
                        "code": a.indicator.code,
                        "value": value,
                        "min": formats.number_format(instrument.min_level, 2),
                        "max": formats.number_format(instrument.max_level, 2),
                    }
                ) from exc
    changed = []
    for pk, value in values.items():
        a = assessments[pk]
        level = None if value is None else int(value)
        if (a.external_value, a.external_level) == (value, level):
            continue
        audit.record(
            action="update",
            actor=actor,
            agency=period.agency,
            instance=a,
            before={"external_value": _text(a.external_value), "external_level": a.external_level},
            after={"external_value": _text(value), "external_level": level},
        )
        a.external_value, a.external_level = value, level
        changed.append(a)
    Assessment.objects.bulk_update(changed, ["external_value", "external_level"])
    return len(changed)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@functools.cache
def _wilayah() -> dict[str, tuple[str, str | None]]:
    """Province and regency codes of the bundled Kemendagri files: code -> (name, parent)."""
    out: dict[str, tuple[str, str | None]] = {}
    for filename, parent in (("provinces.csv", None), ("regencies.csv", "province_code")):
        with (DATA_DIR / filename).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                out[row["code"]] = (row["name"], row[parent] if parent else None)
    return out


def known_region_names() -> dict[str, str]:
    """Province and regency codes a published result may name, with their names."""
    names = {code: name for code, (name, _parent) in _wilayah().items()}
    names.update(Region.objects.filter(level__lte=RegionLevel.REGENCY).values_list("code", "name"))
    return names


def ensure_regions(codes: set[str]) -> None:
    """Create missing provinces and regencies from the bundled files (the demo loads one)."""
    wanted = set(codes)
    wanted |= {code.split(".")[0] for code in codes}
    missing = wanted - set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    data = _wilayah()
    for code in sorted(missing, key=len):
        if code not in data:
            continue
        name, parent = data[code]
        level = RegionLevel.PROVINCE if parent is None else RegionLevel.REGENCY
        Region.objects.create(
            code=code, name=name, level=level, kind=region_kind(level, code, name), parent_id=parent
        )


def preview_published_import(
    data: bytes, *, actor: Any = None, agency: Agency | None = None
) -> ImportPreview:
    """Check a file of published results. The table is shared by every agency on the server:
    a koordinator adds results that are missing and corrects their own agency's, but changing
    a figure already recorded for another agency or the national average is left to a
    platform administrator (a superuser), so one agency cannot rewrite another's history."""
    preview = ImportPreview()
    try:
        table, preview.problems = read_table(data, PUBLISHED_COLUMNS, PUBLISHED_REQUIRED)
    except TableError as exc:
        preview.file_error = str(exc)
        return preview
    check = check_published(table, known_regions=known_region_names())
    problems = [*preview.problems, *check.problems]
    if actor is not None and not getattr(actor, "is_superuser", False):
        problems += _foreign_changes(check.rows, agency)
    preview.problems = sorted(problems, key=lambda p: p.line)
    preview.published = check.rows
    return preview


def _foreign_changes(rows: list[PublishedRow], agency: Agency | None) -> list[RowProblem]:
    own = agency.region_id if agency is not None else None
    stored = {
        (p.year, p.region_id): p.index
        for p in PublishedResult.objects.filter(year__in={r.year for r in rows})
    }
    out = []
    for row in rows:
        before = stored.get((row.year, row.region_code))
        if before is None or before == row.index or (own and row.region_code == own):
            continue
        whose = row.name or row.region_code or _("the national average")
        out.append(
            RowProblem(
                row.line,
                _(
                    "%(year)s %(whose)s is already recorded as %(before)s; only a platform "
                    "administrator can change another agency's or the national figure."
                )
                % {"year": row.year, "whose": whose, "before": before},
            )
        )
    return out


@transaction.atomic
def upsert_published_results(
    *, actor: Any, rows: list[PublishedRow], agency: Agency | None = None
) -> UpsertResult:
    """Create or update one result per (year, region); unchanged rows write nothing."""
    result = UpsertResult()
    ensure_regions({r.region_code for r in rows if r.region_code})
    existing = {
        (p.year, p.region_id): p
        for p in PublishedResult.objects.filter(year__in={r.year for r in rows})
    }
    for row in rows:
        current = existing.get((row.year, row.region_code))
        source = row.source or (current.source if current else "")
        if current is None:
            created = PublishedResult.objects.create(
                year=row.year,
                region_id=row.region_code,
                agency_name=row.name,
                index=row.index,
                source=source,
            )
            existing[(row.year, row.region_code)] = created
            audit.record_create(created, actor=actor, agency=agency)
            result.created += 1
            continue
        new = (row.name or current.agency_name, row.index, source)
        if (current.agency_name, current.index, current.source) == new:
            result.unchanged += 1
            continue
        before = audit.snapshot(current, exclude=["imported_at"])
        current.agency_name, current.index, current.source = new
        current.save(update_fields=["agency_name", "index", "source", "imported_at"])
        audit.record(
            action="update",
            actor=actor,
            agency=agency,
            instance=current,
            before=before,
            after=audit.snapshot(current, exclude=["imported_at"]),
        )
        result.updated += 1
    return result


def import_published_results(*, actor: Any, agency: Agency | None, data: bytes) -> UpsertResult:
    preview = preview_published_import(data, actor=actor, agency=agency)
    if not preview.ok:
        raise ValidationError(preview.file_error or _("The file has errors; nothing was applied."))
    return upsert_published_results(actor=actor, rows=preview.published, agency=agency)


def load_published_results(path: Path = PUBLISHED_FILE) -> UpsertResult:
    """The bundled reference file (idempotent)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = [
        PublishedRow(
            line=n,
            year=int(item["year"]),
            region_code=item.get("region") or None,
            name=str(item.get("name", ""))[:200],
            index=Decimal(str(item["index"])),
            source=str(item.get("source", ""))[:300],
        )
        for n, item in enumerate(document["results"], start=1)
    ]
    return upsert_published_results(actor=None, rows=rows)


@transaction.atomic
def add_peer(*, actor: Any, agency: Agency, region: Region) -> Peer:
    if region.level > RegionLevel.REGENCY:
        raise ValidationError(_("Choose a province, regency or city."))
    if agency.region_id == region.code:
        raise ValidationError(_("An agency cannot be its own peer."))
    peer, created = Peer.objects.get_or_create(agency=agency, region=region)
    if created:
        audit.record_create(peer, actor=actor, agency=agency)
    return peer


@transaction.atomic
def remove_peer(*, actor: Any, agency: Agency, region_code: str) -> bool:
    peer = Peer.objects.filter(agency=agency, region_id=region_code).first()
    if peer is None:
        return False
    audit.record_delete(peer, actor=actor, agency=agency)
    peer.delete()
    return True
