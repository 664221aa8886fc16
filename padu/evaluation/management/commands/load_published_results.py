"""Load the published national results bundled with Padu (idempotent upsert)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from padu.evaluation.services_history import PUBLISHED_FILE, load_published_results


class Command(BaseCommand):
    help = "Create or update the published SPBE indices (national averages and agencies)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=PUBLISHED_FILE, help="YAML file to load")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_published_results(options["file"])
        self.stdout.write(
            f"Published results: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
