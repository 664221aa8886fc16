"""Keep `AggregateValue` current, incrementally: after a write, only the aggregates above the
touched values are recomputed (no nightly rebuild).

For every touched (element, cell, leaf region, period): the leaf's own aggregates for that
period and every longer period containing it are recomputed from `DataValue`; then each
region level above is recomputed from its children's aggregates, one set-based read per
level, so a national rollup never rescans the villages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django_tasks import task

from padu.organizations.models import Region

from . import periods
from .aggregation import NONE, Cell, over_periods, over_regions
from .models import AggregateValue, DataElement, DataValue
from .permissions import ancestors_of

Key = tuple[int, int, str, str]  # element id, option combo id, region code, period code
_CHUNK = 500
_REGION_CHUNK = 2000


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _spans(period: str) -> list[periods.Period]:
    p = periods.parse(period)
    return [p, *p.parents()]


def _leaf_cells(
    kinds: dict[int, str], wanted: set[tuple[int, int, str, str]]
) -> dict[Key, Cell | None]:
    """Leaf aggregates (element, cell, leaf region, span) from the stored values."""
    by_group: dict[tuple[int, int, str], set[str]] = defaultdict(set)
    for element, combo, region, span in wanted:
        by_group[(element, combo, region)].add(span)
    out: dict[Key, Cell | None] = {}
    groups = list(by_group)
    for i in range(0, len(groups), _CHUNK):
        chunk = groups[i : i + _CHUNK]
        years = sorted({int(s[:4]) for g in chunk for s in by_group[g]})
        # IN lists led by the regions and a range of period codes (a code starts with its
        # year), so the value key (region, period, element, cell) serves the read; an OR of
        # per-key conditions let SQLite scan a whole element's values instead (seconds at
        # national scale). Rows of other combinations are dropped here.
        in_chunk = set(chunk)
        rows = DataValue.objects.filter(
            region_id__in={g[2] for g in chunk},
            period__gte=str(years[0]),
            period__lt=str(years[-1] + 1),
            element_id__in={g[0] for g in chunk},
            option_combo_id__in={g[1] for g in chunk},
            value__isnull=False,
        )
        stored: dict[tuple[int, int, str], list[tuple[str, Decimal]]] = defaultdict(list)
        for e, c, r, p, v in rows.values_list(
            "element_id", "option_combo_id", "region_id", "period", "value"
        ):
            if v is not None and (e, c, r) in in_chunk and int(p[:4]) in years:
                stored[(e, c, r)].append((p, v))
        for group in chunk:
            for span_code in by_group[group]:
                window = periods.parse(span_code)
                inside = [
                    (code, value)
                    for code, value in stored.get(group, [])
                    if window.start <= periods.parse(code).start
                    and periods.parse(code).end <= window.end
                ]
                out[(*group, span_code)] = over_periods(kinds[group[0]], inside)
    return out


def _children_cells(kinds: dict[int, str], wanted: set[Key]) -> dict[Key, Cell | None]:
    """Aggregates of parent regions from their children's aggregates (one read per batch).

    The children are looked up first and their aggregates read with IN lists on the
    (element, period, region) index; an OR of per-key conditions joined to the regions
    made the database scan every kept aggregate (seconds per level at national scale)."""
    out: dict[Key, Cell | None] = {}
    # Batches of one element, cell and period where possible, so the IN lists fetch little
    # beyond the wanted children.
    keys = sorted(wanted, key=lambda k: (k[0], k[1], k[3], k[2]))
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        in_chunk = set(chunk)
        parent_of = dict(
            Region.objects.filter(parent_id__in={k[2] for k in chunk}).values_list(
                "code", "parent_id"
            )
        )
        codes = list(parent_of)
        children: dict[Key, list[Cell]] = defaultdict(list)
        for j in range(0, len(codes), _REGION_CHUNK):
            rows = AggregateValue.objects.filter(
                element_id__in={k[0] for k in chunk},
                option_combo_id__in={k[1] for k in chunk},
                period__in={k[3] for k in chunk},
                region_id__in=codes[j : j + _REGION_CHUNK],
            ).values_list("element_id", "option_combo_id", "region_id", "period", "value", "count")
            for e, c, r, p, v, n in rows:
                key = (e, c, parent_of[r], p)
                if key in in_chunk:
                    children[key].append(Cell(v, n))
        for key in chunk:
            out[key] = over_regions(kinds[key[0]], children.get(key, []))
    return out


def _save(results: dict[Key, Cell | None]) -> None:
    present = [
        AggregateValue(
            element_id=e,
            option_combo_id=c,
            region_id=r,
            period=p,
            value=cell.value,
            count=cell.count,
        )
        for (e, c, r, p), cell in results.items()
        if cell is not None
    ]
    if present:
        AggregateValue.objects.bulk_create(
            present,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["element", "option_combo", "region", "period"],
            update_fields=["value", "count"],
        )
    gone = [key for key, cell in results.items() if cell is None]
    for i in range(0, len(gone), _CHUNK):
        match = Q()
        for e, c, r, p in gone[i : i + _CHUNK]:
            match |= Q(element_id=e, option_combo_id=c, region_id=r, period=p)
        AggregateValue.objects.filter(match).delete()


@transaction.atomic
def refresh(touched: Iterable[Key]) -> int:
    """Recompute every aggregate above the touched values; returns how many were written."""
    touched = set(touched)
    if not touched:
        return 0
    from . import values_pg
    from .services_values import PG_FAST_MIN

    if values_pg.enabled() and len(touched) >= PG_FAST_MIN:  # same results, set-based
        values_pg.load_touched(touched)
        return values_pg.refresh_touched()
    kinds = dict(
        DataElement.objects.filter(pk__in={t[0] for t in touched}).values_list("pk", "aggregation")
    )
    touched = {t for t in touched if kinds.get(t[0], NONE) != NONE}
    level: set[Key] = {(e, c, r, span.code) for e, c, r, p in touched for span in _spans(p)}
    written = 0
    results = _leaf_cells(kinds, level)
    _save(results)
    written += len(results)
    while True:
        parents = {(e, c, parent, p) for e, c, r, p in level if (parent := _parent(r))}
        if not parents:
            break
        results = _children_cells(kinds, parents)
        _save(results)
        written += len(results)
        level = parents
    return written


def refresh_pending(pending_id: int | None) -> int:
    """Run one deferred refresh (see `services_values.write_values(defer_rollups=True)`) in
    its own transaction; returns how many aggregates were written (0 if already done)."""
    if pending_id is None:
        return 0
    from . import values_pg
    from .models import PendingRollup, ValueAudit

    with transaction.atomic():
        pending = PendingRollup.objects.select_for_update(skip_locked=True).filter(pk=pending_id)
        job = pending.first()
        if job is None:  # done already, or being done by another worker
            return 0
        if values_pg.enabled():
            values_pg.load_touched_from_audit(job.first_audit, job.last_audit)
            written = values_pg.refresh_touched()
        else:
            keys = ValueAudit.objects.filter(
                id__range=(job.first_audit, job.last_audit)
            ).values_list("element_id", "option_combo_id", "region_id", "period")
            written = refresh(set(keys))
        job.delete()
    return written


def refresh_leftovers() -> int:
    """Deferred refreshes whose writer stopped before running them (a crash, a restart)."""
    from .models import PendingRollup

    written = 0
    for pk in PendingRollup.objects.order_by("pk").values_list("pk", flat=True):
        written += refresh_pending(pk)
    return written


@task()
def refresh_leftover_rollups() -> int:
    """The scheduled job: complete deferred refreshes that no writer finished."""
    return refresh_leftovers()


def rebuild(element_ids: Iterable[int] | None = None) -> int:
    """Recompute the aggregates of these elements (or all) from scratch, e.g. after a repair."""
    values = DataValue.objects.filter(value__isnull=False)
    if element_ids is not None:
        values = values.filter(element_id__in=list(element_ids))
        AggregateValue.objects.filter(element_id__in=list(element_ids)).delete()
    else:
        AggregateValue.objects.all().delete()
    keys = set(values.values_list("element_id", "option_combo_id", "region_id", "period"))
    return refresh(keys)


__all__ = ["ancestors_of", "rebuild", "refresh", "refresh_leftovers", "refresh_pending"]
