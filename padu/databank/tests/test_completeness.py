"""Completeness board and reminders to late operators."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from padu.accounts.models import Notification
from padu.databank import reminders, selectors_entry
from padu.databank.models import Submission

pytest_plugins = ["padu.databank.tests.fixtures_entry"]
pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC)


def test_board_counts_expected_submitted_on_time_verified_returned(
    dataset: Any, kambu: Any, alolama: Any
) -> None:
    dataset.timely_days = 10
    Submission.objects.create(
        dataset=dataset,
        region=kambu,
        period="202601",
        status="accepted",
        submitted_at=at(D(2026, 2, 5)),
    )
    Submission.objects.create(
        dataset=dataset,
        region=alolama,
        period="202601",
        status="submitted",
        submitted_at=at(D(2026, 2, 20)),
    )
    Submission.objects.create(
        dataset=dataset,
        region=kambu,
        period="202602",
        status="returned",
        submitted_at=at(D(2026, 3, 2)),
    )
    board = selectors_entry.completeness_board(dataset, [alolama, kambu], 2026, D(2026, 3, 15))
    assert board.periods == ["202601", "202602", "202603"]
    jan, feb, mar = board.summary
    assert (jan.expected, jan.submitted, jan.on_time, jan.verified, jan.returned) == (2, 2, 1, 1, 0)
    assert (feb.submitted, feb.returned, feb.on_time) == (0, 1, 0)
    assert (mar.expected, mar.submitted) == (2, 0)
    alolama_row = board.rows[0]
    assert alolama_row.cells[0].on_time is False and alolama_row.cells[1].status == "open"


def test_board_of_a_past_year_shows_every_period(dataset: Any, kambu: Any) -> None:
    board = selectors_entry.completeness_board(dataset, [kambu], 2025, D(2026, 3, 15))
    assert len(board.periods) == 12


def test_board_page_filters_by_dataset_and_year(
    client: Any, data_custodian: Any, dataset: Any, kambu: Any
) -> None:
    from django.urls import reverse

    client.force_login(data_custodian)
    response = client.get(reverse("databank:completeness"), {"dataset": dataset.pk, "year": 2025})
    html = response.content.decode()
    assert "202512" in html and kambu.name in html


def test_operator_sees_only_their_regions_on_the_board(
    client: Any, village_operator: Any, dataset: Any, kambu: Any, alolama: Any
) -> None:
    from django.urls import reverse

    client.force_login(village_operator)
    html = client.get(reverse("databank:completeness")).content.decode()
    assert kambu.code in html and alolama.code not in html


# --- reminders ------------------------------------------------------------------------------


def test_due_period_on_days_1_3_7_after_the_end(dataset: Any) -> None:
    assert reminders.due_period(dataset, D(2026, 2, 1)) == "202601"
    assert reminders.due_period(dataset, D(2026, 2, 3)) == "202601"
    assert reminders.due_period(dataset, D(2026, 2, 7)) == "202601"
    assert reminders.due_period(dataset, D(2026, 2, 2)) is None
    dataset.close_after_days = 2
    assert reminders.due_period(dataset, D(2026, 2, 3)) is None  # window already closed


def test_reminders_go_to_late_operators_only_once(
    dataset: Any, village_operator: Any, kambu: Any
) -> None:
    today = D(2026, 2, 3)
    due = reminders.collect_reminders(today_of=lambda agency: today)
    assert [(r.user, r.period, r.regions) for r in due] == [
        (village_operator, "202601", [kambu.code])
    ]
    assert reminders.send_reminder(due[0]) is True
    assert reminders.send_reminder(due[0]) is False
    assert Notification.objects.filter(user=village_operator).count() == 1


def test_no_reminder_when_submitted(dataset: Any, village_operator: Any, kambu: Any) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period="202601", status="submitted")
    assert reminders.collect_reminders(today_of=lambda agency: D(2026, 2, 3)) == []


def test_returned_form_is_still_late(dataset: Any, village_operator: Any, kambu: Any) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period="202601", status="returned")
    assert len(reminders.collect_reminders(today_of=lambda agency: D(2026, 2, 7))) == 1


def test_scheduled_task_runs(dataset: Any, village_operator: Any) -> None:
    result = reminders.send_databank_reminders.enqueue()
    assert result.return_value >= 0


def test_reminder_job_is_scheduled() -> None:
    from padu.core.schedule import SCHEDULE

    assert "padu.databank.reminders.send_databank_reminders" in {p.task for p in SCHEDULE}


def test_board_page_query_count_does_not_grow_with_submissions(
    client: Any,
    data_custodian: Any,
    dataset: Any,
    kambu: Any,
    alolama: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from django.urls import reverse

    for month in range(1, 13):
        for region in (kambu, alolama):
            Submission.objects.create(
                dataset=dataset,
                region=region,
                period=f"2025{month:02d}",
                status="accepted",
                submitted_at=at(D(2026, 1, 5)),
            )
    client.force_login(data_custodian)
    url = reverse("databank:completeness")
    with django_assert_max_num_queries(20):
        response = client.get(url, {"dataset": dataset.pk, "year": 2025})
    assert response.status_code == 200
