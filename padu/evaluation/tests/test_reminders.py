"""Reminder digests: who hears what before a deadline, once only; the real worker runs them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from padu.accounts.models import Notification
from padu.evaluation import reminders
from padu.evaluation.choices import AssessmentStatus, Stage
from padu.evaluation.models import Assessment, ReminderLog
from padu.evaluation.permissions import today_in


def test_pics_hear_three_days_before_the_self_assessment_closes(
    period, dinkes_admin, disdik_admin, django_capture_on_commit_callbacks
) -> None:
    first, second = Assessment.objects.filter(period=period).order_by("indicator__number")
    second.status = AssessmentStatus.SUBMITTED
    second.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminders.call() >= 1
    note = Notification.objects.get(user=dinkes_admin)
    assert "3" in note.title
    assert first.indicator.name in note.body
    assert second.indicator.name not in note.body  # submitted: nothing to do
    assert not Notification.objects.filter(user=disdik_admin).exists()  # not their OPD
    assert any(dinkes_admin.email in m.to for m in mail.outbox)


def test_named_pics_replace_the_opd_admins(period, dinkes_admin, assessor) -> None:
    for a in Assessment.objects.filter(period=period):
        a.pics.add(assessor)
    reminders.send_reminders.call()
    assert Notification.objects.filter(user=assessor).count() == 1
    assert not Notification.objects.filter(user=dinkes_admin).exists()


def test_a_digest_is_sent_once_however_often_the_job_runs(period, dinkes_admin) -> None:
    reminders.send_reminders.call()
    sent = ReminderLog.objects.count()
    assert sent >= 1
    assert reminders.send_reminders.call() == 0
    assert ReminderLog.objects.count() == sent
    assert Notification.objects.filter(user=dinkes_admin).count() == 1


def test_no_digest_on_days_that_are_not_reminder_days(period, dinkes_admin) -> None:
    window = period.windows.get(stage=Stage.SELF_ASSESSMENT)
    window.ends_on = today_in(period.agency) + datetime.timedelta(days=5)
    window.save()
    assert reminders.pic_digests(period, today_in(period.agency)) == []


def test_nothing_pending_means_no_digest(period, dinkes_admin) -> None:
    Assessment.objects.filter(period=period).update(status=AssessmentStatus.ACCEPTED)
    assert reminders.send_reminders.call() == 0


def test_returned_indicators_are_named_as_returned(period, dinkes_admin, english) -> None:
    Assessment.objects.filter(period=period).update(status=AssessmentStatus.RETURNED)
    digest = reminders.pic_digests(period, today_in(period.agency))[0]
    assert all("returned" in line for line in digest.lines)


def test_coordinator_hears_weekly_about_overdue_opds(period, coordinator) -> None:
    today = today_in(period.agency)
    Assessment.objects.filter(period=period).update(due_on=today - datetime.timedelta(days=1))
    digests = reminders.overdue_digests(period, today)
    assert [d.user for d in digests] == [coordinator]
    assert digests[0].lines == ["Dinkes: 2"]
    reminders.send_reminders.call()
    reminders.send_reminders.call()
    assert ReminderLog.objects.filter(user=coordinator, key__startswith="overdue:").count() == 1


def test_closed_periods_send_nothing(period, dinkes_admin) -> None:
    period.status = "closed"
    period.save()
    assert reminders.collect_digests() == []


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_and_the_database_worker_sends(
    settings, period, dinkes_admin
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "bundles"],
        }
    }
    call_command("scheduler", "--once")
    reminder_jobs = DBTaskResult.objects.filter(
        task_path="padu.evaluation.reminders.send_reminders"
    )
    assert reminder_jobs.count() == 1
    assert not Notification.objects.exists()  # queued, not yet run
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")
    assert Notification.objects.filter(user=dinkes_admin).count() == 1
    assert reminder_jobs.get().status == "SUCCESSFUL"
    # The notification's email went through its own queued job, which the worker also ran.
    emails = DBTaskResult.objects.filter(task_path="padu.accounts.tasks.send_emails")
    assert emails.count() == 1 and emails.get().status == "SUCCESSFUL"
    assert any(dinkes_admin.email in m.to for m in mail.outbox)
