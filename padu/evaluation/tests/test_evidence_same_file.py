"""A new version byte-identical to the current one is refused: no version 2, review unchanged."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.evaluation import services_evidence as svc
from padu.evaluation.choices import EvidenceReview
from padu.evaluation.tests.test_evidence_files import PDF
from padu.evaluation.tests.test_evidence_services import audit_rows, media_files, new_pdf

pytestmark = pytest.mark.django_db
SAME = "This file is the same as the current version (SHA-256 %(sha256)s); nothing was changed."


def test_the_same_file_again_is_refused_and_nothing_changes(
    dinkes_admin, assessor, units, settings
) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    svc.review_evidence(actor=assessor, evidence=evidence, status=EvidenceReview.ACCEPTED)
    files, rows = media_files(settings), len(audit_rows(evidence))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        svc.replace_evidence_file(
            actor=dinkes_admin, evidence=evidence, upload=SimpleUploadedFile("lagi.pdf", PDF)
        )
    digest = hashlib.sha256(PDF).hexdigest()
    assert exc.value.messages == [SAME % {"sha256": f"{digest[:12]}…"}]
    assert list(evidence.files.values_list("version", flat=True)) == [1]
    evidence.refresh_from_db()
    assert evidence.review_status == EvidenceReview.ACCEPTED
    assert media_files(settings) == files
    assert len(audit_rows(evidence)) == rows


def test_it_is_compared_with_the_current_version_not_the_first(dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    second = PDF + b"% versi 2\n"
    svc.replace_evidence_file(
        actor=dinkes_admin, evidence=evidence, upload=SimpleUploadedFile("v2.pdf", second)
    )
    with pytest.raises(ValidationError):
        svc.replace_evidence_file(
            actor=dinkes_admin, evidence=evidence, upload=SimpleUploadedFile("v3.pdf", second)
        )
    # going back to version 1's content is a real change
    svc.replace_evidence_file(
        actor=dinkes_admin, evidence=evidence, upload=SimpleUploadedFile("v3.pdf", PDF)
    )
    assert list(evidence.files.order_by("version").values_list("version", flat=True)) == [1, 2, 3]


def test_the_page_says_the_file_is_the_same(client: Client, dinkes_admin, units) -> None:
    evidence = new_pdf(dinkes_admin, units["dinkes"])
    client.force_login(dinkes_admin)
    response = client.post(
        reverse("evaluation:evidence_replace", args=[evidence.pk]),
        {"file": SimpleUploadedFile("lagi.pdf", PDF)},
    )
    assert response.status_code == 302
    texts = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 1 and texts[0][0] == "error"
    assert hashlib.sha256(PDF).hexdigest()[:12] in texts[0][1]
    assert evidence.files.count() == 1
