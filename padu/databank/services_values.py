"""The one write path for data values: entry, bulk import and review all come through here.

`write_values` compares the incoming rows with what is stored, inserts the new ones, updates
the changed ones, deletes the cleared ones, writes exactly one `ValueAudit` row per change
(none for an unchanged value, so re-importing a file writes nothing), and refreshes the
rollups above the touched values. Checking what may be written (locks, types, ranges,
permissions) happens before, in the callers' validation; this function trusts its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import rollups, values_pg
from .models import DataValue, PendingRollup, ValueAudit

Key = tuple[int, int, str, str]
_CHUNK = 500
# From this many rows on, PostgreSQL takes the set-based path (`values_pg`); same results.
PG_FAST_MIN = 2000


class ValueRow(NamedTuple):
    """One value to write (a light tuple: bulk imports build hundreds of thousands)."""

    element_id: int
    option_combo_id: int
    region_id: str
    period: str
    value: Decimal | None = None
    text: str = ""
    comment: str | None = None  # None: keep the stored comment

    @property
    def key(self) -> Key:
        return (self.element_id, self.option_combo_id, self.region_id, self.period)

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.text


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    pending_rollup: int | None = None  # deferred rollups to run after commit

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def shown(value: Decimal | None, text: str) -> str:
    """A value as the audit trail shows it: 12, 12.5, 'ya'; '' when empty."""
    if value is None:
        return text
    normal = value.normalize()
    return f"{normal:f}" if normal == normal.to_integral() else str(normal)


def existing_values(keys: Iterable[Key]) -> dict[Key, DataValue]:
    """The stored values for these keys, read in chunks with one query each."""
    keys = list(keys)
    out: dict[Key, DataValue] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        elements = {k[0] for k in chunk}
        regions = {k[2] for k in chunk}
        period_set = {k[3] for k in chunk}
        wanted = set(chunk)
        for dv in DataValue.objects.filter(
            element_id__in=elements, region_id__in=regions, period__in=period_set
        ):
            key = (dv.element_id, dv.option_combo_id, dv.region_id, dv.period)
            if key in wanted:
                out[key] = dv
    return out


@transaction.atomic
def write_values(
    *,
    rows: Iterable[ValueRow],
    user: Any,
    source: str,
    reason: str = "",
    defer_rollups: bool = False,
) -> WriteResult:
    """Upsert the rows (blank rows delete), audit each change once, refresh the rollups.

    With `defer_rollups` (bulk imports) the rollups are not refreshed here: a `PendingRollup`
    naming the audit rows just written is saved in the same transaction, and the caller runs
    `rollups.refresh_pending` once this transaction has committed (values are then visible
    at once; the aggregates follow)."""
    incoming = {row[:4]: row for row in rows}  # the last row for a key wins
    if values_pg.enabled() and len(incoming) >= PG_FAST_MIN:
        created, updated, deleted, unchanged, audit_range = values_pg.write(
            incoming.values(),
            user_id=getattr(user, "pk", None),
            source=source,
            reason=reason,
            keep_touched=not defer_rollups,
        )
        result = WriteResult(created, updated, deleted, unchanged)
        if defer_rollups:
            result.pending_rollup = _pending(audit_range)
        else:
            values_pg.refresh_touched()
        return result
    now = timezone.now()
    stored = existing_values(incoming)
    result = WriteResult()
    creates: list[DataValue] = []
    updates: list[DataValue] = []
    deletes: list[int] = []
    audits: list[ValueAudit] = []
    touched: set[Key] = set()
    for key, row in incoming.items():
        current = stored.get(key)
        new_shown = shown(row.value, row.text)
        if current is None:
            if row.is_blank:
                result.unchanged += 1
                continue
            creates.append(
                DataValue(
                    element_id=row.element_id,
                    option_combo_id=row.option_combo_id,
                    region_id=row.region_id,
                    period=row.period,
                    value=row.value,
                    text=row.text,
                    comment=row.comment or "",
                    updated_by=user,
                )
            )
            old_shown = ""
            result.created += 1
        else:
            old_shown = shown(current.value, current.text)
            comment_changed = row.comment is not None and row.comment != current.comment
            if old_shown == new_shown and not comment_changed:
                result.unchanged += 1
                continue
            if row.is_blank:
                deletes.append(current.pk)
                result.deleted += 1
            else:
                current.value, current.text, current.updated_by = row.value, row.text, user
                current.updated_at = now
                if row.comment is not None:
                    current.comment = row.comment
                updates.append(current)
                result.updated += 1
            if old_shown == new_shown:  # only the comment changed: no value audit, no rollup
                continue
        touched.add(key)
        audits.append(
            ValueAudit(
                element_id=row.element_id,
                option_combo_id=row.option_combo_id,
                region_id=row.region_id,
                period=row.period,
                old_value=old_shown[:1000],
                new_value=new_shown[:1000],
                user=user,
                reason=reason[:300],
                source=source[:40],
            )
        )
    if creates:
        DataValue.objects.bulk_create(creates, batch_size=2000)
    if updates:
        DataValue.objects.bulk_update(
            updates, ["value", "text", "comment", "updated_by", "updated_at"], batch_size=2000
        )
    for i in range(0, len(deletes), 5000):
        DataValue.objects.filter(pk__in=deletes[i : i + 5000]).delete()
    if audits:
        ValueAudit.objects.bulk_create(audits, batch_size=5000)
    ids = [a.pk for a in audits if a.pk is not None]
    if defer_rollups and len(ids) == len(audits):
        result.pending_rollup = _pending((min(ids), max(ids)) if ids else None)
    else:
        rollups.refresh(touched)
    return result


def _pending(audit_range: tuple[int, int] | None) -> int | None:
    if audit_range is None:  # nothing changed: nothing to refresh
        return None
    return PendingRollup.objects.create(first_audit=audit_range[0], last_audit=audit_range[1]).pk


def values_for(
    *, element_ids: Iterable[int], region_ids: Iterable[str], period_codes: Iterable[str]
) -> dict[Key, DataValue]:
    """Stored values of a form (elements x regions x periods) by key, in one query."""
    out: dict[Key, DataValue] = {}
    for dv in DataValue.objects.filter(
        Q(element_id__in=list(element_ids))
        & Q(region_id__in=list(region_ids))
        & Q(period__in=list(period_codes))
    ):
        out[(dv.element_id, dv.option_combo_id, dv.region_id, dv.period)] = dv
    return out
