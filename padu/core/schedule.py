"""Periodic jobs: what `manage.py scheduler` enqueues, and how often.

Each job must be safe to run more often than listed (the reminders keep a log of what was
sent), so several schedulers, a restart or a cron line running `scheduler --once` do no harm.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    task: str  # dotted path of a django-tasks task
    every_seconds: int


SCHEDULE = (
    Periodic("padu.evaluation.reminders.send_reminders", 3600),
    Periodic("padu.databank.reminders.send_databank_reminders", 3600),
    Periodic("padu.databank.rollups.refresh_leftover_rollups", 300),
)
