"""`datastore_search` over the rows of a release (CKAN's DataStore shape).

A release never changes, so its rows can be held in memory once read: releases up to
MEMORY_ROWS rows are filtered, searched, sorted and paged in Python (a few milliseconds,
the same on SQLite and PostgreSQL); larger ones are queried in the database. Answers for
small pages are also kept in the cache, keyed by the release and the parameters.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from .ckan import (
    Invalid,
    NotFound,
    Site,
    catalogue,
    latest_release,
    param_bool,
    param_int,
    param_list,
    read_id,
)
from .models import Release, ReleaseRow

COLUMNS = {
    "_id": "id",
    "kode_wilayah": "region_code",
    "nama_wilayah": "region_name",
    "periode": "period",
    "kode_elemen": "element_code",
    "nama_elemen": "element_name",
    "kategori": "category",
    "nilai": "value",
    "satuan": "unit",
}
NAMES = list(COLUMNS)
TEXT_COLUMNS = NAMES[1:]
MEMORY_ROWS = 50_000
MEMORY_TABLES = 8
Query = tuple[dict[str, list[str]], str | dict[str, str], list[tuple[str, bool]]]


def _release_for(resource_id: Any) -> Release:
    dataset_pk = read_id("datastore", resource_id)
    if dataset_pk is not None:
        dataset = next((d for d in catalogue().datasets if d.pk == dataset_pk), None)
        release = latest_release(dataset) if dataset else None
    else:
        release_pk = read_id("csv", resource_id)
        release = (
            Release.objects.filter(pk=release_pk, withdrawn_at__isnull=True).first()
            if release_pk is not None
            else None
        )
    if release is None:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    return release


def _unknown(name: str, fields: Any) -> None:
    bad = [f for f in fields if f not in COLUMNS]
    if bad:
        raise Invalid({name: [f'field "{bad[0]}" not in table']})


def _json(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise Invalid({name: ["Cannot parse JSON"]}) from exc
    return value


def parse_query(params: dict[str, Any]) -> Query:
    """filters {field: [values]}, q (words or {field: text}) and sort [(field, desc)]."""
    filters = _json(params, "filters") or {}
    if not isinstance(filters, dict):
        raise Invalid({"filters": ["Not a JSON object"]})
    _unknown("filters", filters)
    wanted = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in filters.items()}
    q = _json(params, "q") or ""
    if isinstance(q, dict):
        _unknown("q", q)
        q = {k: str(v) for k, v in q.items()}
    else:
        q = str(q)
    order = []
    for part in param_list(params.get("sort")):
        bits = part.split()
        _unknown("sort", bits[:1])
        order.append((bits[0], len(bits) > 1 and bits[1].lower() == "desc"))
    return wanted, q, order or [("_id", False)]


@dataclass
class Table:
    """A release's rows in memory, with a lower-case text per row for `q`."""

    rows: list[tuple[Any, ...]]
    text: list[str]
    orders: dict[int, list[int]] = field(default_factory=dict)

    def order_by(self, col: int) -> list[int]:
        """Row numbers sorted by a column, kept: the rows never change."""
        if col not in self.orders:
            self.orders[col] = sorted(range(len(self.rows)), key=lambda n: self.rows[n][col])
        return self.orders[col]


_tables: OrderedDict[tuple[int, str], Table] = OrderedDict()
_lock = threading.Lock()


def _table(release: Release) -> Table:
    key = (release.pk, release.checksum)
    table = _tables.get(key)
    if table is None:
        rows = list(
            ReleaseRow.objects.filter(release=release).order_by("id").values_list(*COLUMNS.values())
        )
        text = [" ".join(str(c) for c in r[1:]).lower() for r in rows]
        table = Table(rows, text)
        with _lock:
            _tables[key] = table
            while len(_tables) > MEMORY_TABLES:
                _tables.popitem(last=False)
    return table


def forget_tables() -> None:
    """Drop the rows held in memory (tests, after restoring a database)."""
    _tables.clear()


def _in_memory(
    release: Release, query: Query, offset: int, limit: int
) -> tuple[int, list[tuple[Any, ...]]]:
    """The total and one page: filter in simple passes (plain comprehensions), sort stably."""
    wanted, q, order = query
    table = _table(release)
    rows = list(range(len(table.rows)))
    for name, values in wanted.items():
        col, allowed = NAMES.index(name), set(values)
        rows = [n for n in rows if str(table.rows[n][col]) in allowed]
    if isinstance(q, dict):
        for name, text in q.items():
            col, low = NAMES.index(name), text.lower()
            rows = [n for n in rows if low in str(table.rows[n][col]).lower()]
    else:
        for word in q.lower().split():
            rows = [n for n in rows if word in table.text[n]]
    if len(rows) == len(table.rows) and len(order) == 1:  # everything, one key: kept order
        col, desc = NAMES.index(order[0][0]), order[0][1]
        ordered = table.order_by(col)
        if desc:
            ordered = ordered[::-1]
        return len(rows), [table.rows[n] for n in ordered[offset : offset + limit]]
    found = [table.rows[n] for n in rows]
    if order != [("_id", False)]:
        for name, desc in reversed(order):
            found.sort(key=itemgetter(NAMES.index(name)), reverse=desc)
    return len(found), found[offset : offset + limit]


def _in_database(release: Release, query: Query) -> QuerySet[ReleaseRow]:
    wanted, q, order = query
    rows = ReleaseRow.objects.filter(release=release)
    for name, values in wanted.items():
        rows = rows.filter(**{f"{COLUMNS[name]}__in": values})
    if isinstance(q, dict):
        for name, text in q.items():
            rows = rows.filter(**{f"{COLUMNS[name]}__icontains": text})
    else:
        for word in q.split():
            match = Q()
            for name in TEXT_COLUMNS:
                match |= Q(**{f"{COLUMNS[name]}__icontains": word})
            rows = rows.filter(match)
    return rows.order_by(*[("-" if d else "") + COLUMNS[n] for n, d in order])


def datastore_search(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """Rows of a release: resource_id, filters, q, fields, sort, limit, offset."""
    resource_id = params.get("resource_id") or params.get("id")
    if not resource_id:
        raise Invalid({"resource_id": ["Missing value"]})
    release = _release_for(resource_id)
    key = (
        "ckan:ds:"
        + hashlib.sha256(
            json.dumps([release.pk, release.checksum, params], sort_keys=True, default=str).encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if kept is not None:
        return dict(kept)
    out = _search_release(release, resource_id, params)
    if out["limit"] <= 1000:
        cache.set(key, out, timeout=3600)
    return out


def _search_release(release: Release, resource_id: Any, params: dict[str, Any]) -> dict[str, Any]:
    limit = param_int(params, "limit", 100, 32000)
    offset = param_int(params, "offset", 0)
    fields = param_list(params.get("fields")) or NAMES
    _unknown("fields", fields)
    query = parse_query(params)
    picks = [NAMES.index(f) for f in fields]
    if release.row_count <= MEMORY_ROWS:
        total, page_rows = _in_memory(release, query, offset, limit)
        records = [tuple(r[i] for i in picks) for r in page_rows]
    else:
        rows = _in_database(release, query)
        # Sort only the ids, then read the page: sorting whole rows costs twice as much.
        ids = list(rows.values_list("id", flat=True)[offset : offset + limit])
        page = ReleaseRow.objects.filter(pk__in=ids).values_list(*COLUMNS.values())
        by_id = {r[0]: r for r in page}
        records = [tuple(by_id[pk][i] for i in picks) for pk in ids]
        total = rows.count() if offset or len(records) >= limit else len(records)
    fmt = str(params.get("records_format") or "objects")
    out: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": f, "type": "int" if f == "_id" else "text"} for f in fields],
        "records_format": fmt,
        "records": _format(records, fields, fmt),
        "limit": limit,
        "offset": offset,
        "include_total": param_bool(params.get("include_total", True)),
        "total_was_estimated": False,
        "_links": _links(resource_id, offset, limit),
    }
    for echo in ("filters", "q", "sort"):
        if params.get(echo):
            out[echo] = params[echo]
    if out["include_total"]:
        out["total"] = total
    return out


def _format(records: list[tuple[Any, ...]], fields: list[str], fmt: str) -> Any:
    if fmt == "objects":
        return [dict(zip(fields, r, strict=True)) for r in records]
    if fmt == "lists":
        return [list(r) for r in records]
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerows(records)
        return buffer.getvalue()
    raise Invalid({"records_format": ["Value must be one of objects, lists, csv, tsv"]})


def _links(resource_id: Any, offset: int, limit: int) -> dict[str, str]:
    base = f"/api/3/action/datastore_search?resource_id={resource_id}"
    return {"start": base, "next": f"{base}&offset={offset + limit}"}
