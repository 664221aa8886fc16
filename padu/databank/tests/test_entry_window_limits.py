"""Entry window day counts: the form caps them, and a huge stored value breaks nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.databank import locks, reminders
from padu.databank.forms_metadata import DatasetForm
from padu.databank.models import Dataset

pytest_plugins = ["padu.databank.tests.fixtures_entry"]

D = datetime.date
HUGE = 99999999999
# PostgreSQL refuses such a number in a smallint column; SQLite stores it (how QA got there)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite stores a day count this large"
)


# --- locks (pure) ---------------------------------------------------------------------------


def test_a_huge_close_after_days_counts_as_the_maximum() -> None:
    window = locks.entry_window("202601", 0, HUGE)
    assert window.opens_on == D(2026, 1, 1)
    assert window.last_day == D(2026, 1, 31) + datetime.timedelta(days=locks.MAX_DAYS)


def test_a_huge_open_after_days_counts_as_the_maximum() -> None:
    window = locks.entry_window("202601", HUGE, 15)
    assert window.opens_on == D(2026, 1, 1) + datetime.timedelta(days=locks.MAX_DAYS)


@pytest.mark.parametrize(("open_after", "close_after"), [(0, HUGE), (HUGE, 0), (HUGE, HUGE)])
def test_lock_state_with_huge_day_counts_does_not_crash(open_after: int, close_after: int) -> None:
    state = locks.lock_state(
        period_code="202601",
        open_after_days=open_after,
        close_after_days=close_after,
        today=D(2026, 2, 3),
    )
    assert state.is_open == (open_after == 0)
    assert state.reason


# --- the dataset form -----------------------------------------------------------------------


def dataset_data(**kw: Any) -> dict[str, Any]:
    data = {
        "code": "KES",
        "name": "Kesehatan",
        "period_type": "monthly",
        "collection_level": 4,
        "open_after_days": 0,
        "close_after_days": 15,
        "timely_days": 10,
        "licence": "CC-BY-4.0",
    }
    data.update(kw)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["open_after_days", "close_after_days", "timely_days"])
def test_dataset_form_refuses_more_than_ten_years_of_days(agency: Any, name: str) -> None:
    with translation.override("en"):
        form = DatasetForm(dataset_data(**{name: HUGE}), agency=agency, own_units=None)
        assert not form.is_valid()
        assert form.errors[name] == ["Enter at most 3660 days (ten years)."]


@pytest.mark.django_db
def test_dataset_form_accepts_ten_years_of_days(agency: Any) -> None:
    data = dataset_data(open_after_days=3660, close_after_days=3660, timely_days=3660)
    form = DatasetForm(data, agency=agency, own_units=None)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_dataset_page_shows_the_day_limit(client: Client, data_custodian: Any) -> None:
    client.force_login(data_custodian)
    data = dataset_data(close_after_days=HUGE)
    response = client.post(reverse("databank:dataset_create"), data)
    assert response.status_code == 200
    assert "close_after_days" in response.context["form"].errors
    assert not Dataset.objects.filter(code="KES").exists()


# --- a huge value already stored --------------------------------------------------------------


@sqlite_only
@pytest.mark.django_db
def test_entry_form_opens_with_a_huge_stored_window(
    client: Client, village_operator: Any, dataset: Any, kambu: Any, month: str
) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(close_after_days=HUGE, timely_days=0)
    client.force_login(village_operator)
    url = reverse("databank:entry_form", args=[dataset.pk, kambu.code, month])
    assert client.get(url).status_code == 200


@sqlite_only
@pytest.mark.django_db
def test_reminders_run_with_a_huge_stored_window(
    dataset: Any, village_operator: Any, kambu: Any
) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(close_after_days=HUGE)
    due = reminders.collect_reminders(today_of=lambda agency: D(2026, 2, 3))
    assert [(r.user, r.period) for r in due] == [(village_operator, "202601")]


@pytest.mark.django_db
def test_one_bad_dataset_does_not_stop_the_reminders_of_the_others(
    dataset: Any, village_operator: Any, kambu: Any, caplog: Any
) -> None:
    bad = Dataset.objects.create(
        agency=dataset.agency, code="RUSAK", name="Rusak", period_type="monthly"
    )
    Dataset.objects.filter(pk=bad.pk).update(period_type="fortnightly")  # not a period type
    due = reminders.collect_reminders(today_of=lambda agency: D(2026, 2, 3))
    assert [(r.user, r.dataset, r.period) for r in due] == [(village_operator, dataset, "202601")]
    assert "RUSAK" in caplog.text
