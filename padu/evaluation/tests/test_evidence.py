"""Evidence library: permission cases first, then uploads checked by content, versions, review."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from padu.audit.models import AuditEvent
from padu.evaluation.choices import EvidenceKind
from padu.evaluation.evidence_files import PDF as PDF_TYPE
from padu.evaluation.evidence_files import safe_name
from padu.evaluation.models import Evidence, EvidenceFile
from padu.evaluation.services_evidence import is_expired

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.txt", "x")
    return out.getvalue()


def upload(client: Client, name: str, content: bytes, **extra: str) -> object:
    data = {
        "title": "Perwali 12/2023",
        "kind": EvidenceKind.REGULATION,
        "owner_unit": extra.pop("unit"),
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(reverse("evaluation:evidence_create"), data)


@pytest.fixture
def evidence(agency, units, coordinator) -> Evidence:
    return Evidence.objects.create(
        agency=agency,
        owner_unit=units["dinkes"],
        title="SK Tim",
        kind=EvidenceKind.DECREE,
        url="https://example.go.id/sk",
    )


VIEWS = [
    "evidence_detail",
    "evidence_edit",
    "evidence_replace",
    "evidence_review",
    "evidence_archive",
]


def test_anonymous_is_sent_to_login(client: Client, evidence) -> None:
    for name in VIEWS:
        response = client.get(reverse(f"evaluation:{name}", args=[evidence.pk]))
        assert response.status_code in (302, 405)
    assert client.get(reverse("evaluation:evidence_list")).status_code == 302


@pytest.mark.parametrize("name", VIEWS)
def test_another_agency_gets_404(client: Client, evidence, outsider, name: str) -> None:
    client.force_login(outsider)
    method = client.get if name in ("evidence_detail", "evidence_edit") else client.post
    assert method(reverse(f"evaluation:{name}", args=[evidence.pk])).status_code == 404


def test_another_unit_may_not_edit_or_archive(client: Client, evidence, disdik_admin) -> None:
    client.force_login(disdik_admin)
    assert client.get(reverse("evaluation:evidence_edit", args=[evidence.pk])).status_code == 404
    client.force_login(disdik_admin)
    assert client.get(reverse("evaluation:evidence_list")).context["page"].object_list == []


def test_read_only_leader_sees_but_cannot_change(client: Client, evidence, leader) -> None:
    client.force_login(leader)
    assert client.get(reverse("evaluation:evidence_detail", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("evaluation:evidence_edit", args=[evidence.pk])).status_code == 403
    assert (
        client.post(reverse("evaluation:evidence_archive", args=[evidence.pk])).status_code == 403
    )
    assert client.get(reverse("evaluation:evidence_create")).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"), [("perwali.pdf", PDF), ("layar.png", None), ("sop.docx", None)]
)
def test_real_documents_are_accepted_with_their_checksum(
    client: Client, dinkes_admin, units, name: str, content: bytes | None
) -> None:
    content = content or (png() if name.endswith("png") else docx())
    client.force_login(dinkes_admin)
    response = upload(client, name, content, unit=str(units["dinkes"].pk))
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["form"].errors
    )
    stored = EvidenceFile.objects.get()
    import hashlib

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert AuditEvent.objects.filter(object_type="evaluation.evidence", action="create").exists()


BAD = [
    ("html-as-pdf", "laporan.pdf", b"<html><script>alert(1)</script></html>"),
    ("svg", "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("exe", "setup.pdf", b"MZ\x90\x00" + b"\x00" * 60),
    ("plain-zip", "arsip.docx", None),
    ("empty", "kosong.pdf", b""),
]


@pytest.mark.parametrize(("case", "name", "content"), BAD, ids=[b[0] for b in BAD])
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client: Client, dinkes_admin, units, settings, case: str, name: str, content: bytes | None
) -> None:
    client.force_login(dinkes_admin)
    response = upload(
        client, name, plain_zip() if content is None else content, unit=str(units["dinkes"].pk)
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Evidence.objects.exists()
    assert (
        not any(Path(settings.MEDIA_ROOT).rglob("*.*"))
        if Path(settings.MEDIA_ROOT).exists()
        else True
    )


@override_settings(EVIDENCE_MAX_UPLOAD_MB=0)
def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    client: Client, dinkes_admin, units
) -> None:
    client.force_login(dinkes_admin)
    response = upload(client, "besar.pdf", PDF, unit=str(units["dinkes"].pk))
    assert "0 MB" in str(response.context["form"].errors["file"])
    assert not Evidence.objects.exists()


def test_replacing_keeps_the_earlier_version_and_download_is_an_attachment(
    client: Client, dinkes_admin, units
) -> None:
    client.force_login(dinkes_admin)
    upload(client, "v1.pdf", PDF, unit=str(units["dinkes"].pk))
    evidence = Evidence.objects.get()
    client.post(
        reverse("evaluation:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("v2.pdf", PDF + b"% versi 2\n")},
    )
    versions = list(evidence.files.order_by("version").values_list("version", "sha256"))
    assert [v for v, _s in versions] == [1, 2]
    assert versions[0][1] != versions[1][1]
    response = client.get(reverse("evaluation:evidence_download", args=[evidence.pk, 1]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_review_needs_a_reason_to_reject(client: Client, evidence, assessor) -> None:
    client.force_login(assessor)
    client.post(
        reverse("evaluation:evidence_review", args=[evidence.pk]),
        {"status": "ditolak", "reason": ""},
    )
    evidence.refresh_from_db()
    assert evidence.review_status == "pending"
    client.post(
        reverse("evaluation:evidence_review", args=[evidence.pk]),
        {"status": "ditolak", "reason": "Belum ditandatangani"},
    )
    evidence.refresh_from_db()
    assert (evidence.review_status, evidence.review_reason) == ("ditolak", "Belum ditandatangani")


def test_archiving_hides_but_never_deletes(client: Client, evidence, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    client.post(reverse("evaluation:evidence_archive", args=[evidence.pk]), {"archived": "1"})
    assert Evidence.objects.filter(pk=evidence.pk, is_archived=True).exists()
    assert client.get(reverse("evaluation:evidence_list")).context["page"].object_list == []
    assert (
        len(
            client.get(reverse("evaluation:evidence_list") + "?archived=1")
            .context["page"]
            .object_list
        )
        == 1
    )


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\Laporan Audit 2025.pdf", "Laporan-Audit-2025.pdf"),
        ("Pérwali №12.exe", "Perwali-No12.pdf"),
        ("", "berkas.pdf"),
    ],
)
def test_file_names_are_sanitised(original: str, expected: str) -> None:
    assert safe_name(original, PDF_TYPE) == expected


def test_audits_older_than_two_years_expire(evidence) -> None:
    evidence.is_audit = True
    evidence.document_date = datetime.date(2023, 11, 1)
    assert is_expired(evidence, datetime.date(2026, 11, 22))
    evidence.document_date = datetime.date(2025, 6, 1)
    assert not is_expired(evidence, datetime.date(2026, 11, 22))
    evidence.valid_until = datetime.date(2026, 1, 1)
    assert is_expired(evidence, datetime.date(2026, 11, 22))


def test_downloads_follow_the_same_permissions(
    client: Client, dinkes_admin, disdik_admin, outsider, units
) -> None:
    client.force_login(dinkes_admin)
    upload(client, "v1.pdf", PDF, unit=str(units["dinkes"].pk))
    evidence = Evidence.objects.get()
    url = reverse("evaluation:evidence_download", args=[evidence.pk, 1])
    anonymous = Client()
    assert anonymous.get(url).status_code == 302
    for other in (disdik_admin, outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(dinkes_admin)
    assert (
        client.get(reverse("evaluation:evidence_download", args=[evidence.pk, 9])).status_code
        == 404
    )
