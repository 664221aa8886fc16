"""Background jobs of the accounts app: sending notification emails off the request."""

from __future__ import annotations

import logging

from django.core.mail import send_mass_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_emails(messages: list[list[object]]) -> int:
    """Send (subject, body, sender, [recipients]) messages; a mail outage is logged, not raised."""
    datatuple = tuple((str(s), str(b), str(f), list(to)) for s, b, f, to in messages)  # type: ignore[call-overload]
    try:
        return send_mass_mail(datatuple, fail_silently=False)
    except OSError:  # the in-app notification stays; a mail outage must not lose the job loop
        logger.exception("Sending %d notification emails failed", len(datatuple))
        return 0
