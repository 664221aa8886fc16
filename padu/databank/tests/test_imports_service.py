"""Import service: all-or-nothing, idempotent re-import, audit rows, locks, operator regions."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from padu.databank.choices import JobStatus
from padu.databank.models import (
    AggregateValue,
    DataValue,
    ImportJob,
    LockException,
    PendingRollup,
    ValueAudit,
)
from padu.databank.selectors_import import template_regions, template_rows
from padu.databank.services_import import apply_job, create_job, process

from .import_helpers import ALOLAMA, KAMBU, csv_bytes, row

pytest_plugins = ["padu.databank.tests.fixtures_import"]

GOOD = csv_bytes(
    row(ALOLAMA, "PDD", "L", "202501", "120"),
    row(ALOLAMA, "PDD", "P", "202501", "130"),
    row(KAMBU, "LAHIR", "", "202501", "4"),
    row(KAMBU, "IMUN", "", "202501", "87.5"),
)


def run(data: bytes, dataset, user, dry_run: bool = False, fmt: str = "csv"):  # type: ignore[no-untyped-def]
    return process(
        data=data, fmt=fmt, dataset=dataset, user=user, dry_run=dry_run, source="import:0"
    )


def test_dry_run_writes_nothing_and_summarises(import_dataset, data_custodian) -> None:
    out = run(GOOD, import_dataset, data_custodian, dry_run=True)
    assert out.ok and not out.applied
    assert (out.result.created, out.result.updated, out.result.unchanged) == (4, 0, 0)
    assert not DataValue.objects.exists() and not ValueAudit.objects.exists()


def test_apply_then_reimport_changes_nothing_and_audits_nothing(
    import_dataset, data_custodian
) -> None:
    out = run(GOOD, import_dataset, data_custodian)
    assert (out.result.created, out.applied) == (4, True)
    assert ValueAudit.objects.count() == 4
    assert ValueAudit.objects.filter(source="import:0").count() == 4
    again = run(GOOD, import_dataset, data_custodian)
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 4)
    assert ValueAudit.objects.count() == 4
    dry = run(GOOD, import_dataset, data_custodian, dry_run=True)
    assert (dry.result.created, dry.result.updated, dry.result.unchanged) == (0, 0, 4)


def test_an_applied_import_leaves_the_rollups_current_and_nothing_pending(
    import_dataset, data_custodian
) -> None:
    out = run(GOOD, import_dataset, data_custodian)
    assert out.result.pending_rollup is not None  # the rollups ran after the values' commit
    assert not PendingRollup.objects.exists()
    births = AggregateValue.objects.get(element__code="LAHIR", region_id="74.71", period="2025")
    assert births.value == Decimal(4)


def test_a_changed_value_writes_exactly_one_audit_row(import_dataset, data_custodian) -> None:
    run(GOOD, import_dataset, data_custodian)
    changed = GOOD.replace(b",120,", b",121,")
    out = run(changed, import_dataset, data_custodian)
    assert (out.result.updated, out.result.unchanged) == (1, 3)
    assert ValueAudit.objects.count() == 5
    last = ValueAudit.objects.order_by("-id").first()
    assert (last.old_value, last.new_value) == ("120", "121")


def test_one_bad_row_applies_nothing(import_dataset, data_custodian) -> None:
    bad = GOOD + b"74.71.01.1001,,PDD,,L,,202502,banyak,\r\n"
    out = run(bad, import_dataset, data_custodian)
    assert [(p.line, p.code) for p in out.errors] == [(6, "value_type")]
    assert not out.applied and not DataValue.objects.exists()


def test_operator_may_only_import_own_region(import_dataset, village_operator) -> None:
    out = run(GOOD, import_dataset, village_operator)
    assert {(p.line, p.code) for p in out.errors} == {(2, "not_allowed"), (3, "not_allowed")}
    own = csv_bytes(row(KAMBU, "LAHIR", "", "202501", "4"))
    assert run(own, import_dataset, village_operator).applied


def test_closed_period_is_locked_unless_reopened(import_dataset, data_custodian) -> None:
    import_dataset.close_after_days = 15
    import_dataset.save()
    data = csv_bytes(row(KAMBU, "LAHIR", "", "202001", "4"))
    assert [p.code for p in run(data, import_dataset, data_custodian).errors] == ["locked"]
    from django.utils import timezone

    LockException.objects.create(
        dataset=import_dataset,
        region_id=KAMBU,
        period="202001",
        until=timezone.now() + timezone.timedelta(days=1),
        reason="koreksi",
    )
    assert run(data, import_dataset, data_custodian).applied


def test_one_regions_exception_opens_that_region_alone(import_dataset, data_custodian) -> None:
    """The lock of a closed period is worked out once per period for regions without a form or
    an exception of their own; a region's exception must still open it and no other."""
    from django.utils import timezone

    import_dataset.close_after_days = 15
    import_dataset.save()
    LockException.objects.create(
        dataset=import_dataset,
        region_id=KAMBU,
        period="202001",
        until=timezone.now() + timezone.timedelta(days=1),
        reason="koreksi",
    )
    data = csv_bytes(
        row(ALOLAMA, "LAHIR", "", "202001", "3"),
        row(KAMBU, "LAHIR", "", "202001", "4"),
        row(ALOLAMA, "LAHIR", "", "202002", "5"),
    )
    out = run(data, import_dataset, data_custodian)
    assert [(p.line, p.code) for p in out.errors] == [(2, "locked"), (4, "locked")]


def test_accepted_form_is_locked(import_dataset, data_custodian) -> None:
    from padu.databank.models import Submission

    Submission.objects.create(
        dataset=import_dataset, region_id=KAMBU, period="202501", status="accepted"
    )
    assert [p.code for p in run(GOOD, import_dataset, data_custodian).errors] == [
        "locked",
        "locked",
    ]


def test_future_period_is_not_open_yet(import_dataset, data_custodian) -> None:
    data = csv_bytes(row(KAMBU, "LAHIR", "", "209901", "4"))
    assert [p.code for p in run(data, import_dataset, data_custodian).errors] == ["locked"]


def test_file_for_another_dataset_is_rejected(import_dataset, data_custodian) -> None:
    doc = {"dataSet": "LAIN", "dataValues": []}
    out = run(json.dumps(doc).encode(), import_dataset, data_custodian, fmt="dvs_json")
    assert [p.code for p in out.errors] == ["wrong_dataset"]


def test_file_over_the_limit(import_dataset, data_custodian, settings) -> None:
    settings.DATABANK_IMPORT_MAX_MB = 0
    assert [p.code for p in run(GOOD, import_dataset, data_custodian).errors] == ["too_large"]


def test_out_of_range_with_comment_is_applied_with_a_warning(
    import_dataset, data_custodian
) -> None:
    data = csv_bytes(row(ALOLAMA, "PDD", "L", "202501", "200000", "pindahan massal"))
    out = run(data, import_dataset, data_custodian)
    assert out.applied and [p.code for p in out.warnings] == ["out_of_range"]
    assert DataValue.objects.get().comment == "pindahan massal"
    no_comment = csv_bytes(row(ALOLAMA, "PDD", "L", "202501", "200001"))
    assert [p.code for p in run(no_comment, import_dataset, data_custodian).errors] == [
        "out_of_range"
    ]


def test_job_dry_run_then_apply_with_error_report(import_dataset, data_custodian) -> None:
    job = create_job(
        user=data_custodian, dataset=import_dataset, fmt="csv", name="isi.csv", data=GOOD
    )
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.created_count, job.done_rows) == (
        JobStatus.DONE,
        True,
        4,
        4,
    )
    assert not DataValue.objects.exists()
    apply_job(job=job, user=data_custodian)
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.created_count) == (JobStatus.DONE, False, 4)
    assert ValueAudit.objects.filter(source=f"import:{job.pk}").count() == 4
    bad = create_job(
        user=data_custodian,
        dataset=import_dataset,
        fmt="csv",
        name="salah.csv",
        data=csv_bytes(row(ALOLAMA, "XX", "", "202501", "1")),
    )
    bad.refresh_from_db()
    assert bad.error_count == 1 and bad.errors[0]["code"] == "unknown_element"
    report = bad.error_report.read().decode("utf-8-sig").splitlines()
    assert report[0] == "baris,kolom,kode,alasan"
    assert report[1].startswith("2,kode_elemen,unknown_element,")


def test_template_rows_are_prefilled_for_a_kecamatan(
    import_dataset, data_custodian, regions
) -> None:
    run(GOOD, import_dataset, data_custodian)
    regs = template_regions(data_custodian, import_dataset, regions["kendari"])
    assert [r.code for r in regs] == [ALOLAMA, KAMBU]
    rows = template_rows(import_dataset, regs, "202501")
    assert len(rows) == 8  # 2 villages x (PDD L, P + LAHIR + IMUN)
    assert [(r.element, r.cell, r.value) for r in rows[:4]] == [
        ("PDD", "L", "120"),
        ("PDD", "P", "130"),
        ("LAHIR", "", ""),
        ("IMUN", "", ""),
    ]


def test_management_command_dry_run_and_apply(import_dataset, data_custodian, tmp_path) -> None:
    path = tmp_path / "isi.csv"
    path.write_bytes(GOOD)
    out = StringIO()
    call_command("import_values", str(path), dataset="KEPENDUDUKAN", format="csv",
                 user="walidata", stdout=out)  # fmt: skip
    assert not DataValue.objects.exists()
    call_command("import_values", str(path), dataset="KEPENDUDUKAN", format="csv",
                 user="walidata", apply=True, stdout=out)  # fmt: skip
    assert DataValue.objects.count() == 4
    assert DataValue.objects.get(region_id=KAMBU, element__code="IMUN").value == Decimal("87.5")
    assert ImportJob.objects.count() == 2
