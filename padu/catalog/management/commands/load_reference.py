"""Load the national SPBE reference architecture and national applications (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from padu.catalog.reference_loader import load_reference


class Command(BaseCommand):
    help = "Load the national reference architecture (Perpres 132/2022) and national applications."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_reference()
        self.stdout.write(
            f"Reference architecture: {result.codes} codes, "
            f"{result.national_applications} national applications."
        )
