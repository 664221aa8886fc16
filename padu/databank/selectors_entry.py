"""Reads for entry, review and the completeness board, scoped by the caller's permission checks."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from padu.evaluation.permissions import today_in
from padu.organizations.models import Agency, Region

from . import locks, periods
from .choices import PeriodType, SubmissionStatus, ValueStatus
from .models import (
    DataElement,
    Dataset,
    DatasetElement,
    DataValue,
    LockException,
    OptionCombo,
    Submission,
)
from .services_values import shown

PERIOD_KIND = {
    PeriodType.MONTHLY: periods.MONTHLY,
    PeriodType.QUARTERLY: periods.QUARTERLY,
    PeriodType.SIXMONTHLY: periods.SIXMONTHLY,
    PeriodType.YEARLY: periods.YEARLY,
}


def local_date(dataset: Dataset, moment: datetime.datetime | None) -> datetime.date | None:
    if moment is None:
        return None
    return moment.astimezone(zoneinfo.ZoneInfo(dataset.agency.timezone)).date()


def period_fits(dataset: Dataset, code: str) -> bool:
    """The code is a valid period of the dataset's period type."""
    try:
        return periods.parse(code).type == PERIOD_KIND[PeriodType(dataset.period_type)]
    except ValueError:
        return False


def submission_for(dataset: Dataset, region_code: str, period: str) -> Submission | None:
    return Submission.objects.filter(dataset=dataset, region_id=region_code, period=period).first()


def active_exception(dataset: Dataset, region_code: str, period: str) -> LockException | None:
    """The latest lock exception still running for this region (or all regions) and period."""
    return (
        LockException.objects.filter(dataset=dataset, period=period, until__gte=timezone.now())
        .filter(Q(region_id=region_code) | Q(region__isnull=True))
        .order_by("-until")
        .first()
    )


def lock_for(
    dataset: Dataset, region_code: str, period: str, submission: Submission | None
) -> locks.LockState:
    """The lock state of a form today (agency time zone), with its reason.

    Lock exceptions only matter when the calendar closes the form, so they are read then.
    """
    args: dict[str, Any] = {
        "period_code": period,
        "open_after_days": dataset.open_after_days,
        "close_after_days": dataset.close_after_days,
        "today": today_in(dataset.agency),
        "submission_status": submission.status if submission else SubmissionStatus.OPEN,
        "reviewed_on": local_date(dataset, submission.reviewed_at) if submission else None,
    }
    state = locks.lock_state(**args)
    if state.code in (locks.NOT_YET_OPEN, locks.EXPIRED):
        exception = active_exception(dataset, region_code, period)
        if exception is not None:
            state = locks.lock_state(**args, exception_until=local_date(dataset, exception.until))
    return state


@dataclass
class Cell:
    element_id: int
    combo_id: int
    combo_name: str = ""
    value: str = ""
    comment: str = ""
    status: str = ValueStatus.ENTERED
    return_reason: str = ""
    return_comment: str = ""
    previous: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.element_id}-{self.combo_id}"

    @property
    def is_returned(self) -> bool:
        return self.status == ValueStatus.RETURNED


@dataclass
class Row:
    element: DataElement
    compulsory: bool
    cells: list[Cell]
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    combos: list[OptionCombo]
    rows: list[Row] = field(default_factory=list)


@dataclass
class FormGrid:
    sections: list[Section]
    elements: list[DatasetElement]
    stored: dict[tuple[int, int], DataValue]

    def cells(self) -> list[Cell]:
        return [c for s in self.sections for r in s.rows for c in r.cells]


def dataset_elements(dataset: Dataset) -> list[DatasetElement]:
    return list(
        DatasetElement.objects.filter(dataset=dataset)
        .select_related("element", "element__category_combo", "element__option_set")
        .order_by("position", "pk")
    )


def combos_by_combo(combo_ids: set[int]) -> dict[int, list[OptionCombo]]:
    out: dict[int, list[OptionCombo]] = defaultdict(list)
    for oc in OptionCombo.objects.filter(combo_id__in=combo_ids).order_by("position", "pk"):
        out[oc.combo_id].append(oc)
    return out


def stored_values(
    element_ids: list[int], region_code: str, period: str
) -> dict[tuple[int, int], DataValue]:
    return {
        (dv.element_id, dv.option_combo_id): dv
        for dv in DataValue.objects.filter(
            element_id__in=element_ids, region_id=region_code, period=period
        )
    }


def form_grid(dataset: Dataset, region_code: str, period: str) -> FormGrid:
    """Elements by disaggregation cells with stored and previous-period values (5 queries)."""
    items = dataset_elements(dataset)
    element_ids = [de.element_id for de in items]
    combos = combos_by_combo({de.element.category_combo_id for de in items})
    stored = stored_values(element_ids, region_code, period)
    previous_code = periods.parse(period).previous().code
    previous = stored_values(element_ids, region_code, previous_code)
    option_sets = {de.element.option_set_id for de in items if de.element.option_set_id}
    options: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if option_sets:
        from .models import Option

        for o in Option.objects.filter(option_set_id__in=option_sets).order_by("position", "pk"):
            options[o.option_set_id].append((o.code, o.name))
    sections: list[Section] = []
    for de in items:
        element = de.element
        element_combos = combos.get(element.category_combo_id, [])
        if not sections or [c.pk for c in sections[-1].combos] != [c.pk for c in element_combos]:
            sections.append(Section(combos=element_combos))
        cells = []
        for oc in element_combos:
            dv = stored.get((element.pk, oc.pk))
            before = previous.get((element.pk, oc.pk))
            cell = Cell(element.pk, oc.pk, oc.name)
            if dv is not None:
                cell.value, cell.comment, cell.status = (
                    shown(dv.value, dv.text),
                    dv.comment,
                    dv.status,
                )
                cell.return_reason = dv.get_return_reason_display() if dv.return_reason else ""
                cell.return_comment = dv.return_comment
            if before is not None:
                cell.previous = shown(before.value, before.text)
            cells.append(cell)
        sections[-1].rows.append(
            Row(element, de.compulsory, cells, options.get(element.option_set_id or 0, []))
        )
    return FormGrid(sections, items, stored)


def history_values(
    element_id: int, combo_id: int, region_code: str, period: str, count: int = 12
) -> list[Decimal]:
    """The cell's values in the region's `count` previous periods (for outlier checks)."""
    codes, current = [], periods.parse(period)
    for _ in range(count):
        current = current.previous()
        codes.append(current.code)
    return [
        v
        for v in DataValue.objects.filter(
            element_id=element_id, option_combo_id=combo_id, region_id=region_code, period__in=codes
        ).values_list("value", flat=True)
        if v is not None
    ]


def form_history(
    element_ids: list[int], region_code: str, period: str, count: int = 12
) -> dict[tuple[int, int], list[Decimal]]:
    """Each cell's numbers in the region's `count` previous periods, in one query."""
    codes, current = [], periods.parse(period)
    for _ in range(count):
        current = current.previous()
        codes.append(current.code)
    out: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for element_id, combo_id, value in DataValue.objects.filter(
        element_id__in=element_ids, region_id=region_code, period__in=codes, value__isnull=False
    ).values_list("element_id", "option_combo_id", "value"):
        if value is not None:
            out[(element_id, combo_id)].append(value)
    return out


def peer_values(element_id: int, combo_id: int, region: Region, period: str) -> list[Decimal]:
    """The same cell in the other regions of the same level in the kota/kabupaten."""
    city = ".".join(region.code.split(".")[:2])
    return [
        v
        for v in DataValue.objects.filter(
            element_id=element_id,
            option_combo_id=combo_id,
            period=period,
            region__code__startswith=city + ".",
            region__level=region.level,
        )
        .exclude(region_id=region.code)
        .values_list("value", flat=True)
        if v is not None
    ]


def recent_periods(dataset: Dataset, today: datetime.date, count: int = 6) -> list[str]:
    """The `count` most recent periods of the dataset up to today, newest first."""
    kind = PERIOD_KIND[PeriodType(dataset.period_type)]
    current = periods.containing(today, kind)
    out = []
    for _ in range(count):
        out.append(current.code)
        current = current.previous()
    return out


def submissions_by_key(
    dataset: Dataset, region_codes: list[str], period_codes: list[str]
) -> dict[tuple[str, str], Submission]:
    return {
        (s.region_id, s.period): s
        for s in Submission.objects.filter(
            dataset=dataset, region_id__in=region_codes, period__in=period_codes
        )
    }


def entry_regions_by_dataset(
    user: Any, agency: Agency, datasets: list[Dataset], limit: int = 200
) -> dict[int, list[Region]]:
    """Each dataset's regions where `user` may enter, as `permissions.entry_regions`.

    The regions are read once for all datasets, walking down the tree by the indexed parent
    from the agency's region (custodians, producers) or the operator's own regions: one
    query per level, however many datasets there are (a LIKE on the code scans the table).
    """
    from .permissions import can_edit_dataset, is_custodian, operator_region_codes

    root = agency.region_id or ""
    if not root or not datasets:
        return {}
    custodian = is_custodian(user, agency)
    edits = {d.pk for d in datasets if custodian or can_edit_dataset(user, d)}
    editor = bool(edits)  # reads the whole tree; each dataset still filters below
    own = sorted(operator_region_codes(user, agency))
    tops = [root] if editor else [c for c in own if c == root or c.startswith(root + ".")]
    if not tops:
        return {}
    levels = {d.collection_level for d in datasets}
    deepest = max(levels)
    by_code = {r.code: r for r in Region.objects.filter(code__in=tops, level__lte=deepest)}
    frontier = [r.code for r in by_code.values() if r.level < deepest]
    while frontier:
        children = list(Region.objects.filter(parent_id__in=frontier, level__lte=deepest))
        by_code.update((r.code, r) for r in children)
        frontier = [r.code for r in children if r.level < deepest]
    found = sorted((r for r in by_code.values() if r.level in levels), key=lambda r: r.code)
    listed: dict[int, set[str]] = defaultdict(set)
    for dataset_id, code in Dataset.regions.through.objects.filter(
        dataset_id__in=[d.pk for d in datasets]
    ).values_list("dataset_id", "region_id"):
        listed[dataset_id].add(code)
    out: dict[int, list[Region]] = {}
    for dataset in datasets:
        mine = listed.get(dataset.pk)
        allowed = dataset.pk in edits  # a producer: their OPD's datasets, not every one
        out[dataset.pk] = [
            r
            for r in found
            if r.level == dataset.collection_level
            and (not mine or r.code in mine)
            and (allowed or any(r.code == c or r.code.startswith(c + ".") for c in own))
        ][:limit]
    return out


def entry_submissions(
    datasets: list[Dataset], region_codes: set[str], period_codes: set[str]
) -> dict[tuple[int, str, str], Submission]:
    """The submissions of these datasets, regions and periods, in one query."""
    if not datasets or not region_codes or not period_codes:
        return {}
    return {
        (s.dataset_id, s.region_id, s.period): s
        for s in Submission.objects.filter(
            dataset__in=datasets, region_id__in=region_codes, period__in=period_codes
        )
    }


def submissions_to_review(datasets: Any) -> Any:
    """Submitted forms of these datasets, oldest first."""
    return (
        Submission.objects.filter(dataset__in=datasets, status=SubmissionStatus.SUBMITTED)
        .select_related("dataset", "region", "submitted_by")
        .order_by("submitted_at", "pk")
    )


HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass
class BoardCell:
    period: str
    status: str = SubmissionStatus.OPEN
    on_time: bool | None = None  # None: not handed in
    submitted_on: datetime.date | None = None


@dataclass
class BoardRow:
    region: Region
    cells: list[BoardCell]


@dataclass
class PeriodSummary:
    period: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    verified: int = 0
    returned: int = 0


@dataclass
class Board:
    periods: list[str]
    rows: list[BoardRow]
    summary: list[PeriodSummary]


def board_periods(dataset: Dataset, year: int, today: datetime.date) -> list[str]:
    """The dataset's periods of `year` that have started by `today`."""
    kind = PERIOD_KIND[PeriodType(dataset.period_type)]
    return [
        p.code
        for p in periods.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31), kind)
        if p.start <= today
    ]


def completeness_board(
    dataset: Dataset, regions: list[Region], year: int, today: datetime.date
) -> Board:
    """Regions by periods: who has handed in, on time, verified, returned (2 queries)."""
    codes = board_periods(dataset, year, today)
    found = submissions_by_key(dataset, [r.code for r in regions], codes)
    summary = {code: PeriodSummary(code, expected=len(regions)) for code in codes}
    rows = []
    for region in regions:
        cells = []
        for code in codes:
            sub = found.get((region.code, code))
            cell = BoardCell(code)
            if sub is not None:
                cell.status = sub.status
                cell.submitted_on = local_date(dataset, sub.submitted_at)
            if cell.submitted_on is not None:
                due = locks.days_after(periods.parse(code).end, dataset.timely_days)
                cell.on_time = cell.submitted_on <= due
            s = summary[code]
            s.submitted += cell.status in HANDED_IN
            s.verified += cell.status == SubmissionStatus.ACCEPTED
            s.returned += cell.status == SubmissionStatus.RETURNED
            s.on_time += bool(cell.on_time) and cell.status in HANDED_IN
            cells.append(cell)
        rows.append(BoardRow(region, cells))
    return Board(codes, rows, [summary[c] for c in codes])
