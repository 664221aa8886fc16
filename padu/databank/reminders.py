"""Reminders to village operators whose forms are late.

On days 1, 3 and 7 after a period ends, each operator whose region (or a region under it)
has not handed in the form (no submission, still being entered, or returned) hears about it,
while the entry window is still open.

Sending each reminder once, without a new table: a reminder is one `Notification` whose
title names the dataset and the period and whose link is the entry page; a user who already
has a notification with the same title and link created on the same day (agency time zone)
is skipped, so a second run, a second scheduler or a restart sends nothing twice that day.
Reminders on different days (1, 3, 7) are meant to go out again.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from padu.accounts.choices import Role
from padu.accounts.models import Membership, Notification, User
from padu.accounts.notifications import notify
from padu.evaluation.permissions import today_in
from padu.organizations.permissions import regions_of_agency

from . import locks, periods
from .choices import PeriodType, SubmissionStatus
from .models import Dataset, Submission
from .selectors_entry import PERIOD_KIND

logger = logging.getLogger(__name__)

DAYS_AFTER = (1, 3, 7)
HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


@dataclass
class Reminder:
    user: User
    dataset: Dataset
    period: str
    regions: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Reminder: %(dataset)s for %(period)s has not been submitted") % {
            "dataset": self.dataset.name,
            "period": self.period,
        }

    @property
    def url(self) -> str:
        if len(self.regions) == 1:
            return reverse(
                "databank:entry_form", args=[self.dataset.pk, self.regions[0], self.period]
            )
        return reverse("databank:entry_home")


def due_period(dataset: Dataset, today: datetime.date) -> str | None:
    """The period that ended 1, 3 or 7 days before today and is still open for entry."""
    kind = PERIOD_KIND[PeriodType(dataset.period_type)]
    for days in DAYS_AFTER:
        ended = today - datetime.timedelta(days=days)
        period = periods.containing(ended, kind)
        if period.end != ended:
            continue
        state = locks.lock_state(
            period_code=period.code,
            open_after_days=dataset.open_after_days,
            close_after_days=dataset.close_after_days,
            today=today,
        )
        if state.is_open:
            return period.code
    return None


def _late_regions(dataset: Dataset, period: str) -> list[str]:
    regions = regions_of_agency(dataset.agency).filter(level=dataset.collection_level)
    if dataset.regions.exists():
        regions = regions.filter(pk__in=dataset.regions.values("pk"))
    handed_in = set(
        Submission.objects.filter(dataset=dataset, period=period, status__in=HANDED_IN).values_list(
            "region_id", flat=True
        )
    )
    return [code for code in regions.values_list("code", flat=True) if code not in handed_in]


def _dataset_reminders(dataset: Dataset, today: datetime.date) -> list[Reminder]:
    period = due_period(dataset, today)
    if period is None:
        return []
    late = _late_regions(dataset, period)
    if not late:
        return []
    by_user: dict[int, list[str]] = defaultdict(list)
    for m in Membership.objects.filter(
        agency=dataset.agency, role=Role.VILLAGE_OPERATOR, region__isnull=False
    ).values("user_id", "region_id"):
        own = m["region_id"]
        by_user[m["user_id"]] += [c for c in late if c == own or c.startswith(own + ".")]
    users = User.objects.in_bulk([u for u, codes in by_user.items() if codes])
    return [
        Reminder(user, dataset, period, sorted(set(by_user[user_id])))
        for user_id, user in users.items()
    ]


def collect_reminders(today_of: Any = today_in) -> list[Reminder]:
    """Every reminder due today, one per operator, dataset and period (a plain read).

    A dataset whose metadata cannot be read (e.g. a bad period type) is logged and skipped,
    so one bad dataset does not stop the reminders of all the others.
    """
    out: list[Reminder] = []
    for dataset in Dataset.objects.select_related("agency"):
        try:
            out += _dataset_reminders(dataset, today_of(dataset.agency))
        except (ArithmeticError, LookupError, TypeError, ValueError):
            logger.exception("Reminders skipped for dataset %s (%s).", dataset.pk, dataset.code)
    return out


def send_reminder(reminder: Reminder) -> bool:
    """Notify once per day: skip when the same title and link already went out today."""
    agency = reminder.dataset.agency
    local = datetime.datetime.now(zoneinfo.ZoneInfo(agency.timezone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    title, url = reminder.title, reminder.url
    if Notification.objects.filter(
        user=reminder.user, title=title[:200], url=url, created_at__gte=start
    ).exists():
        return False
    body = ", ".join(reminder.regions)
    return bool(notify([reminder.user], title=title, body=body, url=url, agency=agency))


@task()
def send_databank_reminders() -> int:
    """The scheduled job: send every due reminder once a day, in each user's language."""
    sent = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for reminder in collect_reminders():
                if (reminder.user.preferred_language or "id") == language:
                    sent += send_reminder(reminder)
    return sent
