"""Evidence bundles: permissions first, then the ZIP's layout, manifest and checksums,
missing files, failures, the service's single-job rule, and the real database worker."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from padu.accounts.models import Notification
from padu.audit.models import AuditEvent
from padu.evaluation import bundles
from padu.evaluation import services_evidence as evidence_svc
from padu.evaluation.bundles import Progress, bundle_file_name, compress_type, indicator_label
from padu.evaluation.choices import EvidenceKind, JobStatus
from padu.evaluation.models import (
    Assessment,
    Criterion,
    Evidence,
    EvidenceBundle,
    EvidenceFile,
    EvidenceLink,
    Period,
)
from padu.evaluation.services_bundles import request_evidence_bundle

from .factories import make_instrument, make_period

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


# --- fixtures and helpers --------------------------------------------------------


@pytest.fixture
def slots_period(agency, units) -> Period:
    """Three indicators; indicator 3 is scored for two sector services (two slots)."""
    instrument = make_instrument(code="bundle", service_slots=2)
    return make_period(agency=agency, instrument=instrument, year=2025, lead_unit=units["dinkes"])


def assessment(period: Period, number: int, slot: int = 1) -> Assessment:
    return period.assessments.get(indicator__number=number, slot=slot)


def file_evidence(actor: Any, unit: Any, name: str, content: bytes, **fields: Any) -> Evidence:
    return evidence_svc.create_evidence(
        actor=actor,
        agency=unit.agency,
        owner_unit=unit,
        title=fields.pop("title", name),
        kind=EvidenceKind.REGULATION,
        upload=SimpleUploadedFile(name, content),
        **fields,
    )


def link(a: Assessment, evidence: Evidence, level: int, criterion: Criterion | None = None) -> None:
    EvidenceLink.objects.create(assessment=a, evidence=evidence, level=level, criterion=criterion)


def build(period: Period, user: Any, django_capture_on_commit_callbacks: Any) -> EvidenceBundle:
    """Request a bundle; the immediate backend runs the job when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        bundle, created = request_evidence_bundle(period=period, user=user)
    assert created
    bundle.refresh_from_db()
    return bundle


def open_zip(bundle: EvidenceBundle) -> zipfile.ZipFile:
    with bundle.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def manifest(zf: zipfile.ZipFile) -> list[dict[str, str]]:
    text = zf.read("MANIFEST.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def library(slots_period, coordinator, units) -> dict[str, Evidence]:
    """A: a decree linked at I01 L3 (twice, for two criteria), I01 L4 and I03-2 L2;
    B: two versions at I01 L3; C: a link only at I01 L3; D: a screenshot at I02 L1."""
    dinkes = units["dinkes"]
    a = file_evidence(
        coordinator,
        dinkes,
        "Perwali SPBE 2025.pdf",
        PDF + b"A" * 5000,
        title="Perwali Nomor 12 Tahun 2025 tentang SPBE",
        document_number="12/2025",
        document_date=datetime.date(2025, 3, 4),
    )
    b = file_evidence(coordinator, dinkes, "SK Tim.pdf", PDF + b"old", title="SK Tim SPBE")
    evidence_svc.replace_evidence_file(
        actor=coordinator, evidence=b, upload=SimpleUploadedFile("SK Tim rev.pdf", PDF + b"new")
    )
    c = evidence_svc.create_evidence(
        actor=coordinator,
        agency=dinkes.agency,
        owner_unit=dinkes,
        title="Portal SPBE",
        kind=EvidenceKind.APP_LINK,
        url="https://spbe.kendarikota.go.id/",
    )
    d = file_evidence(coordinator, dinkes, "Tangkapan layar ü.png", PNG, title="Layar")
    i01 = assessment(slots_period, 1)
    criteria = list(Criterion.objects.filter(level__indicator=i01.indicator, level__level=4))
    link(i01, a, 3)
    link(i01, b, 3)
    link(i01, c, 3)
    link(i01, a, 4, criteria[0])
    link(i01, a, 4, criteria[1])  # the same evidence for a second criterion: packed once
    link(assessment(slots_period, 2), d, 1)
    link(assessment(slots_period, 3, slot=2), a, 2)
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def done_bundle(slots_period, coordinator, library, django_capture_on_commit_callbacks):
    return build(slots_period, coordinator, django_capture_on_commit_callbacks)


# --- permissions -----------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, period) -> None:
    bundle = EvidenceBundle.objects.create(period=period)
    for response in (
        client.get(reverse("evaluation:bundle_list", args=[period.pk])),
        client.post(reverse("evaluation:bundle_create", args=[period.pk])),
        client.get(reverse("evaluation:bundle_download", args=[bundle.pk])),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_another_agency_gets_404(client: Client, done_bundle, outsider) -> None:
    client.force_login(outsider)
    pk = done_bundle.period_id
    assert client.get(reverse("evaluation:bundle_list", args=[pk])).status_code == 404
    assert client.post(reverse("evaluation:bundle_create", args=[pk])).status_code == 404
    url = reverse("evaluation:bundle_download", args=[done_bundle.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "village_operator"])
def test_readers_without_the_whole_library_may_not_see_bundles(
    client: Client, done_bundle, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    pk = done_bundle.period_id
    assert client.get(reverse("evaluation:bundle_list", args=[pk])).status_code == 403
    assert client.post(reverse("evaluation:bundle_create", args=[pk])).status_code == 403
    url = reverse("evaluation:bundle_download", args=[done_bundle.pk])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["assessor", "leader"])
def test_assessors_and_leaders_download_but_may_not_build(
    client: Client, done_bundle, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    pk = done_bundle.period_id
    page = client.get(reverse("evaluation:bundle_list", args=[pk]))
    assert page.status_code == 200
    assert b'data-testid="bundle-request"' not in page.content
    assert client.post(reverse("evaluation:bundle_create", args=[pk])).status_code == 403
    response = client.get(reverse("evaluation:bundle_download", args=[done_bundle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == done_bundle.sha256


@pytest.mark.parametrize("persona", ["coordinator", "admin_user"])
def test_managers_request_a_bundle_and_it_is_audited(
    client: Client,
    slots_period,
    library,
    persona: str,
    request: pytest.FixtureRequest,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("evaluation:bundle_list", args=[slots_period.pk]))
    assert b'data-testid="bundle-request"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:bundle_create", args=[slots_period.pk]))
    assert response.url == reverse("evaluation:bundle_list", args=[slots_period.pk])
    bundle = EvidenceBundle.objects.get(period=slots_period)
    assert bundle.status == JobStatus.DONE
    assert AuditEvent.objects.filter(
        object_type="evaluation.evidencebundle", object_id=str(bundle.pk), action="create"
    ).exists()
    page = client.get(reverse("evaluation:bundle_list", args=[slots_period.pk]))
    assert reverse("evaluation:bundle_download", args=[bundle.pk]).encode() in page.content


def test_an_unfinished_bundle_cannot_be_downloaded(client: Client, period, coordinator) -> None:
    bundle = EvidenceBundle.objects.create(period=period, status=JobStatus.RUNNING)
    client.force_login(coordinator)
    url = reverse("evaluation:bundle_download", args=[bundle.pk])
    assert client.get(url).status_code == 404


def test_a_bundle_removed_from_storage_is_404(client: Client, done_bundle, coordinator) -> None:
    default_storage.delete(done_bundle.file.name)
    client.force_login(coordinator)
    url = reverse("evaluation:bundle_download", args=[done_bundle.pk])
    assert client.get(url).status_code == 404


def test_create_is_post_only(client: Client, period, coordinator) -> None:
    client.force_login(coordinator)
    assert client.get(reverse("evaluation:bundle_create", args=[period.pk])).status_code == 405


# --- progress fragment -----------------------------------------------------------


def test_a_running_bundle_polls_its_fragment_and_a_done_one_stops(
    client: Client, period, coordinator
) -> None:
    bundle = EvidenceBundle.objects.create(
        period=period,
        status=JobStatus.RUNNING,
        total_files=10,
        done_files=4,
        total_bytes=1000,
        done_bytes=250,
    )
    client.force_login(coordinator)
    url = reverse("evaluation:bundle_list", args=[period.pk])
    fragment = client.get(url, {"bundle": bundle.pk}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    assert 'hx-trigger="every 2s"' in html
    assert "--value: 25%" in html
    EvidenceBundle.objects.filter(pk=bundle.pk).update(status=JobStatus.FAILED, error="Rusak")
    html = client.get(url, {"bundle": bundle.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert "Rusak" in html
    page = client.get(url)  # a plain refresh shows the same state in the full page
    assert "<html" in page.content.decode() and "Rusak" in page.content.decode()


def test_the_fragment_of_another_periods_bundle_is_404(
    client: Client, period, coordinator, slots_period
) -> None:
    other = EvidenceBundle.objects.create(period=slots_period)
    client.force_login(coordinator)
    url = reverse("evaluation:bundle_list", args=[period.pk])
    assert client.get(url, {"bundle": other.pk}, HTTP_HX_REQUEST="true").status_code == 404


# --- the ZIP ---------------------------------------------------------------------


def test_the_zip_is_organised_per_indicator_and_level(done_bundle) -> None:
    assert done_bundle.status == JobStatus.DONE
    assert done_bundle.finished_at is not None
    assert (done_bundle.total_files, done_bundle.done_files, done_bundle.missing_files) == (
        5,
        5,
        0,
    )
    zf = open_zip(done_bundle)
    assert sorted(zf.namelist()) == [
        "I01/L3/I01-L3-01-Perwali-SPBE-2025.pdf",
        "I01/L3/I01-L3-02-SK-Tim-rev.pdf",
        "I01/L4/I01-L4-01-Perwali-SPBE-2025.pdf",
        "I02/L1/I02-L1-01-Tangkapan-layar-u.png",
        "I03-2/L2/I03-2-L2-01-Perwali-SPBE-2025.pdf",
        "MANIFEST.csv",
        "index.html",
    ]
    assert zf.getinfo("I01/L3/I01-L3-01-Perwali-SPBE-2025.pdf").compress_type == (
        zipfile.ZIP_STORED
    )
    assert zf.getinfo("MANIFEST.csv").compress_type == zipfile.ZIP_DEFLATED
    assert zf.testzip() is None


def test_only_the_newest_version_is_packed(done_bundle, library) -> None:
    zf = open_zip(done_bundle)
    assert zf.read("I01/L3/I01-L3-02-SK-Tim-rev.pdf") == PDF + b"new"


def test_the_manifest_lists_files_and_links_with_checksums(done_bundle, library) -> None:
    zf = open_zip(done_bundle)
    rows = manifest(zf)
    assert [(r["indicator"], r["level"], r["seq"], r["status"]) for r in rows] == [
        ("I01", "3", "1", "ok"),
        ("I01", "3", "2", "ok"),
        ("I01", "3", "3", "link"),
        ("I01", "4", "1", "ok"),
        ("I02", "1", "1", "ok"),
        ("I03-2", "2", "1", "ok"),
    ]
    first = rows[0]
    assert first["title"] == "Perwali Nomor 12 Tahun 2025 tentang SPBE"
    assert (first["document_number"], first["document_date"]) == ("12/2025", "2025-03-04")
    link_row = rows[2]
    assert (link_row["path"], link_row["url"]) == ("", "https://spbe.kendarikota.go.id/")
    newest = {f.sha256 for f in EvidenceFile.objects.all()}
    for row in rows:
        if row["status"] != "ok":
            continue
        content = zf.read(row["path"])
        assert hashlib.sha256(content).hexdigest() == row["sha256"]
        assert row["sha256"] in newest
        assert int(row["size"]) == len(content)


def test_the_index_page_links_every_file_in_indonesian(done_bundle) -> None:
    zf = open_zip(done_bundle)
    html = zf.read("index.html").decode("utf-8")
    assert '<html lang="id">' in html
    assert "<th>Tingkat</th>" in html  # rendered in the site language, not the worker's
    for row in manifest(zf):
        if row["path"]:
            assert f'href="{row["path"]}"' in html
        assert row["sha256"] in html
    assert "https://spbe.kendarikota.go.id/" in html


def test_the_bundle_checksum_and_size_are_recorded(done_bundle) -> None:
    with done_bundle.file.open("rb") as fh:
        content = fh.read()
    assert done_bundle.size == len(content)
    assert done_bundle.sha256 == hashlib.sha256(content).hexdigest()
    assert done_bundle.file.name.startswith(f"bundles/{done_bundle.period.agency_id}/2025/")


def test_files_too_big_to_hold_are_streamed_and_the_zip_stays_valid(
    slots_period, library, coordinator, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """Files over HOLD_LIMIT get their CRC-32 and sizes after their data (a data
    descriptor); checksums, the manifest and the ZIP's own SHA-256 stay right."""
    monkeypatch.setattr(bundles, "HOLD_LIMIT", 100)
    monkeypatch.setattr(bundles, "CHUNK", 64)  # several reads per file, buffers refilled
    bundle = build(slots_period, coordinator, django_capture_on_commit_callbacks)
    with bundle.file.open("rb") as fh:
        content = fh.read()
    assert bundle.sha256 == hashlib.sha256(content).hexdigest()
    zf = zipfile.ZipFile(io.BytesIO(content))
    assert zf.testzip() is None
    big = zf.getinfo("I01/L3/I01-L3-01-Perwali-SPBE-2025.pdf")
    small = zf.getinfo("I02/L1/I02-L1-01-Tangkapan-layar-u.png")
    assert big.flag_bits & 0x08 and not small.flag_bits & 0x08
    assert zf.read(big.filename) == PDF + b"A" * 5000
    for row in manifest(zf):
        if row["status"] == "ok":
            assert hashlib.sha256(zf.read(row["path"])).hexdigest() == row["sha256"]
    assert {r["status"] for r in manifest(zf)} == {"ok", "link"}


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_info_zip_accepts_the_bundle(done_bundle) -> None:
    done = subprocess.run(
        ["unzip", "-t", done_bundle.file.path], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_storage_without_local_files_is_read_in_turn(library) -> None:
    """Remote storages: no fileno (no read-ahead) and no readinto; a missing one raises."""

    class Remote:
        def __init__(self, data: bytes) -> None:
            self.stream = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self.stream.read(size)

        def close(self) -> None:
            pass

        def __enter__(self) -> Remote:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    stored = {f.file.name: f for f in EvidenceFile.objects.all()}

    def open_remote(name: str) -> Any:
        if stored[name].evidence_id == library["d"].pk:
            raise FileNotFoundError(name)
        with default_storage.open(name, "rb") as fh:
            return Remote(fh.read())

    entries = [
        bundles.Entry(
            indicator="I01",
            level=1,
            seq=seq,
            title=f.evidence.title,
            document_number="",
            document_date="",
            url="",
            storage_name=name,
            original_name=f.original_name,
            expected_size=f.size,
            expected_sha256=f.sha256,
        )
        for seq, (name, f) in enumerate(stored.items(), start=1)
    ]
    target = io.BytesIO()
    written = bundles.write_bundle(
        entries,
        target,
        open_source=open_remote,
        progress=Progress(lambda f, b: None),
        render_index=lambda rows: "<html></html>",
    )
    assert written.sha256 == hashlib.sha256(target.getvalue()).hexdigest()
    assert written.size == len(target.getvalue())
    statuses = {r.entry.storage_name: r.status for r in written.rows}
    for name, f in stored.items():
        missing = f.evidence_id == library["d"].pk
        assert statuses[name] == ("missing" if missing else "ok")
    zf = zipfile.ZipFile(target)
    assert zf.testzip() is None
    assert len(zf.namelist()) == len(stored) - 1 + 2


def test_the_index_is_the_same_rendered_from_rows_or_their_dicts(done_bundle) -> None:
    """index.html gets plain dicts for speed; the template must show the same as with rows."""
    zf = open_zip(done_bundle)
    rows = [
        bundles.Row(
            bundles.Entry(
                indicator=r["indicator"],
                level=int(r["level"]),
                seq=int(r["seq"]),
                title=r["title"],
                document_number=r["document_number"],
                document_date=r["document_date"],
                url=r["url"],
                storage_name=r["path"] and "x/y." + r["path"].rsplit(".", 1)[-1],
                original_name=r["path"].rsplit("/", 1)[-1].split("-", 3)[-1],
            ),
            r["status"],
            int(r["size"] or 0),
            r["sha256"],
        )
        for r in manifest(zf)
    ]
    rows.append(replace(rows[0], status="missing", size=0, sha256=""))
    rows.append(replace(rows[0], status="checksum mismatch"))
    context = {"period": done_bundle.period, "created": timezone.now(), "files": 1, "missing": 1}
    with translation.override("id"):
        plain = render_to_string("evaluation/bundle_index.html", {**context, "rows": rows})
        fast = render_to_string(
            "evaluation/bundle_index.html", {**context, "rows": [r.for_index() for r in rows]}
        )
    assert fast == plain
    assert "https://spbe.kendarikota.go.id/" in fast and rows[0].sha256 in fast


def test_the_requester_is_told_the_bundle_is_ready(done_bundle, coordinator) -> None:
    assert Notification.objects.filter(user=coordinator).count() == 1


# --- missing and altered files ---------------------------------------------------


def test_a_missing_file_is_listed_and_the_koordinator_told(
    slots_period, library, admin_user, coordinator, django_capture_on_commit_callbacks
) -> None:
    gone = EvidenceFile.objects.get(evidence=library["d"])
    default_storage.delete(gone.file.name)
    bundle = build(slots_period, admin_user, django_capture_on_commit_callbacks)
    assert bundle.status == JobStatus.DONE
    assert bundle.missing_files == 1
    zf = open_zip(bundle)
    assert "I02/L1/I02-L1-01-Tangkapan-layar-u.png" not in zf.namelist()
    rows = {r["path"]: r for r in manifest(zf)}
    missing = rows["I02/L1/I02-L1-01-Tangkapan-layar-u.png"]
    assert (missing["status"], missing["size"], missing["sha256"]) == ("missing", "", "")
    for user in (admin_user, coordinator):
        note = Notification.objects.get(user=user)
        assert "I02/L1/I02-L1-01-Tangkapan-layar-u.png" in note.body
        assert note.url == reverse("evaluation:bundle_list", args=[slots_period.pk])


def test_an_altered_file_is_packed_and_flagged(
    slots_period, library, coordinator, django_capture_on_commit_callbacks
) -> None:
    stored = EvidenceFile.objects.get(evidence=library["d"])
    with open(stored.file.path, "ab") as fh:
        fh.write(b"tampered")
    bundle = build(slots_period, coordinator, django_capture_on_commit_callbacks)
    rows = {r["path"]: r for r in manifest(open_zip(bundle))}
    row = rows["I02/L1/I02-L1-01-Tangkapan-layar-u.png"]
    assert row["status"] == "checksum mismatch"
    assert row["sha256"] == hashlib.sha256(PNG + b"tampered").hexdigest() != stored.sha256
    assert bundle.missing_files == 0
    assert Notification.objects.filter(user=coordinator, body__contains="I02-L1-01").exists()


def test_a_period_without_evidence_gives_a_bundle_with_an_empty_manifest(
    period, coordinator, django_capture_on_commit_callbacks
) -> None:
    bundle = build(period, coordinator, django_capture_on_commit_callbacks)
    zf = open_zip(bundle)
    assert sorted(zf.namelist()) == ["MANIFEST.csv", "index.html"]
    assert manifest(zf) == []


# --- failures and the one-job rule -----------------------------------------------


def test_a_failure_marks_the_bundle_failed_and_leaves_no_temp_file(
    slots_period, library, coordinator, django_capture_on_commit_callbacks, monkeypatch, tmp_path
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("padu.evaluation.services_bundles.write_bundle", broken)
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr("django.conf.settings.FILE_UPLOAD_TEMP_DIR", str(spool))
    bundle = build(slots_period, coordinator, django_capture_on_commit_callbacks)
    assert bundle.status == JobStatus.FAILED
    assert "disk full" in bundle.error
    assert bundle.finished_at is not None
    assert not bundle.file
    assert os.listdir(spool) == []
    assert Notification.objects.filter(user=coordinator, body__contains="disk full").exists()


def test_a_second_request_returns_the_running_bundle(period, coordinator) -> None:
    first, created = request_evidence_bundle(period=period, user=coordinator)
    second, created_again = request_evidence_bundle(period=period, user=coordinator)
    assert created and not created_again
    assert first.pk == second.pk


def test_a_bundle_abandoned_by_a_dead_worker_is_failed_and_replaced(period, coordinator) -> None:
    old = EvidenceBundle.objects.create(
        period=period,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=3),
    )
    bundle, created = request_evidence_bundle(period=period, user=coordinator)
    assert created and bundle.pk != old.pk
    old.refresh_from_db()
    assert old.status == JobStatus.FAILED and old.error


def test_only_managers_may_request(period, assessor) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        request_evidence_bundle(period=period, user=assessor)


def test_running_the_job_twice_does_nothing_the_second_time(done_bundle) -> None:
    sha = done_bundle.sha256
    assert bundles.build_evidence_bundle.call(done_bundle.pk) == JobStatus.DONE
    done_bundle.refresh_from_db()
    assert done_bundle.sha256 == sha


# --- pure helpers ----------------------------------------------------------------


def test_names_are_plain_ascii_with_the_checked_extension() -> None:
    assert bundle_file_name("../Laporan №5 (final).PDF", "evidence/1/2/1-x.pdf") == (
        "Laporan-No5-final.pdf"
    )
    assert bundle_file_name("", "evidence/1/2/1-x.png") == "berkas.png"
    assert len(bundle_file_name("a" * 300 + ".pdf", "x.pdf")) <= 84
    assert indicator_label(7, 1, 1) == "I07"
    assert indicator_label(46, 2, 3) == "I46-2"
    assert indicator_label(101, 1, 1) == "I101"


def test_compressed_formats_are_stored_and_others_deflated() -> None:
    assert compress_type("a/b.pdf") == zipfile.ZIP_STORED
    assert compress_type("a/b.XLSX") == zipfile.ZIP_STORED
    assert compress_type("a/b.doc") == zipfile.ZIP_DEFLATED


def test_progress_is_saved_every_n_files_not_every_chunk() -> None:
    reports: list[tuple[int, int]] = []
    progress = Progress(lambda f, b: reports.append((f, b)), files=3, seconds=3600)
    for _ in range(7):
        for _chunk in range(10):
            progress.add_bytes(100)
        progress.add_file()
    assert reports == [(3, 3000), (6, 6000)]


# --- the real worker -------------------------------------------------------------


def test_the_database_worker_builds_the_bundle(
    transactional_db, settings, slots_period, library, coordinator
) -> None:
    """Committed for real: the request enqueues on commit, `manage.py db_worker` builds it."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "bundles"],
        }
    }
    bundle, _created = request_evidence_bundle(period=slots_period, user=coordinator)
    bundle.refresh_from_db()
    assert bundle.status == JobStatus.QUEUED
    assert bundle.task_id
    call_command("db_worker", "--batch", "--queue-name", "bundles", "--no-startup-delay")
    bundle.refresh_from_db()
    assert bundle.status == JobStatus.DONE
    assert len(manifest(open_zip(bundle))) == 6


# --- Pemdi (8/2026): the national portal's coding ----------------------------------


@pytest.fixture
def pemdi_bundle(agency, units, coordinator, django_capture_on_commit_callbacks):
    """IK7: two files at level 2 with a link between them; IK1: one file at level 1."""
    from .pemdi import make_pemdi_period

    period = make_pemdi_period(agency, lead_unit=units["dinkes"])
    dinkes = units["dinkes"]
    ik7 = assessment(period, 7)
    link(ik7, file_evidence(coordinator, dinkes, "Laporan EPSS.pdf", PDF + b"1"), 2)
    portal = evidence_svc.create_evidence(
        actor=coordinator,
        agency=dinkes.agency,
        owner_unit=dinkes,
        title="Portal Satu Data",
        kind=EvidenceKind.APP_LINK,
        url="https://data.kendarikota.go.id/",
    )
    link(ik7, portal, 2)
    link(ik7, file_evidence(coordinator, dinkes, "Notulen Forum.pdf", PDF + b"2"), 2)
    link(assessment(period, 1), file_evidence(coordinator, dinkes, "Perwali.pdf", PDF + b"3"), 1)
    return build(period, coordinator, django_capture_on_commit_callbacks)


def test_a_pemdi_bundle_follows_the_portals_coding(pemdi_bundle) -> None:
    zf = open_zip(pemdi_bundle)
    assert sorted(zf.namelist()) == [
        "IK1/I1-L1-01_Perwali.pdf",
        "IK7/I7-L2-01_Laporan-EPSS.pdf",
        "IK7/I7-L2-03_Notulen-Forum.pdf",
        "MANIFEST.csv",
        "index.html",
    ]
    rows = manifest(zf)
    assert [(r["indicator"], r["level"], r["seq"], r["status"]) for r in rows] == [
        ("IK1", "1", "1", "ok"),
        ("IK7", "2", "1", "ok"),
        ("IK7", "2", "2", "link"),
        ("IK7", "2", "3", "ok"),
    ]
    index = zf.read("index.html").decode()
    assert "I7-L2-02" in index and 'href="IK7/I7-L2-03_Notulen-Forum.pdf"' in index


def test_entries_of_one_indicator_are_numbered_as_in_the_whole_bundle(pemdi_bundle) -> None:
    period = pemdi_bundle.period
    whole = [e for e in bundles.plan_entries(period) if e.indicator == "IK7"]
    one = bundles.plan_entries(period, assessment=assessment(period, 7))
    assert [(e.portal_code, e.path) for e in one] == [(e.portal_code, e.path) for e in whole]
    assert [e.portal_code for e in one] == ["I7-L2-01", "I7-L2-02", "I7-L2-03"]


def test_portal_labels_carry_the_slot_of_a_multi_slot_indicator() -> None:
    assert bundles.portal_labels("IK7", 7, 1, 1) == ("IK7", "7")
    assert bundles.portal_labels("IK3", 3, 2, 2) == ("IK3-2", "3-2")
