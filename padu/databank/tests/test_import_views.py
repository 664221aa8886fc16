"""Bulk upload pages: permission matrix first, then the upload -> dry run -> apply flow."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from padu.databank.models import DataValue, ImportJob
from padu.databank.services_import import create_job

from .import_helpers import ALOLAMA, KAMBU, csv_bytes, row

pytest_plugins = ["padu.databank.tests.fixtures_import"]

GOOD = csv_bytes(row(KAMBU, "LAHIR", "", "202501", "4"), row(KAMBU, "IMUN", "", "202501", "90"))


@pytest.fixture
def job(import_dataset, village_operator) -> ImportJob:
    return create_job(
        user=village_operator,
        dataset=import_dataset,
        fmt="csv",
        name="isi.csv",
        data=GOOD + b"74.71.10.1001,,XX,,,,202501,1,\r\n",
    )


@pytest.fixture
def good_job(import_dataset, village_operator) -> ImportJob:
    return create_job(
        user=village_operator, dataset=import_dataset, fmt="csv", name="ok.csv", data=GOOD
    )


def _template_url(dataset, region: str = "74.71.10", fmt: str = "csv") -> str:
    q = f"?dataset={dataset.pk}&region={region}&period=202501&format={fmt}"
    return reverse("databank:import_template") + q


def _upload(dataset, data: bytes = GOOD, name: str = "isi.csv", dry_run: bool = True) -> dict:
    form = {"dataset": dataset.pk, "format": "csv", "file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    return form


# --- anonymous -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, job) -> None:
    urls = [
        reverse("databank:import_home"),
        _template_url(job.dataset),
        reverse("databank:import_detail", args=[job.pk]),
        reverse("databank:import_errors", args=[job.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
    response = client.post(reverse("databank:import_apply", args=[job.pk]))
    assert response.status_code == 302


# --- another agency ---------------------------------------------------------------------


def test_another_agency_gets_404(client: Client, job, outsider) -> None:
    client.force_login(outsider)
    assert client.get(_template_url(job.dataset)).status_code == 404
    assert client.get(reverse("databank:import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("databank:import_errors", args=[job.pk])).status_code == 404
    assert client.post(reverse("databank:import_apply", args=[job.pk])).status_code == 404
    response = client.post(reverse("databank:import_home"), _upload(job.dataset))
    assert response.status_code == 200  # their own (empty) page: the dataset is not a choice
    assert not ImportJob.objects.filter(user=outsider).exists()


# --- read-only -----------------------------------------------------------------------------


def test_read_only_viewer_sees_the_page_but_may_not_upload(
    client: Client, import_dataset, viewer
) -> None:
    client.force_login(viewer)
    assert client.get(reverse("databank:import_home")).status_code == 200
    assert client.post(reverse("databank:import_home"), _upload(import_dataset)).status_code == 403
    assert client.get(_template_url(import_dataset)).status_code == 403
    assert not ImportJob.objects.exists()


def test_someone_elses_job_is_hidden_from_readers(client: Client, job, viewer) -> None:
    client.force_login(viewer)
    assert client.get(reverse("databank:import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("databank:import_apply", args=[job.pk])).status_code == 404


# --- writers ---------------------------------------------------------------------------------


def test_operator_gets_a_template_for_own_kecamatan_only(
    client: Client, import_dataset, village_operator
) -> None:
    client.force_login(village_operator)
    response = client.get(_template_url(import_dataset, "74.71.10"))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert KAMBU in body and ALOLAMA not in body
    assert client.get(_template_url(import_dataset, "74.71.01")).status_code == 403
    for fmt in ("xlsx", "dvs_json", "dvs_csv"):
        assert client.get(_template_url(import_dataset, "74.71.10", fmt)).status_code == 200


def test_walidata_gets_a_kota_wide_excel_template(
    client: Client, import_dataset, data_custodian
) -> None:
    client.force_login(data_custodian)
    response = client.get(_template_url(import_dataset, "74.71", "xlsx"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert client.get(_template_url(import_dataset, "74.05", "xlsx")).status_code == 404


def test_upload_dry_run_then_apply(client: Client, import_dataset, village_operator) -> None:
    client.force_login(village_operator)
    response = client.get(reverse("databank:import_home"))
    assert response.status_code == 200
    response = client.post(reverse("databank:import_home"), _upload(import_dataset))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "databank:import_detail", args=[job.pk]
    )
    page = client.get(response.url)
    assert page.status_code == 200 and b'data-testid="import-apply"' in page.content
    assert client.get(response.url, HTTP_HX_REQUEST="true").status_code == 200
    assert not DataValue.objects.exists()
    response = client.post(reverse("databank:import_apply", args=[job.pk]))
    assert response.status_code == 302
    assert DataValue.objects.count() == 2


def test_bad_upload_shows_errors_and_the_report(client: Client, job, village_operator) -> None:
    client.force_login(village_operator)
    page = client.get(reverse("databank:import_detail", args=[job.pk]))
    assert b'data-testid="import-error-report"' in page.content
    assert b'data-testid="import-apply"' not in page.content
    report = client.get(reverse("databank:import_errors", args=[job.pk]))
    assert report.status_code == 200
    assert b"unknown_element" in b"".join(report.streaming_content)
    client.post(reverse("databank:import_apply", args=[job.pk]))
    assert not DataValue.objects.exists()


def test_no_error_report_is_404(client: Client, good_job, village_operator) -> None:
    client.force_login(village_operator)
    assert client.get(reverse("databank:import_errors", args=[good_job.pk])).status_code == 404


def test_walidata_sees_and_may_apply_an_operators_job(
    client: Client, good_job, data_custodian
) -> None:
    client.force_login(data_custodian)
    assert client.get(reverse("databank:import_detail", args=[good_job.pk])).status_code == 200
    client.post(reverse("databank:import_apply", args=[good_job.pk]))
    assert DataValue.objects.count() == 2


def test_form_rejects_a_file_whose_content_is_not_its_format(
    client: Client, import_dataset, data_custodian
) -> None:
    client.force_login(data_custodian)
    form = _upload(import_dataset, data=b"PK\x03\x04binary", name="isi.csv")
    response = client.post(reverse("databank:import_home"), form)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
