from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from welfare.hsds_import import decode, import_bundle


class Command(BaseCommand):
    help = "Read an HSDS 3.0 JSON bundle into the directory: all or nothing, matched by id."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, change nothing.")

    def handle(self, *args, path, dry_run, **options):
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        bundle, problems = decode(raw, max_bytes=settings.BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES)
        report = import_bundle(bundle, dry_run=dry_run) if not problems else None
        lines = ["1 problem; nothing was changed:", *(f"  - {p}" for p in problems)] if problems else report.lines()
        for line in lines:
            self.stdout.write(line)
        if problems or not report.ok:
            raise CommandError("The import was refused.")
