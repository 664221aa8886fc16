"""Verification service: accept locks, return per value or per row, exceptions by the walidata."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_user
from padu.accounts.choices import Role
from padu.accounts.models import Notification
from padu.audit.models import AuditEvent
from padu.databank import selectors_entry, services_entry, services_review
from padu.databank.choices import SubmissionStatus, ValueStatus
from padu.databank.models import DataValue, Submission

pytest_plugins = ["padu.databank.tests.fixtures_entry"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> Submission:
    for name, raw in (("pdd_l", "10"), ("pdd_p", "12"), ("lahir", "2")):
        services_entry.save_cell(
            user=village_operator,
            dataset=dataset,
            region=kambu,
            period=month,
            element_id=cells[name][0],
            combo_id=cells[name][1],
            raw=raw,
        )
    return services_entry.submit_form(
        user=village_operator, dataset=dataset, region=kambu, period=month
    )


def test_walidata_accepts_and_the_form_locks(
    data_custodian: Any,
    submitted: Submission,
    village_operator: Any,
    cells: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services_review.accept_submission(user=data_custodian, submission=submitted)
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.ACCEPTED and submitted.reviewed_by == data_custodian
    assert set(DataValue.objects.values_list("status", flat=True)) == {ValueStatus.ACCEPTED}
    lock = selectors_entry.lock_for(
        submitted.dataset, submitted.region_id, submitted.period, submitted
    )
    assert lock.is_locked and lock.code == "accepted"
    with pytest.raises(ValidationError):
        services_entry.save_cell(
            user=village_operator,
            dataset=submitted.dataset,
            region=submitted.region,
            period=submitted.period,
            element_id=cells["lahir"][0],
            combo_id=cells["lahir"][1],
            raw="3",
        )
    assert AuditEvent.objects.filter(object_type="databank.submission").count() == 2
    assert Notification.objects.filter(user=village_operator).exists()


def test_return_one_value_with_reason_and_comment(
    data_custodian: Any,
    submitted: Submission,
    village_operator: Any,
    cells: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        count = services_review.return_values(
            user=data_custodian,
            submission=submitted,
            cells=[cells["lahir"]],
            reason="implausible",
            comment="Terlalu tinggi",
        )
    assert count == 1
    returned = DataValue.objects.get(status=ValueStatus.RETURNED)
    assert (returned.element_id, returned.option_combo_id) == cells["lahir"]
    assert returned.return_reason == "implausible" and returned.return_comment == "Terlalu tinggi"
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.RETURNED
    note = Notification.objects.get(user=village_operator)
    assert "Terlalu tinggi" in note.body
    assert AuditEvent.objects.filter(object_type="databank.submission").count() >= 2


def test_return_a_whole_row(data_custodian: Any, submitted: Submission, population: Any) -> None:
    count = services_review.return_values(
        user=data_custodian,
        submission=submitted,
        element_ids=[population.pk],
        reason="inconsistent",
        comment="Cek ulang",
    )
    assert count == 2
    assert DataValue.objects.filter(status=ValueStatus.RETURNED, element=population).count() == 2


def test_return_needs_reason_comment_and_a_value(
    data_custodian: Any, submitted: Submission, cells: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        services_review.return_values(
            user=data_custodian,
            submission=submitted,
            cells=[cells["lahir"]],
            reason="x",
            comment="a",
        )
    with pytest.raises(ValidationError):
        services_review.return_values(
            user=data_custodian,
            submission=submitted,
            cells=[cells["lahir"]],
            reason="other",
            comment=" ",
        )
    with pytest.raises(ValidationError):
        services_review.return_values(
            user=data_custodian,
            submission=submitted,
            cells=[cells["imun"]],
            reason="other",
            comment="kosong",
        )
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.SUBMITTED


def test_operator_and_viewer_cannot_review(
    village_operator: Any, viewer: Any, submitted: Submission
) -> None:
    for user in (village_operator, viewer):
        with pytest.raises(PermissionDenied):
            services_review.accept_submission(user=user, submission=submitted)


def test_producer_of_the_dataset_may_review(agency: Any, units: Any, submitted: Submission) -> None:
    producer = make_user("produsen.dinkes", (agency, Role.DATA_PRODUCER, units["dinkes"], None))
    other = make_user("produsen.disdik", (agency, Role.DATA_PRODUCER, units["disdik"], None))
    submitted.dataset.producer = units["dinkes"]
    submitted.dataset.save()
    with pytest.raises(PermissionDenied):
        services_review.accept_submission(user=other, submission=submitted)
    services_review.accept_submission(user=producer, submission=submitted)


def test_only_a_submitted_form_can_be_reviewed(data_custodian: Any, submitted: Submission) -> None:
    services_review.accept_submission(user=data_custodian, submission=submitted)
    with pytest.raises(ValidationError):
        services_review.accept_submission(user=data_custodian, submission=submitted)


def test_fix_and_resubmit_after_a_return(
    data_custodian: Any, village_operator: Any, submitted: Submission, cells: dict[str, Any]
) -> None:
    services_review.return_values(
        user=data_custodian,
        submission=submitted,
        cells=[cells["lahir"]],
        reason="implausible",
        comment="Cek",
    )
    services_entry.save_cell(
        user=village_operator,
        dataset=submitted.dataset,
        region=submitted.region,
        period=submitted.period,
        element_id=cells["lahir"][0],
        combo_id=cells["lahir"][1],
        raw="3",
    )
    again = services_entry.submit_form(
        user=village_operator,
        dataset=submitted.dataset,
        region=submitted.region,
        period=submitted.period,
    )
    assert again.status == SubmissionStatus.SUBMITTED
    services_review.accept_submission(user=data_custodian, submission=again)


def test_walidata_grants_a_time_boxed_exception(
    data_custodian: Any, dataset: Any, kambu: Any, village_operator: Any
) -> None:
    until = timezone.now() + datetime.timedelta(days=2)
    exception = services_review.grant_lock_exception(
        user=data_custodian,
        dataset=dataset,
        region=kambu,
        period="202001",
        until=until,
        reason="Data terlambat karena banjir",
    )
    assert exception.granted_by == data_custodian
    assert AuditEvent.objects.filter(object_type="databank.lockexception").exists()
    lock = selectors_entry.lock_for(dataset, kambu.code, "202001", None)
    assert lock.is_open and lock.code == "exception"


def test_exception_rules(
    data_custodian: Any, village_operator: Any, dataset: Any, kambu: Any
) -> None:
    soon = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services_review.grant_lock_exception(
            user=village_operator,
            dataset=dataset,
            region=kambu,
            period="202001",
            until=soon,
            reason="x",
        )
    bad = [
        {"period": "2020Q1", "until": soon, "reason": "x"},
        {"period": "202001", "until": soon, "reason": " "},
        {"period": "202001", "until": timezone.now() - datetime.timedelta(hours=1), "reason": "x"},
        {"period": "202001", "until": timezone.now() + datetime.timedelta(days=200), "reason": "x"},
    ]
    for kw in bad:
        with pytest.raises(ValidationError):
            services_review.grant_lock_exception(
                user=data_custodian, dataset=dataset, region=kambu, **kw
            )
