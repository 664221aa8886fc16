"""Bulk upload: import jobs (dry run, then apply), templates, and the background task.

A job is created on upload and processed by `run_import` (the django-tasks task; small
files run inline). Processing parses the file (`imports/`), validates every row against the
dataset (codes, period and lock, the operator's regions, types and ranges), and then either
reports what would change (dry run: nothing written) or writes all rows in one transaction
through `services_values.write_values(source="import:<job id>")`. Any error: nothing applied,
and a CSV error report (row, column, code, reason) is kept on the job.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import logging
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from padu.audit import services as audit
from padu.organizations.permissions import regions_of_agency

from . import locks, rollups
from .choices import JobStatus, SubmissionStatus
from .imports import FileRejected, Problem, check_size, parse
from .imports.validate import Catalog, ElementSpec, Typed, validate
from .models import (
    DataElement,
    Dataset,
    ImportJob,
    LockException,
    OptionCombo,
    Submission,
)
from .permissions import entry_regions
from .services_values import ValueRow, WriteResult, shown, write_values

logger = logging.getLogger(__name__)
INLINE_BYTES = 256 * 1024  # smaller uploads are processed in the request
KEPT_ERRORS = 200


def max_mb() -> int:
    return int(getattr(settings, "DATABANK_IMPORT_MAX_MB", 50))


# --- metadata for validation ------------------------------------------------------


def element_specs(dataset: Dataset) -> dict[str, ElementSpec]:
    elements = list(
        DataElement.objects.filter(datasets=dataset).select_related("option_set").distinct()
    )
    combos: dict[int, dict[str, int]] = {}
    for oc_id, combo_id, code in OptionCombo.objects.filter(
        combo_id__in={e.category_combo_id for e in elements}
    ).values_list("pk", "combo_id", "code"):
        combos.setdefault(combo_id, {})[code] = oc_id
    out = {}
    for e in elements:
        options = (
            {o.code.lower(): o.code for o in e.option_set.options.all()} if e.option_set else {}
        )
        out[e.code] = ElementSpec(
            e.pk,
            e.code,
            e.value_type,
            combos.get(e.category_combo_id, {}),
            e.min_value,
            e.max_value,
            options,
        )
    return out


def dataset_region_codes(dataset: Dataset) -> set[str]:
    regions = regions_of_agency(dataset.agency).filter(level=dataset.collection_level)
    if dataset.regions.exists():
        regions = regions.filter(pk__in=dataset.regions.values("pk"))
    return set(regions.values_list("code", flat=True))


def lock_checker(dataset: Dataset, now: datetime.datetime) -> Callable[[str, str], str]:
    """(region, period) -> why it is closed ("" when open), by the entry area's lock rules:
    the dataset's window, lock exceptions, and submitted/accepted forms."""
    zone = zoneinfo.ZoneInfo(dataset.agency.timezone)
    today = now.astimezone(zone).date()
    exceptions: dict[tuple[str | None, str], datetime.date] = {}
    for period, region, until in LockException.objects.filter(
        dataset=dataset, until__gte=now
    ).values_list("period", "region_id", "until"):
        day = until.astimezone(zone).date()
        exceptions[(region, period)] = max(day, exceptions.get((region, period), day))
    forms: dict[tuple[str, str], tuple[str, datetime.datetime | None]] = {
        (region, period): (status, reviewed)
        for region, period, status, reviewed in Submission.objects.filter(dataset=dataset)
        .exclude(status=SubmissionStatus.OPEN)
        .values_list("region_id", "period", "status", "reviewed_at")
    }

    def why(region: str, period: str) -> str:
        status, reviewed = forms.get((region, period), (SubmissionStatus.OPEN, None))
        until = [d for d in (exceptions.get((region, period)), exceptions.get((None, period))) if d]
        state = locks.lock_state(
            period_code=period,
            open_after_days=dataset.open_after_days,
            close_after_days=dataset.close_after_days,
            today=today,
            submission_status=status,
            exception_until=max(until) if until else None,
            reviewed_on=reviewed.astimezone(zone).date() if reviewed else None,
        )
        return "" if state.is_open else state.reason

    by_period: dict[str, str] = {}  # pairs without a form or a region's exception

    def locked(region: str, period: str) -> str:
        key = (region, period)
        if key in forms or key in exceptions:
            return why(region, period)
        if period not in by_period:
            by_period[period] = why(region, period)
        return by_period[period]

    return locked


def build_catalog(dataset: Dataset, user: Any, now: datetime.datetime | None = None) -> Catalog:
    return Catalog(
        dataset.code,
        dataset.period_type,
        element_specs(dataset),
        dataset_region_codes(dataset),
        set(entry_regions(user, dataset).values_list("code", flat=True)),
        lock_checker(dataset, now or timezone.now()),
    )


# --- processing ----------------------------------------------------------------------


@dataclass
class Outcome:
    total: int = 0
    result: WriteResult = field(default_factory=WriteResult)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def compare(rows: Sequence[Typed]) -> WriteResult:
    """What writing the rows would do, without writing (the dry run)."""
    from .models import DataValue

    result = WriteResult()
    if not rows:
        return result
    stored: dict[tuple[int, int, str, str], str] = {}
    qs = DataValue.objects.filter(
        element_id__in={r[0] for r in rows},
        region_id__in={r[2] for r in rows},
        period__in={r[3] for r in rows},
    ).values_list("element_id", "option_combo_id", "region_id", "period", "value", "text")
    for e, c, reg, p, v, t in qs.iterator(chunk_size=5000):
        stored[(e, c, reg, p)] = shown(v, t)
    for e, c, reg, p, v, t, _comment in rows:
        old = stored.get((e, c, reg, p))
        new = shown(v, t)
        if old is None:
            if new == "":
                result.unchanged += 1
            else:
                result.created += 1
        elif old == new:
            result.unchanged += 1
        elif new == "":
            result.deleted += 1
        else:
            result.updated += 1
    return result


@contextmanager
def paused_gc() -> Iterator[None]:
    """Parsing a large file builds hundreds of thousands of small tuples that cannot form
    cycles; the cyclic collector would rescan them again and again (half of the parse time
    in `bench/bench_import.py`), so it pauses meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def process(
    *,
    data: bytes,
    fmt: str,
    dataset: Dataset,
    user: Any,
    dry_run: bool,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Parse, validate and (unless a dry run or any error) write the values of a file."""
    out = Outcome()
    try:
        check_size(len(data), max_mb())
        with paused_gc():
            parsed = parse(data, fmt)
    except FileRejected as exc:
        out.errors = exc.problems
        return out
    out.total = len(parsed.rows) + len(parsed.problems)
    if parsed.dataset_code and parsed.dataset_code != dataset.code:
        reason = _("The file is for dataset %(file)s, not %(dataset)s.") % {
            "file": parsed.dataset_code[:50],
            "dataset": dataset.code,
        }
        out.errors = [Problem(0, "dataSet", "wrong_dataset", reason)]
        return out
    if progress:
        progress(0, out.total)
    with paused_gc():
        checked = validate(parsed.rows, build_catalog(dataset, user))
    out.errors = sorted(parsed.problems + checked.errors, key=lambda p: p.line)
    out.warnings = checked.warnings
    if progress:
        progress(len(checked.rows), out.total)
    if out.errors:
        return out
    if dry_run:
        out.result = compare(checked.rows)
        return out
    with paused_gc():
        rows = [ValueRow(*r) for r in checked.rows]
        out.result = write_values(rows=rows, user=user, source=source, defer_rollups=True)
    out.applied = True
    # The values are committed; the aggregates above them follow in their own transaction
    # (a crash here leaves a PendingRollup that the scheduler's leftover job completes).
    rollups.refresh_pending(out.result.pending_rollup)
    return out


# --- jobs ------------------------------------------------------------------------------


def error_report(problems: Sequence[Problem]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_("row"), _("column"), _("code"), _("reason")])
    for p in problems:
        code = f"{p.code}_warning" if p.warning else p.code
        writer.writerow([p.line, p.column, code, p.reason])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def create_job(
    *,
    user: Any,
    dataset: Dataset,
    fmt: str,
    name: str,
    data: bytes,
    dry_run: bool = True,
    inline: bool | None = None,
) -> ImportJob:
    """Store the upload as a queued job, then process it (inline when small)."""
    with transaction.atomic():
        job = ImportJob(
            agency=dataset.agency,
            dataset=dataset,
            user=user,
            format=fmt,
            original_name=name[:255],
            dry_run=dry_run,
        )
        job.file.save(name[-100:] or "import", ContentFile(data), save=False)
        job.save()
        audit.record_create(job, actor=user, agency=dataset.agency)
    _start(job.pk, inline=len(data) <= INLINE_BYTES if inline is None else inline)
    job.refresh_from_db()
    return job


def apply_job(*, job: ImportJob, user: Any, inline: bool | None = None) -> ImportJob:
    """Apply a checked (dry-run) job's file for real."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (JobStatus.QUEUED, JobStatus.RUNNING) or not job.dry_run:
            return job
        if job.error_count:
            return job
        job.dry_run, job.status, job.done_rows = False, JobStatus.QUEUED, 0
        job.save(update_fields=["dry_run", "status", "done_rows"])
        audit.record(action="update", actor=user, agency=job.agency, instance=job, reason="apply")
    _start(job.pk, inline=job.file.size <= INLINE_BYTES if inline is None else inline)
    job.refresh_from_db()
    return job


def _start(job_id: int, *, inline: bool) -> None:
    if inline:
        run_job(job_id)
        return
    transaction.on_commit(lambda: _enqueue(job_id))


def _enqueue(job_id: int) -> None:
    try:
        run_import.enqueue(job_id)
    except Exception as exc:  # the queue is down: say so instead of waiting forever
        logger.exception("Queueing import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )


def run_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("dataset__agency", "user").get(pk=job_id)
    if job.dataset is None:
        job.status, job.message = JobStatus.FAILED, _("The dataset was deleted.")
        job.save(update_fields=["status", "message"])
        return job
    ImportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        outcome = process(
            data=data,
            fmt=job.format,
            dataset=job.dataset,
            user=job.user,
            dry_run=job.dry_run,
            source=f"import:{job.pk}",
            progress=progress,
        )
    except Exception as exc:
        logger.exception("Import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        return ImportJob.objects.get(pk=job_id)
    return _finish(job, outcome)


def _finish(job: ImportJob, outcome: Outcome) -> ImportJob:
    job.refresh_from_db(fields=["total_rows", "done_rows"])
    r = outcome.result
    job.status = JobStatus.DONE
    job.total_rows = outcome.total
    job.done_rows = outcome.total if outcome.ok else job.done_rows
    job.created_count, job.updated_count, job.unchanged_count = r.created, r.updated, r.unchanged
    job.error_count = len(outcome.errors)
    problems = outcome.errors + outcome.warnings
    job.errors = [
        {
            "line": p.line,
            "column": p.column,
            "code": p.code,
            "reason": p.reason,
            "warning": p.warning,
        }
        for p in problems[:KEPT_ERRORS]
    ]
    if problems:
        job.error_report.save(
            f"errors-{job.pk}.csv", ContentFile(error_report(problems)), save=False
        )
    job.message = summary(outcome, job.dry_run)
    job.finished_at = timezone.now()
    job.save()
    return job


def summary(outcome: Outcome, dry_run: bool) -> str:
    r = outcome.result
    if outcome.errors:
        return _("%(count)s problems found; nothing was applied.") % {"count": len(outcome.errors)}
    counts = {"created": r.created, "updated": r.updated, "deleted": r.deleted, "same": r.unchanged}
    if dry_run:
        return (
            _(
                "Dry run: would create %(created)s, update %(updated)s, delete %(deleted)s; "
                "%(same)s unchanged. Nothing was written."
            )
            % counts
        )
    return (
        _(
            "Applied: %(created)s created, %(updated)s updated, %(deleted)s deleted; "
            "%(same)s unchanged."
        )
        % counts
    )


@task(queue_name="default")
def run_import(job_id: int) -> str:
    return str(run_job(job_id).status)
