"""Read and check the four Kemendagri region files, then upsert them all at once.

The check is complete before anything is written: a malformed code, an unknown
parent, a duplicate or a file that is not UTF-8 stops the whole import with a
message naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import RegionKind, RegionLevel
from .models import Region

DATA_DIR = Path(__file__).resolve().parent / "data" / "wilayah"


@dataclass(frozen=True)
class LevelFile:
    level: int
    filename: str
    parent_column: str | None
    pattern: re.Pattern[str]


LEVEL_FILES = (
    LevelFile(RegionLevel.PROVINCE, "provinces.csv", None, re.compile(r"^\d{2}$")),
    LevelFile(RegionLevel.REGENCY, "regencies.csv", "province_code", re.compile(r"^\d{2}\.\d{2}$")),
    LevelFile(
        RegionLevel.DISTRICT, "districts.csv", "regency_code", re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
    ),
    LevelFile(
        RegionLevel.VILLAGE,
        "villages.csv",
        "district_code",
        re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
    ),
)


@dataclass
class RegionRow:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    per_level: dict[int, int] = field(default_factory=dict)


class RegionImportError(Exception):
    """The files did not pass the check; `errors` names each file and line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def region_kind(level: int, code: str, name: str) -> str:
    if level == RegionLevel.PROVINCE:
        return RegionKind.PROVINSI
    if level == RegionLevel.REGENCY:
        return RegionKind.KOTA if name.lower().startswith("kota ") else RegionKind.KABUPATEN
    if level == RegionLevel.DISTRICT:
        return RegionKind.KECAMATAN
    return RegionKind.KELURAHAN if code.rsplit(".", 1)[-1].startswith("1") else RegionKind.DESA


def _relevant(code: str, prefixes: tuple[str, ...]) -> bool:
    """A code lies inside one of the prefixes, or is an ancestor of one."""
    return any(code == p or code.startswith(p + ".") or p.startswith(code + ".") for p in prefixes)


def _read_text(path: Path, errors: list[str]) -> str | None:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(
            _("%(file)s line %(line)d: the file is not valid UTF-8 text.")
            % {"file": path.name, "line": line}
        )
        return None


def read_regions(data_dir: Path = DATA_DIR, *, only: Iterable[str] = ()) -> list[RegionRow]:
    """Parse and check all four files; raise RegionImportError listing every problem."""
    prefixes = tuple(p.strip() for p in only if p.strip())
    errors: list[str] = []
    rows: list[RegionRow] = []
    known: set[str] = set()
    for spec in LEVEL_FILES:
        path = data_dir / spec.filename
        if not path.exists():
            errors.append(_("%(file)s: file not found.") % {"file": spec.filename})
            continue
        text = _read_text(path, errors)
        if text is None:
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        expected = ["code", spec.parent_column, "name"] if spec.parent_column else ["code", "name"]
        if reader.fieldnames != expected:
            errors.append(
                _("%(file)s line 1: expected the columns %(expected)s.")
                % {"file": spec.filename, "expected": ",".join(expected)}
            )
            continue
        level_codes: set[str] = set()
        for rec in reader:
            line = reader.line_num  # physical line: blank lines and quoted newlines count
            code = (rec.get("code") or "").strip()
            name = (rec.get("name") or "").strip()
            parent = (rec.get(spec.parent_column) or "").strip() if spec.parent_column else None
            where = {"file": spec.filename, "line": line, "code": code}
            if prefixes and not _relevant(code, prefixes):
                continue
            if not spec.pattern.match(code):
                errors.append(_("%(file)s line %(line)d: malformed code '%(code)s'.") % where)
                continue
            if not name:
                errors.append(_("%(file)s line %(line)d: the name is empty.") % where)
                continue
            if code in level_codes:
                errors.append(_("%(file)s line %(line)d: duplicate code '%(code)s'.") % where)
                continue
            if parent is not None:
                if code.rsplit(".", 1)[0] != parent:
                    errors.append(
                        _(
                            "%(file)s line %(line)d: code '%(code)s' does not lie under its parent '%(parent)s'."
                        )
                        % {**where, "parent": parent}
                    )
                    continue
                if parent not in known:
                    errors.append(
                        _("%(file)s line %(line)d: unknown parent code '%(parent)s'.")
                        % {**where, "parent": parent}
                    )
                    continue
            level_codes.add(code)
            rows.append(
                RegionRow(code, name, spec.level, region_kind(spec.level, code, name), parent)
            )
        known |= level_codes
    if errors:
        raise RegionImportError(errors)
    return rows


@transaction.atomic
def import_regions(rows: list[RegionRow]) -> ImportResult:
    """Upsert checked rows level by level; rows already identical are left alone."""
    existing = {
        r["code"]: (r["name"], r["level"], r["kind"], r["parent_id"])
        for r in Region.objects.values("code", "name", "level", "kind", "parent_id")
    }
    result = ImportResult()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        result.per_level[row.level] = result.per_level.get(row.level, 0) + 1
        values = (row.name, row.level, row.kind, row.parent_code)
        region = Region(
            code=row.code, name=row.name, level=row.level, kind=row.kind, parent_id=row.parent_code
        )
        current = existing.get(row.code)
        if current is None:
            to_create.append(region)
        elif current != values:
            to_update.append(region)
        else:
            result.unchanged += 1
    # Rows come ordered by level, so parents are inserted before their children.
    Region.objects.bulk_create(to_create, batch_size=2000)
    Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent"], batch_size=1000)
    result.created = len(to_create)
    result.updated = len(to_update)
    return result
