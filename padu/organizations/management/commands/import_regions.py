"""Load the Kemendagri region tree shipped with Padu (or another folder of the same files)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.organizations.regions_import import (
    DATA_DIR,
    RegionImportError,
    import_regions,
    read_regions,
)


class Command(BaseCommand):
    help = "Import provinces, regencies, districts and villages (idempotent, all-or-nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=DATA_DIR, help="folder with the four CSVs")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="limit to a region code and what lies under it, for example 74 or 74.71",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            rows = read_regions(options["dir"], only=options["only"])
        except RegionImportError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        result = import_regions(rows)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Regions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged in {elapsed:.1f} s."
        )
