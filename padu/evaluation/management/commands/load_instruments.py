"""Load the bundled instruments, or one file (optionally as an agency's own variant)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from padu.evaluation.instrument_format import InstrumentFormatError
from padu.evaluation.instrument_loader import BUNDLED_DIR, load_instrument
from padu.organizations.models import Agency


class Command(BaseCommand):
    help = "Load instrument files (all bundled ones by default); nothing is loaded if one is bad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="instrument YAML files")
        parser.add_argument("--agency", help="slug of the agency that owns these files")

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or sorted(BUNDLED_DIR.glob("*.yaml"))
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Unknown agency: {options['agency']}")
        try:
            with transaction.atomic():
                for path in files:
                    try:
                        result = load_instrument(
                            text=path.read_text(encoding="utf-8"), agency=agency
                        )
                    except InstrumentFormatError as exc:
                        raise CommandError(f"{path}:\n" + "\n".join(exc.errors)) from exc
                    except UnicodeDecodeError as exc:
                        raise CommandError(f"{path}: not UTF-8 text") from exc
                    state = "created" if result.created else "unchanged"
                    self.stdout.write(f"{path.name}: {result.instrument} {state}")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
