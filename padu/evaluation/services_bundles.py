"""Evidence bundles: requesting one, and the job's writes (progress, result, notifications).

What goes into the ZIP and how it is written is in `bundles.py`.
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from padu.accounts.choices import Role
from padu.accounts.models import User
from padu.accounts.notifications import notify
from padu.audit import services as audit

from .bundles import (
    Entry,
    Progress,
    Row,
    Status,
    build_evidence_bundle,
    plan_entries,
    write_bundle,
)
from .choices import JobStatus
from .models import EvidenceBundle, Period
from .permissions import can_manage_evaluation

logger = logging.getLogger(__name__)

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
# A job that has not finished after this long was killed (worker restart, out of memory).
STALE_RUNNING = datetime.timedelta(hours=2)
STALE_QUEUED = datetime.timedelta(hours=12)
INDEX_TEMPLATE = "evaluation/bundle_index.html"


# --- requesting ------------------------------------------------------------------


def _stale_q(now: datetime.datetime) -> Q:
    return Q(status=JobStatus.RUNNING, started_at__lt=now - STALE_RUNNING) | Q(
        status=JobStatus.QUEUED, created_at__lt=now - STALE_QUEUED
    )


@transaction.atomic
def request_evidence_bundle(*, period: Period, user: Any) -> tuple[EvidenceBundle, bool]:
    """Queue a new bundle of `period`; while one is queued or running, return that one.

    Returns (bundle, created). Bundles abandoned by a dead worker are marked failed first."""
    if not can_manage_evaluation(user, period.agency):
        raise PermissionDenied(_("Only the SPBE coordinator may build evidence bundles."))
    Period.objects.select_for_update().filter(pk=period.pk).first()  # one request at a time
    now = timezone.now()
    period.bundles.filter(_stale_q(now)).update(
        status=JobStatus.FAILED,
        error=_("The job was interrupted before it finished. Request a new bundle."),
        finished_at=now,
    )
    existing = period.bundles.filter(status__in=ACTIVE).order_by("-created_at").first()
    if existing is not None:
        return existing, False
    bundle = EvidenceBundle.objects.create(period=period, requested_by=user)
    audit.record_create(bundle, actor=user, agency=period.agency)
    transaction.on_commit(lambda: _enqueue(bundle.pk))
    return bundle, True


def _enqueue(bundle_id: int) -> None:
    try:
        result = build_evidence_bundle.enqueue(bundle_id)
    except Exception as exc:  # the queue is down: say so instead of waiting forever
        logger.exception("Queueing evidence bundle %s failed", bundle_id)
        _fail(bundle_id, exc)
        return
    EvidenceBundle.objects.filter(pk=bundle_id, task_id="").update(task_id=str(result.id)[:64])


# --- the job ---------------------------------------------------------------------


class _MovableFile(File):  # type: ignore[type-arg]
    """A file on local disk that FileSystemStorage may move into place instead of copying."""

    def __init__(self, fh: Any, path: str) -> None:
        super().__init__(fh, name=os.path.basename(path))
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _save_progress(bundle_id: int) -> Any:
    def report(files: int, done_bytes: int) -> None:
        EvidenceBundle.objects.filter(pk=bundle_id).update(done_files=files, done_bytes=done_bytes)

    return report


def _open_stored(name: str) -> Any:
    return default_storage.open(name, "rb")


def _render_index(bundle: EvidenceBundle, template: Future[Any]) -> Any:
    def render(rows: list[Row]) -> str:
        return template.result().render(
            {
                "period": bundle.period,
                "rows": [r.for_index() for r in rows],
                "created": timezone.localtime(),
                "files": sum(1 for r in rows if r.in_zip),
                "missing": sum(1 for r in rows if r.status == Status.MISSING),
            },
        )

    return render


def _bundle_name(bundle: EvidenceBundle) -> str:
    period = bundle.period
    return f"paket-bukti-{period.agency.slug}-{period.year}-{bundle.pk}.zip"


def run_bundle(bundle_id: int) -> str:
    """The job: claim the queued bundle, build it, record the result; never leaves it running."""
    started = timezone.now()
    claimed = EvidenceBundle.objects.filter(pk=bundle_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started, error=""
    )
    if not claimed:  # already built, or deleted: running it twice does nothing
        return str(
            EvidenceBundle.objects.filter(pk=bundle_id).values_list("status", flat=True).first()
            or ""
        )
    with translation.override(settings.LANGUAGE_CODE):
        try:
            bundle = EvidenceBundle.objects.select_related(
                "period__agency", "period__instrument", "requested_by"
            ).get(pk=bundle_id)
            rows = _build(bundle)
        except BaseException as exc:
            logger.exception("Evidence bundle %s failed", bundle_id)
            _fail(bundle_id, exc)
            if not isinstance(exc, Exception):
                raise
            return str(JobStatus.FAILED)
        _notify_result(bundle, rows)
    return str(JobStatus.DONE)


def _build(bundle: EvidenceBundle) -> list[Row]:
    entries: list[Entry] = plan_entries(bundle.period)
    with_files = [e for e in entries if e.storage_name]
    bundle.total_files = len(with_files)
    bundle.total_bytes = sum(e.expected_size for e in with_files)
    bundle.save(update_fields=["total_files", "total_bytes"])
    # Saved once a second (the page polls every 2 s), not every few files: on SQLite each
    # save is a commit, which costs more than packing the files in between.
    progress = Progress(_save_progress(bundle.pk), files=1000)
    fd, path = tempfile.mkstemp(
        prefix="padu-bundle-", suffix=".zip", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    try:
        with (
            os.fdopen(fd, "w+b") as fh,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-index") as pool,
        ):
            # A new worker compiles the index template (0.15 s) while the files are packed.
            template = pool.submit(get_template, INDEX_TEMPLATE)
            written = write_bundle(
                entries,
                fh,
                open_source=_open_stored,
                progress=progress,
                render_index=_render_index(bundle, template),
            )
            bundle.size, bundle.sha256 = written.size, written.sha256
            bundle.file.save(_bundle_name(bundle), _MovableFile(fh, path), save=False)
    finally:
        if os.path.exists(path):  # moved into storage, or left behind by an error
            os.unlink(path)
    bundle.done_files = progress.files
    bundle.done_bytes = progress.bytes
    rows = written.rows
    bundle.missing_files = sum(1 for r in rows if r.status == Status.MISSING)
    bundle.status = JobStatus.DONE
    bundle.finished_at = timezone.now()
    bundle.save(
        update_fields=[
            "file",
            "size",
            "sha256",
            "done_files",
            "done_bytes",
            "missing_files",
            "status",
            "finished_at",
        ]
    )
    return rows


def _fail(bundle_id: int, exc: BaseException) -> None:
    message = _("The bundle could not be built: %(error)s") % {
        "error": str(exc) or type(exc).__name__
    }
    EvidenceBundle.objects.filter(pk=bundle_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    bundle = EvidenceBundle.objects.select_related("period__agency", "requested_by").filter(
        pk=bundle_id
    )
    for b in bundle:
        notify(
            [b.requested_by] if b.requested_by else [],
            agency=b.period.agency,
            title=_("The evidence bundle of %(year)s failed") % {"year": b.period.year},
            body=message,
            url=_list_url(b),
        )


# --- telling people --------------------------------------------------------------


def _list_url(bundle: EvidenceBundle) -> str:
    return reverse("evaluation:bundle_list", args=[bundle.period_id])


def coordinators_of(bundle: EvidenceBundle) -> list[User]:
    agency = bundle.period.agency
    return list(
        User.objects.filter(
            memberships__agency=agency, memberships__role=Role.SPBE_COORDINATOR, is_active=True
        ).distinct()
    )


def _notify_result(bundle: EvidenceBundle, rows: list[Row]) -> None:
    """The requester hears that the bundle is ready; missing or altered files also go to
    the koordinator, by email too, naming the files."""
    problems = [r for r in rows if r.status in (Status.MISSING, Status.MISMATCH)]
    requester = [bundle.requested_by] if bundle.requested_by else []
    if not problems:
        notify(
            requester,
            agency=bundle.period.agency,
            title=_("The evidence bundle of %(year)s is ready") % {"year": bundle.period.year},
            url=_list_url(bundle),
            email=False,
        )
        return
    missing = sum(1 for r in problems if r.status == Status.MISSING)
    altered = len(problems) - missing
    lines = [
        f"- {r.path} ({r.entry.title}): "
        + (_("missing") if r.status == Status.MISSING else _("checksum mismatch"))
        for r in problems[:50]
    ]
    if len(problems) > 50:
        lines.append(_("… and %(count)d more.") % {"count": len(problems) - 50})
    body = (
        _(
            "The evidence bundle of %(year)s is ready, but %(missing)d files were missing from "
            "storage and %(altered)d files differ from their recorded checksum. They are listed "
            "in the manifest; upload them again before sending the bundle."
        )
        % {"year": bundle.period.year, "missing": missing, "altered": altered}
        + "\n\n"
        + "\n".join(lines)
    )
    notify(
        [*requester, *coordinators_of(bundle)],
        agency=bundle.period.agency,
        title=_("Evidence bundle %(year)s: %(count)d files missing or altered")
        % {"year": bundle.period.year, "count": len(problems)},
        body=body,
        url=_list_url(bundle),
    )
