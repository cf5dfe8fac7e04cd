import json
import sys

from django.core.management.base import BaseCommand

from welfare.hsds import export_bundle


class Command(BaseCommand):
    help = "Write the directory as an HSDS 3.0 JSON bundle (organizations with nested services, taxonomies)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")

    def handle(self, *args, output=None, **options):
        text = json.dumps(export_bundle(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}")
        else:
            sys.stdout.write(text)
