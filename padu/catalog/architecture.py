"""Reference-architecture views: coverage of RAL/RAB level-2 areas and redundancy.

Pure: plain entries (an application or a service with its OPD and codes) in, rows out; no ORM.
Levels are read from the code itself (RAL.01.25 is level 2, RAL.01.25.03 level 3) so agency
codes deeper than the national tables fold into their area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MODELS = ("RAL", "RAB")


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    unit: str  # the owner OPD
    codes: frozenset[str]


@dataclass
class CoverageRow:
    code: str
    name: str
    services: list[str] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.services or self.applications)


@dataclass
class RedundancyRow:
    code: str
    name: str
    applications: list[str]
    units: list[str]


def level_of(code: str) -> int:
    """RAL.01 -> 1, RAL.01.25 -> 2, RAL.01.25.03 -> 3."""
    return code.count(".")


def area(code: str, level: int) -> str | None:
    """The ancestor of `code` at `level`, or None when the code is shallower."""
    parts = code.split(".")
    if len(parts) - 1 < level:
        return None
    return ".".join(parts[: level + 1])


def coverage(
    areas: Mapping[str, str],
    applications: Iterable[Entry],
    services: Iterable[Entry],
) -> list[CoverageRow]:
    """For every level-2 area (`areas`: code -> name) the services, applications and OPDs on it."""
    rows = {code: CoverageRow(code, name) for code, name in sorted(areas.items())}
    for kind, entries in (("services", services), ("applications", applications)):
        for entry in entries:
            for a in {area(c, 2) for c in entry.codes} - {None}:
                row = rows.get(a or "")
                if row is None:
                    continue
                getattr(row, kind).append(entry.name)
                if entry.unit not in row.units:
                    row.units.append(entry.unit)
    for row in rows.values():
        row.services.sort()
        row.applications.sort()
        row.units.sort()
    return list(rows.values())


def coverage_share(rows: Iterable[CoverageRow]) -> tuple[int, int]:
    """(covered areas, all areas)."""
    listed = list(rows)
    return sum(1 for r in listed if r.covered), len(listed)


def redundancy(applications: Iterable[Entry], names: Mapping[str, str]) -> list[RedundancyRow]:
    """Areas where several applications overlap: one RAL level-3 area or one RAB process.

    RAL codes shallower than level 3 say only the sector, so they do not count."""
    groups: dict[str, list[Entry]] = {}
    for entry in applications:
        keys = set()
        for code in entry.codes:
            if code.startswith("RAL."):
                keys.add(area(code, 3))
            elif code.startswith("RAB.") and level_of(code) >= 2:
                keys.add(code)
        for key in keys - {None}:
            groups.setdefault(key or "", []).append(entry)
    rows = [
        RedundancyRow(
            code=code,
            name=names.get(code, ""),
            applications=sorted(e.name for e in entries),
            units=sorted({e.unit for e in entries}),
        )
        for code, entries in groups.items()
        if len(entries) > 1
    ]
    rows.sort(key=lambda r: (-len(r.applications), r.code))
    return rows


def by_unit(rows: Iterable[CoverageRow]) -> dict[str, list[str]]:
    """OPD -> the area codes it covers, for the per-OPD table."""
    result: dict[str, list[str]] = {}
    for row in rows:
        for unit in row.units:
            result.setdefault(unit, []).append(row.code)
    return dict(sorted(result.items()))
