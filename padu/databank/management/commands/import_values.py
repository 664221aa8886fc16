"""Import data values from a file: `import_values FILE --dataset CODE --format csv [--apply]`.

Without --apply the file is only checked (dry run). The import runs as the given user (their
regions and rights apply) and is recorded as an import job like an upload on the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.accounts.models import User
from padu.databank.choices import ImportFormat
from padu.databank.models import Dataset
from padu.databank.services_import import apply_job, create_job


class Command(BaseCommand):
    help = "Check (dry run) or apply a data value import file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dataset", required=True, help="dataset code")
        parser.add_argument("--format", required=True, choices=list(ImportFormat.values))
        parser.add_argument("--user", required=True, help="username the import runs as")
        parser.add_argument("--agency", default="", help="agency slug, when codes repeat")
        parser.add_argument("--apply", action="store_true", help="write the values")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            user = User.objects.get(username=opts["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No such user: {opts['user']}") from exc
        datasets = Dataset.objects.filter(code=opts["dataset"]).select_related("agency")
        if opts["agency"]:
            datasets = datasets.filter(agency__slug=opts["agency"])
        if datasets.count() != 1:
            raise CommandError("Dataset not found or ambiguous; pass --agency.")
        data = path.read_bytes()
        job = create_job(
            user=user,
            dataset=datasets[0],
            fmt=opts["format"],
            name=path.name,
            data=data,
            inline=True,
        )
        if opts["apply"] and not job.error_count:
            job = apply_job(job=job, user=user, inline=True)
        self.stdout.write(f"job {job.pk}: {job.message}")
        for problem in job.errors[:50]:
            self.stdout.write(f"  {problem['line']}\t{problem['column']}\t{problem['reason']}")
        if job.error_count:
            raise CommandError(f"{job.error_count} problems; nothing applied.")
