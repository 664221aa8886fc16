"""Enqueue the periodic jobs of `padu.core.schedule` for the workers (`manage.py db_worker`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from padu.core.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Enqueue periodic jobs (reminders) on schedule; --once enqueues each job one time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every job once and exit.")
        parser.add_argument(
            "--tick", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for job in SCHEDULE:
                if (
                    options["once"]
                    or now - last.get(job.task, -job.every_seconds) >= job.every_seconds
                ):
                    result = import_string(job.task).enqueue()
                    last[job.task] = now
                    self.stdout.write(f"enqueued {job.task} ({result.id})")
            if options["once"]:
                return
            time.sleep(options["tick"])
