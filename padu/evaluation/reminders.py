"""Reminder digests before stage deadlines, and the koordinator's overdue-OPD digest.

`collect_digests` is a plain read of what is pending; `send_reminders` (a background job,
enqueued by `manage.py scheduler`) sends each digest once: a `ReminderLog` row keyed by the
user, the period and the occasion makes a second run (or a second scheduler) send nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.accounts.notifications import notify

from .choices import OPD_EDIT_STAGES, AssessmentStatus, PeriodStatus
from .models import Assessment, Period, ReminderLog
from .permissions import today_in

# Days before a stage's last day on which the PICs hear about what is still open.
DAYS_BEFORE = (7, 3, 1)
PENDING = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


@dataclass
class Digest:
    user: User
    period: Period
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    url: str = ""


def _pic_recipients(assessments: list[Assessment], period: Period) -> dict[int, list[Assessment]]:
    """Each user's pending assessments: the PICs, or the lead OPD's admins when none is named."""
    admins: dict[int, list[int]] = defaultdict(list)
    for m in Membership.objects.filter(agency=period.agency, role=Role.UNIT_ADMIN).values(
        "unit_id", "user_id"
    ):
        admins[m["unit_id"]].append(m["user_id"])
    out: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        users = [u.pk for u in a.pics.all()] or admins.get(a.lead_unit_id or 0, [])
        for user_id in set(users):
            out[user_id].append(a)
    return out


def _line(a: Assessment) -> str:
    state = _("returned") if a.status == AssessmentStatus.RETURNED else _("not submitted")
    return f"{a.indicator.code}. {a.indicator.name} ({state})"


def pic_digests(period: Period, today: datetime.date) -> list[Digest]:
    digests: list[Digest] = []
    windows = [w for w in period.windows.all() if w.stage in OPD_EDIT_STAGES]
    for window in windows:
        days = (window.ends_on - today).days
        if days not in DAYS_BEFORE:
            continue
        pending = list(
            period.assessments.filter(status__in=PENDING)
            .select_related("indicator", "lead_unit")
            .prefetch_related("pics")
            .order_by("indicator__number", "slot")
        )
        by_user = _pic_recipients(pending, period)
        users = User.objects.in_bulk(list(by_user))
        for user_id, items in by_user.items():
            user = users.get(user_id)
            if user is None or not user.is_active:
                continue
            digests.append(
                Digest(
                    user=user,
                    period=period,
                    key=f"pic:{window.stage}:{window.ends_on.isoformat()}:{days}",
                    title=_("%(count)s indicators still open; %(stage)s ends in %(days)s days")
                    % {
                        "count": len(items),
                        "stage": window.get_stage_display(),
                        "days": days,
                    },
                    lines=[_line(a) for a in items],
                    url=reverse("evaluation:my_indicators"),
                )
            )
    return digests


def overdue_digests(period: Period, today: datetime.date) -> list[Digest]:
    """One digest a week per koordinator listing the OPDs with overdue indicators."""
    overdue = (
        period.assessments.filter(status__in=PENDING, due_on__lt=today)
        .select_related("lead_unit")
        .order_by("lead_unit__name")
    )
    per_unit: dict[str, int] = defaultdict(int)
    for a in overdue:
        per_unit[str(a.lead_unit or _("No lead OPD"))] += 1
    if not per_unit:
        return []
    year, week, _day = today.isocalendar()
    coordinators = User.objects.filter(
        memberships__agency=period.agency,
        memberships__role=Role.SPBE_COORDINATOR,
        is_active=True,
    ).distinct()
    return [
        Digest(
            user=user,
            period=period,
            key=f"overdue:{year}-W{week:02d}",
            title=_("%(count)s OPDs have overdue indicators") % {"count": len(per_unit)},
            lines=[f"{unit}: {n}" for unit, n in sorted(per_unit.items())],
            url=reverse("evaluation:period_detail", args=[period.pk]),
        )
        for user in coordinators
    ]


def collect_digests(today_of: Any = today_in) -> list[Digest]:
    """Every digest due today (each agency's own today) over the active periods."""
    digests: list[Digest] = []
    periods = Period.objects.filter(status=PeriodStatus.ACTIVE).select_related("agency")
    for period in periods.prefetch_related("windows"):
        today = today_of(period.agency)
        digests += pic_digests(period, today) + overdue_digests(period, today)
    return digests


def send_digest(digest: Digest) -> bool:
    """Send one digest unless it was sent before; True when sent."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                user=digest.user,
                period=digest.period,
                key=digest.key,
                item_count=len(digest.lines),
            )
            notify(
                [digest.user],
                agency=digest.period.agency,
                title=digest.title,
                body="\n".join(f"- {line}" for line in digest.lines),
                url=digest.url,
            )
    except IntegrityError:  # already sent by an earlier run
        return False
    return True


@task()
def send_reminders() -> int:
    """The scheduled job: send every due digest once, in each user's language; returns the count."""
    sent = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            digests = collect_digests()
            sent += sum(
                send_digest(d) for d in digests if (d.user.preferred_language or "id") == language
            )
    return sent
