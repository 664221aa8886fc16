"""package_search without Solr: parse CKAN's `q`, `fq` and `sort`, filter, sort and facet a
list of entries in memory (a Pemda publishes hundreds of datasets, not millions). Pure.

Supported `fq` / `q` terms: `field:value`, `field:"a phrase"`, `field:(a OR b)`, `field:*`,
a leading `-` (exclude) or `+`, and ranges `metadata_modified:[2025-01-01T00:00:00Z TO *]`.
Fields: organization, owner_org, groups, tags, res_format, license_id, name, id, state,
metadata_modified, metadata_created. Other words of `q` must all appear in the text.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

LIST_FIELDS = {"organization", "owner_org", "groups", "tags", "res_format", "license_id"}
TEXT_FIELDS = {"name", "id", "state", "title"}
DATE_FIELDS = {"metadata_modified", "metadata_created"}
FIELDS = LIST_FIELDS | TEXT_FIELDS | DATE_FIELDS
SORT_FIELDS = {
    "score",
    "metadata_modified",
    "metadata_created",
    "name",
    "title",
    "title_string",
    "id",
}
DEFAULT_SORT = "score desc, metadata_modified desc"
_TERM = re.compile(r'([+-]?)([A-Za-z_.]+):(\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|"[^"]*"|\S+)')


class QueryError(ValueError):
    """The query cannot be read (CKAN's "Search Query Error")."""


@dataclass
class Entry:
    """What search needs to know of one dataset."""

    key: Any
    id: str
    name: str
    title: str
    text: str
    state: str
    created: datetime.datetime
    modified: datetime.datetime
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    field: str
    negate: bool
    values: tuple[str, ...] = ()
    low: datetime.datetime | None = None
    high: datetime.datetime | None = None
    is_range: bool = False


def parse_time(text: str, *, end: bool = False) -> datetime.datetime | None:
    """Solr's ISO times (`2025-01-01T00:00:00Z`, a date, or `*`); UTC, naive."""
    text = text.strip()
    if text in ("*", ""):
        return None
    if text.upper().startswith("NOW"):
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryError(f"Invalid date: {text}") from exc
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    if end and len(text) == 10:
        value += datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    return value


def _values(raw: str) -> tuple[str, ...]:
    if raw.startswith("(") and raw.endswith(")"):
        parts = re.split(r"\s+OR\s+", raw[1:-1].strip())
        return tuple(p.strip().strip('"') for p in parts if p.strip())
    return (raw.strip('"'),)


def parse_terms(text: str) -> tuple[list[Term], list[str]]:
    """Field terms and the remaining free words of a q or fq string."""
    terms: list[Term] = []
    for sign, name, raw in _TERM.findall(text):
        if name not in FIELDS:
            raise QueryError(f"undefined field {name}")
        if raw.startswith(("[", "{")):
            if name not in DATE_FIELDS:
                raise QueryError(f"range on {name}")
            parts = raw[1:-1].split(" TO ")
            if len(parts) != 2:
                raise QueryError(f"Invalid range: {raw}")
            terms.append(
                Term(
                    name,
                    sign == "-",
                    low=parse_time(parts[0]),
                    high=parse_time(parts[1], end=True),
                    is_range=True,
                )
            )
        else:
            terms.append(Term(name, sign == "-", _values(raw)))
    rest = _TERM.sub(" ", text)
    words = [w.strip('"').lower() for w in rest.split() if w not in ("*:*", "AND", "OR", "*")]
    return terms, [w for w in words if w]


def _field_values(entry: Entry, name: str) -> list[str]:
    if name == "name":
        return [entry.name]
    if name == "id":
        return [entry.id]
    if name == "state":
        return [entry.state]
    if name == "title":
        return [entry.title]
    return entry.values.get(name, [])


def _matches(entry: Entry, term: Term) -> bool:
    if term.is_range:
        stamp = entry.modified if term.field == "metadata_modified" else entry.created
        ok = (term.low is None or stamp >= term.low) and (term.high is None or stamp <= term.high)
    else:
        have = {v.lower() for v in _field_values(entry, term.field)}
        ok = any((v == "*" and have) or v.lower() in have for v in term.values)
    return ok != term.negate


def _score(entry: Entry, words: Sequence[str]) -> int | None:
    if not words:
        return 0
    if not all(w in entry.text for w in words):
        return None
    title = entry.title.lower()
    return sum(entry.text.count(w) + 5 * title.count(w) for w in words)


def _sort_key(name: str, scores: dict[str, int]) -> Callable[[Entry], Any]:
    if name == "score":
        return lambda e: scores[e.id]
    if name == "metadata_modified":
        return lambda e: e.modified
    if name == "metadata_created":
        return lambda e: e.created
    if name in ("title", "title_string"):
        return lambda e: e.title.lower()
    if name == "id":
        return lambda e: e.id
    return lambda e: e.name


def parse_sort(text: str) -> list[tuple[str, bool]]:
    """`metadata_modified desc, name asc` -> [(field, descending)]."""
    out = []
    for part in (text or DEFAULT_SORT).split(","):
        bits = part.split()
        if not bits:
            continue
        name = bits[0]
        direction = bits[1].lower() if len(bits) > 1 else "asc"
        if name not in SORT_FIELDS or direction not in ("asc", "desc"):
            raise QueryError(f"can not sort on {part.strip()}")
        out.append((name, direction == "desc"))
    return out


def search(
    entries: Sequence[Entry],
    *,
    q: str = "",
    fq: Sequence[str] = (),
    sort: str = "",
    include_deleted: bool = False,
) -> list[Entry]:
    """The entries matching q and every fq, sorted."""
    terms, words = parse_terms(q or "")
    for text in fq:
        more, free = parse_terms(text)
        if free:
            raise QueryError(f"Invalid filter query: {text}")
        terms += more
    order = parse_sort(sort)
    found = []
    scores: dict[str, int] = {}
    for entry in entries:
        if entry.state == "deleted" and not include_deleted:
            continue
        score = _score(entry, words)
        if score is None or not all(_matches(entry, t) for t in terms):
            continue
        scores[entry.id] = score
        found.append(entry)
    for name, descending in reversed(order):
        found.sort(key=_sort_key(name, scores), reverse=descending)
    return found


def facets(
    entries: Sequence[Entry],
    names: Sequence[str],
    *,
    limit: int = 50,
    mincount: int = 1,
    titles: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """CKAN's legacy `facets` and its `search_facets` for the given fields."""
    titles = titles or {}
    legacy: dict[str, dict[str, int]] = {}
    rich: dict[str, dict[str, Any]] = {}
    for name in names:
        if name not in LIST_FIELDS:
            raise QueryError(f"undefined facet field {name}")
        counts = Counter(v for e in entries for v in set(_field_values(e, name)))
        items = sorted(
            ((n, c) for n, c in counts.items() if c >= mincount), key=lambda x: (-x[1], x[0])
        )
        if limit >= 0:
            items = items[:limit]
        legacy[name] = dict(items)
        shown = titles.get(name, {})
        rich[name] = {
            "title": name,
            "items": [{"name": n, "display_name": shown.get(n, n), "count": c} for n, c in items],
        }
    return legacy, rich
