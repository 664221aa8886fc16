"""Published national results (KemenPANRB's index per agency and year): checking a table
read by `results_import.read_table`. Pure, no ORM."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .results_import import RowProblem, Table, _integer

PUBLISHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("tahun", "year"),
    "region": ("kodewilayah", "kode", "kodewil", "kodekemendagri", "regioncode", "code"),
    "name": ("nama", "namainstansi", "instansi", "pemda", "name"),
    "index": ("indeks", "indeksspbe", "nilaiindeks", "index"),
    "source": ("sumber", "source"),
}
PUBLISHED_REQUIRED = ("year", "region", "index")
NATIONAL_WORDS = {"", "nasional", "national", "rata-rata nasional", "-"}
REGION_CODE = re.compile(r"^\d{2}(\.\d{2})?$")


PEMDI_FROM_YEAR = 2026  # PermenPANRB 8/2026 replaced 59/2020 (SPBE) from the 2026 cycle


@dataclass(frozen=True)
class PublishedRow:
    line: int
    year: int
    region_code: str | None
    name: str
    index: Decimal
    source: str

    @property
    def index_name(self) -> str:
        """Which published index the figure is: the SPBE index or, from 2026, the Indeks Pemdi."""
        return "Pemdi" if self.year >= PEMDI_FROM_YEAR else "SPBE"


@dataclass
class PublishedCheck:
    rows: list[PublishedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _index(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(5):
        return None
    if value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def check_published(
    table: Table, *, known_regions: Mapping[str, str], years: tuple[int, int] = (2018, 2100)
) -> PublishedCheck:
    """Check rows of published indices; a blank or `nasional` code is the national average."""
    out = PublishedCheck()
    seen: dict[tuple[int, str | None], int] = {}
    for line, row in table.rows:
        year = _integer(row.get("year", ""))
        if year is None or not years[0] <= year <= years[1]:
            out.problems.append(
                RowProblem(
                    line,
                    _("year %(value)r is not a year from %(min)d to %(max)d.")
                    % {"value": row.get("year", ""), "min": years[0], "max": years[1]},
                )
            )
            continue
        raw_code = row.get("region", "").strip()
        code: str | None = None
        if raw_code.lower() not in NATIONAL_WORDS:
            if not REGION_CODE.match(raw_code) or raw_code not in known_regions:
                out.problems.append(
                    RowProblem(
                        line,
                        _("unknown region code %(value)r (use e.g. 74.71).") % {"value": raw_code},
                    )
                )
                continue
            code = raw_code
        index = _index(row.get("index", ""))
        if index is None:
            out.problems.append(
                RowProblem(
                    line,
                    _("index %(value)r must be a number from 0 to 5 with two decimals.")
                    % {"value": row.get("index", "")},
                )
            )
            continue
        key = (year, code)
        if key in seen:
            out.problems.append(
                RowProblem(
                    line,
                    _("%(year)d %(code)s already given on line %(first)d.")
                    % {"year": year, "code": code or _("national"), "first": seen[key]},
                )
            )
            continue
        seen[key] = line
        name = row.get("name", "").strip() or (known_regions.get(code, "") if code else "")
        out.rows.append(
            PublishedRow(line, year, code, name[:200], index, row.get("source", "").strip()[:300])
        )
    return out
