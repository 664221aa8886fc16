"""Publishing: what goes into a release, suppression, access classes, checksum, immutability,
withdrawal, metadata gaps, and the files (formula neutralisation)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from padu.audit.models import AuditEvent
from padu.databank import services_publishing
from padu.databank.models import DataValue, Release, ReleaseRow, Submission
from padu.databank.release_files import neutralise, published_value

from .fixtures_publishing import put

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


def _rows(release: Release) -> list[tuple[str, ...]]:
    return list(
        release.rows.order_by("id").values_list(
            "region_code", "period", "element_code", "category", "value"
        )
    )


def test_release_holds_accepted_open_values_of_the_chosen_periods(release: Release) -> None:
    rows = _rows(release)
    assert release.version == 1
    assert release.periods == ["202501"]
    assert {r[1] for r in rows} == {"202501"}
    assert {r[2] for r in rows} == {"PDD", "LAHIR"}  # IMUN is restricted
    assert ("74.71.01.1001", "202501", "PDD", "Laki-laki", "1000") in rows
    assert release.row_count == len(rows) == 6
    assert release.metadata["elemen"][0]["kode"] == "PDD"
    assert release.metadata["periode"] == ["202501"]
    assert release.metadata["lisensi"] == "CC-BY-4.0"
    assert release.dataset.is_public


def test_small_counts_of_sensitive_elements_are_published_as_below_n(release: Release) -> None:
    births = dict(release.rows.filter(element_code="LAHIR").values_list("region_code", "value"))
    assert births == {"74.71.01.1001": "<5", "74.71.10.1001": "12"}
    assert release.metadata["disensor"] == 1


def test_entered_and_returned_values_are_not_published(
    publishable_dataset: Any, population: Any, regions: dict[str, Any], data_custodian: Any
) -> None:
    DataValue.objects.filter(period="202502", region=regions["kel_kambu"]).update(status="entered")
    DataValue.objects.filter(period="202502", region=regions["kel_alolama"]).update(
        status="returned"
    )
    preview = services_publishing.preview_release(dataset=publishable_dataset, periods=["202502"])
    assert preview.rows == []
    Submission.objects.create(
        dataset=publishable_dataset, region=regions["kel_kambu"], period="202502", status="accepted"
    )
    preview = services_publishing.preview_release(dataset=publishable_dataset, periods=["202502"])
    assert {r.region_code for r in preview.rows} == {"74.71.10.1001"}
    assert preview.row_count == 3


def test_restricted_and_closed_elements_are_never_published(
    publishable_dataset: Any, population: Any, births: Any, data_custodian: Any
) -> None:
    births.access_class = "tertutup"
    births.save()
    release = services_publishing.publish_release(
        user=data_custodian, dataset=publishable_dataset, periods=["202501"]
    )
    assert set(release.rows.values_list("element_code", flat=True)) == {"PDD"}
    assert [e["kode"] for e in release.metadata["elemen"]] == ["PDD"]
    population.access_class = "terbatas"
    population.save()
    with pytest.raises(ValidationError, match="terbatas atau tertutup"):
        services_publishing.publish_release(
            user=data_custodian, dataset=publishable_dataset, periods=["202501"]
        )


def test_checksum_is_the_sha256_of_the_csv_file(release: Release) -> None:
    content = release.csv_file.read()
    assert hashlib.sha256(content).hexdigest() == release.checksum
    lines = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert lines[0][:3] == ["kode_wilayah", "nama_wilayah", "periode"]
    assert len(lines) == release.row_count + 1


def test_json_and_xlsx_files_hold_the_same_rows(release: Release) -> None:
    from openpyxl import load_workbook

    document = json.loads(release.json_file.read())
    assert len(document["records"]) == release.row_count
    assert document["metadata"]["versi"] == 1
    book = load_workbook(io.BytesIO(release.xlsx_file.read()))
    assert book["data"].max_row == release.row_count + 1
    assert "metadata" in book.sheetnames


def test_a_release_never_changes_when_values_change_later(
    release: Release,
    publishable_dataset: Any,
    population: Any,
    regions: dict[str, Any],
    data_custodian: Any,
) -> None:
    before = _rows(release)
    checksum = release.checksum
    DataValue.objects.filter(
        element=population, region=regions["kel_alolama"], period="202501"
    ).update(value=Decimal(999))
    second = services_publishing.publish_release(
        user=data_custodian, dataset=publishable_dataset, periods=["202501", "202502"]
    )
    release.refresh_from_db()
    assert _rows(release) == before and release.checksum == checksum
    assert second.version == 2
    assert second.periods == ["202501", "202502"]
    assert second.rows.filter(value="999").count() == 2
    assert second.checksum != checksum


def test_walidata_withdraws_a_release_and_its_rows_stay(
    release: Release, data_custodian: Any
) -> None:
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah input")
    release.refresh_from_db()
    assert release.withdrawn_at is not None
    assert release.withdrawn_reason == "Salah input"
    assert ReleaseRow.objects.filter(release=release).count() == release.row_count
    with pytest.raises(ValidationError):
        services_publishing.withdraw_release(user=data_custodian, release=release, reason="lagi")
    assert AuditEvent.objects.filter(object_type="databank.release", action="update").exists()


def test_withdrawal_needs_a_reason(release: Release, data_custodian: Any) -> None:
    with pytest.raises(ValidationError):
        services_publishing.withdraw_release(user=data_custodian, release=release, reason="  ")


@pytest.mark.parametrize("persona", ["viewer", "village_operator", "outsider"])
def test_only_the_walidata_publishes_and_withdraws(
    publishable_dataset: Any, release: Release, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services_publishing.publish_release(
            user=user, dataset=publishable_dataset, periods=["202501"]
        )
    with pytest.raises(PermissionDenied):
        services_publishing.withdraw_release(user=user, release=release, reason="x")


def test_publication_is_refused_while_metadata_has_gaps(
    publishable_dataset: Any, births: Any, data_custodian: Any
) -> None:
    births.definition = ""
    births.save()
    with pytest.raises(ValidationError) as caught:
        services_publishing.publish_release(
            user=data_custodian, dataset=publishable_dataset, periods=["202501"]
        )
    assert "LAHIR" in str(caught.value)
    assert not Release.objects.exists()


def test_periods_without_accepted_values_cannot_be_published(
    publishable_dataset: Any, data_custodian: Any
) -> None:
    with pytest.raises(ValidationError):
        services_publishing.publish_release(
            user=data_custodian, dataset=publishable_dataset, periods=["202412"]
        )
    with pytest.raises(ValidationError):
        services_publishing.publish_release(
            user=data_custodian, dataset=publishable_dataset, periods=[]
        )
    with pytest.raises(ValidationError):
        services_publishing.publish_release(
            user=data_custodian, dataset=publishable_dataset, periods=["2025-13"]
        )


def test_publishable_periods_lists_periods_with_accepted_values(publishable_dataset: Any) -> None:
    assert services_publishing.publishable_periods(publishable_dataset) == ["202502", "202501"]


def test_publishing_writes_an_audit_row(release: Release) -> None:
    assert AuditEvent.objects.filter(
        object_type="databank.release", object_id=str(release.pk), action="create"
    ).exists()


def test_exports_neutralise_formulas_but_keep_negative_numbers(
    publishable_dataset: Any, population: Any, regions: dict[str, Any], data_custodian: Any
) -> None:
    from openpyxl import load_workbook

    population.name = "=HYPERLINK(1)"
    population.save()
    put(population.__class__.objects.get(code="LAHIR"), population.category_combo.option_combos.first(), regions["kel_alolama"], "202503", "-4")  # fmt: skip
    release = services_publishing.publish_release(
        user=data_custodian, dataset=publishable_dataset, periods=["202501"]
    )
    text = release.csv_file.read().decode("utf-8")
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text
    book = load_workbook(io.BytesIO(release.xlsx_file.read()))
    names = {row[4] for row in book["data"].iter_rows(min_row=2, values_only=True)}
    assert "'=HYPERLINK(1)" in names
    assert all(cell.data_type != "f" for row in book["data"].iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-5", "-5"),
        ("12.5", "12.5"),
        ("Kambu", "Kambu"),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        (Decimal("3"), 5, ("<5", True)),
        (Decimal("0"), 5, ("<5", True)),
        (Decimal("5"), 5, ("5", False)),
        (Decimal("12.500000"), None, ("12.5", False)),
        (Decimal("1000.000000"), 5, ("1000", False)),
    ],
)
def test_published_value(value: Decimal, limit: int | None, expected: tuple[str, bool]) -> None:
    assert published_value(value, "", limit) == expected


def test_text_values_are_published_as_text() -> None:
    assert published_value(None, "ya", 5) == ("ya", False)
