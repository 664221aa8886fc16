"""Load the bundled instruments, or given files (optionally as an agency's own variant)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.evaluation.instrument_format import InstrumentFormatError
from padu.evaluation.instrument_loader import bundled_files, load_instrument_files
from padu.organizations.models import Agency


class Command(BaseCommand):
    help = (
        "Load instrument files (all bundled ones by default). Every file is checked first; "
        "nothing is loaded when any of them has a fault."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="instrument YAML files")
        parser.add_argument("--agency", help="slug of the agency that owns these files")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Unknown agency: {options['agency']}")
        files = options["files"] or bundled_files()
        try:
            results = load_instrument_files(files, agency=agency)
        except InstrumentFormatError as exc:
            raise CommandError(
                "Nothing was loaded; fix these faults:\n" + "\n".join(exc.errors)
            ) from exc
        except ValidationError as exc:
            raise CommandError("Nothing was loaded: " + " ".join(exc.messages)) from exc
        for path, result in results:
            self.stdout.write(f"{path.name}: {result.instrument} {result.state}")
