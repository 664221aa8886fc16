"""Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext; --check fails on gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile translations with polib; with --check, fail on untranslated or fuzzy strings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only verify completeness")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for code, _name in settings.LANGUAGES:
            if code == "en":
                continue  # source strings are English
            expected = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
            if not expected.exists():
                problems.append(f"{expected}: missing")
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                po = polib.pofile(str(po_path))
                untranslated = [e.msgid for e in po.untranslated_entries()]
                fuzzy = [e.msgid for e in po.fuzzy_entries()]
                for msgid in untranslated:
                    problems.append(f"{po_path}: untranslated: {msgid!r}")
                for msgid in fuzzy:
                    problems.append(f"{po_path}: fuzzy: {msgid!r}")
                if not options["check"]:
                    po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(
                    f"{po_path}: {po.percent_translated()}% translated, "
                    f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy",
                )
        if options["check"] and problems:
            raise CommandError("\n".join(problems))
