"""Importing the same recommendations file twice adds nothing the second time."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from padu.evaluation import services_recommendations as svc
from padu.evaluation.models import Recommendation
from padu.evaluation.recommendations_import import ImportRow

CONTENT = "indikator,rekomendasi,opd\n1,Audit TIK,Dinkes\n2,Tetapkan Arsitektur SPBE,Dinkes\n"


def upload(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("rekomendasi.csv", content.encode(), content_type="text/csv")


def test_importing_the_same_file_twice_imports_nothing_the_second_time(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("evaluation:recommendation_import", args=[period.pk])
    assert client.post(url, {"file": upload(CONTENT)}).status_code == 302
    assert period.recommendations.count() == 2
    check = client.post(url, {"file": upload(CONTENT), "dry_run": "on"})
    assert check.context["skipped"] == 2
    assert "which will be skipped: 2." in check.content.decode()
    second = client.post(url, {"file": upload(CONTENT)})
    assert second.status_code == 302
    assert period.recommendations.count() == 2
    texts = [str(m) for m in get_messages(second.wsgi_request)]
    assert "0 recommendations imported." in texts
    assert any("already in this period: 2." in t for t in texts)


def test_case_and_spacing_do_not_make_a_row_new(period, coordinator) -> None:
    ind = period.instrument.indicators.get(number=1)
    other = period.instrument.indicators.get(number=2)
    Recommendation.objects.create(period=period, indicator=ind, text="Audit TIK")
    rows = [
        ImportRow(2, ind.pk, "  audit   tik ", None, None),
        ImportRow(3, other.pk, "Audit TIK", None, None),  # another indicator: new
        ImportRow(4, ind.pk, "Audit keamanan", None, None),
        ImportRow(5, ind.pk, "AUDIT KEAMANAN", None, None),  # repeated in the file
    ]
    created = svc.import_recommendations(actor=coordinator, period=period, rows=rows)
    assert sorted((r.indicator.number, r.text) for r in created) == [
        (1, "Audit keamanan"),
        (2, "Audit TIK"),
    ]
    assert period.recommendations.count() == 3
