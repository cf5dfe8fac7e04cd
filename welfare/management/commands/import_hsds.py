from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from welfare.hsds_import import import_bundle
from welfare.hsds_tabular import load_any, load_files


class Command(BaseCommand):
    help = (
        "Read HSDS 3.0 into the directory: a JSON bundle, a zipped data package or a data-package folder. "
        "All or nothing, matched by id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, change nothing.")

    def handle(self, *args, path, dry_run, **options):
        source = Path(path)
        limit = settings.BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES
        try:
            if source.is_dir():
                files = {p.name: p.read_bytes() for p in source.iterdir() if p.is_file()}
                size = sum(len(content) for content in files.values())
                bundle, problems = (
                    (None, [f"The package is {size:,} bytes; at most {limit:,} are accepted."])
                    if size > limit
                    else load_files(files)
                )
            else:
                bundle, problems = load_any(source.read_bytes(), max_bytes=limit)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        report = None if problems else import_bundle(bundle, dry_run=dry_run)
        if report is not None:
            problems = report.errors
        if problems:
            self.stdout.write(f"{len(problems)} problem(s); nothing was changed:")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
            raise CommandError("The import was refused.")
        for line in report.lines():
            self.stdout.write(line)
