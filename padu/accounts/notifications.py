"""Telling people: a notification in the app and an email, sent after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from .models import Notification, User

logger = logging.getLogger(__name__)


def notify(
    users: Iterable[User],
    *,
    title: str,
    body: str = "",
    url: str = "",
    agency: Any = None,
    email: bool = True,
) -> list[Notification]:
    """Create one in-app notification per distinct active user and queue the emails."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    notes = Notification.objects.bulk_create(
        [
            Notification(user=u, agency=agency, title=title[:200], body=body, url=url)
            for u in recipients.values()
        ]
    )
    if email:
        link = f"{settings.SITE_URL}{url}" if url else ""
        messages = [
            (title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
            for u in recipients.values()
            if u.email
        ]
        if messages:
            transaction.on_commit(lambda: _queue(messages))
    return notes


def _queue(messages: list[tuple[str, str, str, list[str]]]) -> None:
    """Hand the emails to the background worker (run in place by the immediate backend)."""
    from .tasks import send_emails

    send_emails.enqueue([list(m) for m in messages])


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (or the given ones) as read; returns how many."""
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
