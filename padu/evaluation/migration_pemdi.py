"""From SPBE (59/2020) to Pemdi (8/2026): the mapping file, and the evidence and lead OPDs of
last year's SPBE period suggested for each Pemdi indicator (reads only; nothing is attached
or assigned here)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .models import Assessment, Evidence, EvidenceLink, Period

MAPPING_FILE = Path(__file__).resolve().parent / "data" / "spbe_to_pemdi.yaml"
FORMAT = "padu-spbe-pemdi-mapping/1"
_CODE = re.compile(r"^IK(\d{1,2})$")


class MappingError(ValueError):
    """A mapping file that cannot be used, with the place of the fault."""


@dataclass(frozen=True)
class IndicatorMapping:
    """SPBE indicator number -> Pemdi indicator numbers (closest first), with its source."""

    from_instrument: str
    to_instrument: str
    status: str
    source: str
    rows: Mapping[int, tuple[int, ...]]

    def targets(self, spbe_number: int) -> tuple[int, ...]:
        """The Pemdi indicator numbers an SPBE indicator may serve."""
        return self.rows.get(spbe_number, ())

    def sources(self, pemdi_number: int) -> tuple[int, ...]:
        """The SPBE indicator numbers that may serve a Pemdi indicator, in ascending order."""
        return tuple(sorted(n for n, to in self.rows.items() if pemdi_number in to))


def _number(value: Any, place: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MappingError(f"{place}: {value!r} is not an indicator number")
    return value


def _pemdi_number(value: Any, place: str) -> int:
    match = _CODE.match(str(value)) if isinstance(value, str) else None
    if match is None:
        raise MappingError(f"{place}: {value!r} is not a Pemdi indicator code (IK1..IK20)")
    return int(match.group(1))


def parse_mapping(
    data: Any, *, from_numbers: Collection[int], to_numbers: Collection[int]
) -> IndicatorMapping:
    """Check a loaded mapping file strictly (unknown numbers, duplicates, bad shapes refused,
    naming the place) and return it."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MappingError(f"format: expected {FORMAT}")
    for key in ("from_instrument", "to_instrument", "status", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise MappingError(f"{key}: missing")
    raw_rows = data.get("rows")
    if not isinstance(raw_rows, list) or not raw_rows:
        raise MappingError("rows: expected a list of {from, to}")
    rows: dict[int, tuple[int, ...]] = {}
    for i, row in enumerate(raw_rows, start=1):
        place = f"rows[{i}]"
        if not isinstance(row, dict) or set(row) - {"from", "to", "note"}:
            raise MappingError(f"{place}: expected from, to (and an optional note)")
        spbe = _number(row.get("from"), f"{place}.from")
        if spbe not in from_numbers:
            raise MappingError(
                f"{place}.from: {spbe} is not an indicator of {data['from_instrument']}"
            )
        if spbe in rows:
            raise MappingError(f"{place}.from: {spbe} is listed twice")
        targets = row.get("to")
        if not isinstance(targets, list) or not targets:
            raise MappingError(f"{place}.to: expected a list of IK codes")
        numbers = tuple(_pemdi_number(t, f"{place}.to") for t in targets)
        for n in numbers:
            if n not in to_numbers:
                raise MappingError(
                    f"{place}.to: IK{n} is not an indicator of {data['to_instrument']}"
                )
        if len(set(numbers)) != len(numbers):
            raise MappingError(f"{place}.to: an IK code is listed twice")
        rows[spbe] = numbers
    for i, row in enumerate(data.get("unmapped") or [], start=1):
        spbe = _number(row.get("from") if isinstance(row, dict) else None, f"unmapped[{i}].from")
        if spbe in rows or spbe not in from_numbers:
            raise MappingError(f"unmapped[{i}].from: {spbe} is mapped or unknown")
    return IndicatorMapping(
        from_instrument=data["from_instrument"],
        to_instrument=data["to_instrument"],
        status=data["status"],
        source=data["source"].strip(),
        rows=rows,
    )


@functools.cache
def _file_data() -> Any:
    return yaml.safe_load(MAPPING_FILE.read_text(encoding="utf-8"))


_mappings: dict[tuple[Any, ...], IndicatorMapping | None] = {}


def mapping_between(source: Any, target: Any) -> IndicatorMapping | None:
    """The bundled mapping from `source`'s indicators to `target`'s (instruments), or None when
    the file is not about these two; checked strictly against their indicator numbers."""
    key = (source.pk, source.checksum, target.pk, target.checksum)
    if key not in _mappings:
        data = _file_data()
        if (data.get("from_instrument"), data.get("to_instrument")) != (source.code, target.code):
            _mappings[key] = None
        else:
            _mappings[key] = parse_mapping(
                data,
                from_numbers=set(source.indicators.values_list("number", flat=True)),
                to_numbers=set(target.indicators.values_list("number", flat=True)),
            )
    return _mappings[key]


def previous_spbe_period(period: Period) -> tuple[Period, IndicatorMapping] | None:
    """The agency's latest earlier period that the mapping leads from into `period`'s
    instrument (last year's SPBE period for a Pemdi one), with the mapping."""
    earlier = (
        Period.objects.filter(agency_id=period.agency_id, year__lt=period.year)
        .exclude(instrument__code=period.instrument.code)
        .select_related("instrument")
        .order_by("-year")
        .first()
    )
    if earlier is None:
        return None
    mapping = mapping_between(earlier.instrument, period.instrument)
    return (earlier, mapping) if mapping is not None else None


@dataclass
class ReusableEvidence:
    """One piece of last year's evidence that may serve a Pemdi indicator."""

    evidence: Evidence
    spbe_numbers: list[int] = field(default_factory=list)
    attached: bool = False


@dataclass
class SuggestedLead:
    """An OPD that led SPBE indicators mapped to a Pemdi indicator."""

    unit: Any
    spbe_numbers: list[int] = field(default_factory=list)


@dataclass
class ReuseSuggestion:
    """What last year's SPBE period offers one Pemdi assessment."""

    year: int
    spbe_numbers: tuple[int, ...]
    evidence: list[ReusableEvidence] = field(default_factory=list)
    leads: list[SuggestedLead] = field(default_factory=list)

    @property
    def pending(self) -> list[ReusableEvidence]:
        """The evidence not yet attached to this assessment."""
        return [e for e in self.evidence if not e.attached]


def _leads(spbe_rows: Iterable[Assessment], totals: Counter[int]) -> list[SuggestedLead]:
    """Lead OPDs ranked by how many of the mapped SPBE indicators they led, then by how many
    indicators they led in all (the unit coordinating SPBE wins a tie), then by number."""
    by_unit: dict[int, SuggestedLead] = {}
    for a in spbe_rows:
        if a.lead_unit_id is None:
            continue
        lead = by_unit.setdefault(a.lead_unit_id, SuggestedLead(a.lead_unit))
        if a.indicator.number not in lead.spbe_numbers:
            lead.spbe_numbers.append(a.indicator.number)
    return sorted(
        by_unit.values(),
        key=lambda s: (-len(s.spbe_numbers), -totals[s.unit.pk], min(s.spbe_numbers)),
    )


def _totals(spbe_rows: list[Assessment]) -> Counter[int]:
    return Counter(a.lead_unit_id for a in spbe_rows if a.lead_unit_id is not None)


def reuse_suggestions(
    period: Period, assessments: Iterable[Assessment]
) -> dict[int, ReuseSuggestion]:
    """For each given assessment of a Pemdi `period` (keyed by pk), last year's SPBE evidence
    that may be reused and the OPDs that led the mapped SPBE indicators. A constant number of
    queries whatever the number of assessments; empty without an earlier SPBE period."""
    found = previous_spbe_period(period)
    wanted = list(assessments)
    if found is None or not wanted:
        return {}
    earlier, mapping = found
    spbe_rows = list(earlier.assessments.select_related("indicator", "lead_unit"))
    totals = _totals(spbe_rows)
    needed = {n for a in wanted for n in mapping.sources(a.indicator.number)}
    links = (
        EvidenceLink.objects.filter(
            assessment__period=earlier,
            assessment__indicator__number__in=needed,
            evidence__is_archived=False,
        )
        .select_related("evidence", "assessment__indicator")
        .order_by("evidence__title", "evidence_id")
    )
    evidence_by_spbe: dict[int, list[Evidence]] = {}
    for link in links:
        bucket = evidence_by_spbe.setdefault(link.assessment.indicator.number, [])
        if link.evidence not in bucket:
            bucket.append(link.evidence)
    attached = set(
        EvidenceLink.objects.filter(assessment__in=[a.pk for a in wanted]).values_list(
            "assessment_id", "evidence_id"
        )
    )
    out: dict[int, ReuseSuggestion] = {}
    for a in wanted:
        numbers = mapping.sources(a.indicator.number)
        suggestion = ReuseSuggestion(year=earlier.year, spbe_numbers=numbers)
        seen: dict[int, ReusableEvidence] = {}
        for n in numbers:
            for ev in evidence_by_spbe.get(n, []):
                item = seen.get(ev.pk)
                if item is None:
                    item = seen[ev.pk] = ReusableEvidence(ev, attached=(a.pk, ev.pk) in attached)
                    suggestion.evidence.append(item)
                item.spbe_numbers.append(n)
        suggestion.leads = _leads((r for r in spbe_rows if r.indicator.number in numbers), totals)
        out[a.pk] = suggestion
    return out


def suggested_leads(period: Period) -> dict[int, list[SuggestedLead]]:
    """Pemdi indicator number -> the OPDs suggested as leads from last year's SPBE period."""
    found = previous_spbe_period(period)
    if found is None:
        return {}
    earlier, mapping = found
    spbe_rows = list(earlier.assessments.select_related("indicator", "lead_unit"))
    totals = _totals(spbe_rows)
    numbers = set(period.instrument.indicators.values_list("number", flat=True))
    return {
        n: _leads((r for r in spbe_rows if r.indicator.number in mapping.sources(n)), totals)
        for n in sorted(numbers)
    }


def spbe_numbers_for(instrument: Any, numbers: Iterable[int]) -> list[int]:
    """59/2020 indicator numbers as `instrument`'s: unchanged on 59/2020, their Pemdi successors
    through the mapping on 8/2026 (for data written against SPBE numbers, such as the demo)."""
    from .models import Instrument

    spbe = Instrument.objects.filter(agency__isnull=True, code="permenpanrb-59-2020").first()
    if instrument is None or spbe is None or instrument.code == spbe.code:
        return list(numbers)
    mapping = mapping_between(spbe, instrument)
    if mapping is None:
        return list(numbers)
    return list(dict.fromkeys(n for number in numbers for n in mapping.targets(number)))
