"""Reading an application register file (CSV or XLSX) into checked rows; no database access.

The first row names the columns (any order, case-insensitive; the export writes the same
names): `nama`, `deskripsi`, `opd` (acronym or name of the owner OPD) and `jenis` (umum /
khusus) are required; `akronim`, `nama lain`, `operator`, `kategori`, `kode referensi`
(comma-separated), `alamat`, `siklus hidup`, `hosting`, `teknologi`, `sso`, `pengguna`,
`jumlah pengguna`, `keputusan`, `biaya tahunan` are optional. Every bad row is reported by its
line number; the caller applies nothing when any row is bad.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from padu.evaluation.recommendations_import import ImportFileError, normalise, read_table

from .choices import AppCategory, AppKind, Decision, Hosting, Lifecycle, Users

__all__ = ["ImportFileError", "ImportRow", "ParseResult", "RowError", "normalise", "parse_rows"]
__all__ += ["COLUMNS", "read_table"]

MAX_ROWS = 2000

# field -> (export header, accepted header spellings)
COLUMNS: dict[str, tuple[str, set[str]]] = {
    "name": ("nama", {"nama", "nama aplikasi", "name"}),
    "acronym": ("akronim", {"akronim", "singkatan", "acronym"}),
    "aliases": ("nama lain", {"nama lain", "alias", "aliases"}),
    "description": ("deskripsi", {"deskripsi", "keterangan", "description", "fungsi"}),
    "owner": ("opd", {"opd", "opd pemilik", "pemilik", "owner", "perangkat daerah"}),
    "operator": ("operator", {"operator", "unit teknis", "operator unit"}),
    "kind": ("jenis", {"jenis", "jenis aplikasi", "type", "kind"}),
    "category": ("kategori", {"kategori", "category"}),
    "codes": ("kode referensi", {"kode referensi", "kode", "reference codes", "codes"}),
    "url": ("alamat", {"alamat", "url", "tautan", "address"}),
    "lifecycle": ("siklus hidup", {"siklus hidup", "status", "lifecycle"}),
    "hosting": ("hosting", {"hosting", "penempatan"}),
    "technology": ("teknologi", {"teknologi", "technology"}),
    "sso": ("sso", {"sso", "single sign on", "single sign-on"}),
    "users": ("pengguna", {"pengguna", "users"}),
    "user_count": ("jumlah pengguna", {"jumlah pengguna", "user count"}),
    "decision": ("keputusan", {"keputusan", "decision"}),
    "yearly_cost": ("biaya tahunan", {"biaya tahunan", "biaya", "yearly cost"}),
}
REQUIRED = ("name", "description", "owner", "kind")
CHOICES: dict[str, Any] = {
    "kind": AppKind,
    "category": AppCategory,
    "lifecycle": Lifecycle,
    "hosting": Hosting,
    "users": Users,
    "decision": Decision,
}
ALIASES = {
    "kind": {"aplikasi umum": "umum", "aplikasi khusus": "khusus"},
    "category": {"layanan publik": "layanan_publik", "administrasi pemerintahan": "administrasi"},
    "lifecycle": {"uji coba": "uji_coba"},
}
TRUE = {"ya", "y", "yes", "true", "1", "benar"}
FALSE = {"tidak", "t", "no", "false", "0", "salah", ""}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Row %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class ImportRow:
    line: int
    fields: dict[str, Any]
    codes: list[str]


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = normalise(raw)
        for name, (_export, aliases) in COLUMNS.items():
            if key in aliases and name not in found:
                found[name] = index
    missing = [COLUMNS[n][0] for n in REQUIRED if n not in found]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    return found


def _choice(name: str, raw: str) -> str | None:
    key = normalise(raw)
    values = {normalise(v): v for v in CHOICES[name].values}
    return values.get(key) or ALIASES.get(name, {}).get(key)


def parse_rows(
    table: Iterable[Sequence[str]],
    *,
    units: Mapping[str, int],
    codes: set[str],
    existing_names: set[str],
) -> ParseResult:
    """Check every data row. `units` maps normalised acronyms/names to unit ids, `codes` holds
    the known reference codes (upper case), `existing_names` the normalised registered names."""
    rows = [list(r) for r in table]
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError(_("The file is empty."))
    columns = _columns(rows[0])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("At most %(count)d rows can be imported at once.") % {"count": MAX_ROWS}
        )
    result = ParseResult()
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in row):
            continue
        errors: list[str] = []
        parsed = _parse_row(row, columns, units, codes, errors)
        key = normalise(parsed["fields"].get("name", ""))
        if key and key in existing_names:
            errors.append(
                _("an application named %(name)s is already registered.")
                % {"name": parsed["fields"]["name"]}
            )
        elif key in seen:
            errors.append(
                _("the name %(name)s is also on row %(other)d.")
                % {"name": parsed["fields"]["name"], "other": seen[key]}
            )
        if key:
            seen.setdefault(key, line)
        if errors:
            result.errors.extend(RowError(line, message) for message in errors)
        else:
            result.rows.append(ImportRow(line, parsed["fields"], parsed["codes"]))
    if not result.rows and not result.errors:
        raise ImportFileError(_("The file has a header but no rows."))
    return result


def _get(row: Sequence[str], columns: Mapping[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(row):
        return ""
    return str(row[index]).strip()


def _parse_row(
    row: Sequence[str],
    columns: Mapping[str, int],
    units: Mapping[str, int],
    codes: set[str],
    errors: list[str],
) -> dict[str, Any]:
    get = lambda name: _get(row, columns, name)  # noqa: E731
    fields: dict[str, Any] = {
        "name": get("name"),
        "acronym": get("acronym")[:40],
        "aliases": get("aliases")[:300],
        "description": get("description"),
        "url": get("url"),
        "technology": get("technology")[:200],
    }
    if not fields["name"]:
        errors.append(_("the name is empty."))
    elif len(fields["name"]) > 200:
        errors.append(_("the name is longer than 200 characters."))
    if not fields["description"]:
        errors.append(_("the description is empty."))
    for name, target in (("owner", "owner_unit_id"), ("operator", "operator_unit_id")):
        raw = get(name)
        unit_id = units.get(normalise(raw)) if raw else None
        if raw and unit_id is None:
            errors.append(_("OPD %(value)s is not a unit of this agency.") % {"value": raw})
        fields[target] = unit_id
    if not get("owner"):
        errors.append(_("the owner OPD is empty."))
    _parse_choices(get, fields, errors)
    _parse_numbers(get, fields, errors)
    raw_codes = [c.strip().upper() for c in get("codes").replace(";", ",").split(",")]
    wanted = [c for c in dict.fromkeys(raw_codes) if c]
    unknown = [c for c in wanted if c not in codes]
    if unknown:
        errors.append(_("unknown reference code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
    return {"fields": fields, "codes": wanted}


def _parse_choices(get: Any, fields: dict[str, Any], errors: list[str]) -> None:
    defaults = {"category": AppCategory.ADMINISTRATION, "lifecycle": Lifecycle.PRODUCTION}
    for name in CHOICES:
        raw = get(name)
        if not raw:
            fields[name] = defaults.get(name, "")
            if name == "kind":
                errors.append(_("the type is empty (umum or khusus)."))
            continue
        value = _choice(name, raw)
        if value is None:
            allowed = ", ".join(str(v) for v in CHOICES[name].values)
            errors.append(
                _("%(value)s is not a valid %(column)s (use one of: %(allowed)s).")
                % {"value": raw, "column": COLUMNS[name][0], "allowed": allowed}
            )
        fields[name] = value or ""
    sso = normalise(get("sso"))
    if sso not in TRUE | FALSE:
        errors.append(_("sso must be ya or tidak."))
    fields["single_sign_on"] = sso in TRUE


def _parse_numbers(get: Any, fields: dict[str, Any], errors: list[str]) -> None:
    raw_count = get("user_count").replace(".", "").replace(",", "")
    fields["user_count"] = None
    if raw_count:
        if raw_count.isdigit():
            fields["user_count"] = int(raw_count)
        else:
            errors.append(
                _("the number of users %(value)s is not a whole number.")
                % {"value": get("user_count")}
            )
    raw_cost = get("yearly_cost").replace("Rp", "").replace(".", "").replace(" ", "")
    fields["yearly_cost"] = None
    if raw_cost:
        try:
            cost = Decimal(raw_cost.replace(",", "."))
        except InvalidOperation:
            cost = Decimal(-1)
        if cost < 0 or cost != cost.to_integral_value():
            errors.append(
                _("the yearly cost %(value)s is not an amount in rupiah.")
                % {"value": get("yearly_cost")}
            )
        else:
            fields["yearly_cost"] = cost
