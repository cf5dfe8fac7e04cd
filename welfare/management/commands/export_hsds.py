import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from welfare.hsds import export_bundle
from welfare.hsds_tabular import export_package, write_zip


class Command(BaseCommand):
    help = (
        "Write the directory as HSDS 3.0: a JSON bundle (organizations with nested services, taxonomies), "
        "or the tabular data package (CSV files and datapackage.json) as a folder or a .zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "package"], default="json")
        parser.add_argument("--output", "-o", help="File or folder to write; JSON goes to standard output without it.")

    def handle(self, *args, format, output=None, **options):
        bundle = export_bundle()
        if format == "json":
            text = json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            if not output:
                sys.stdout.write(text)
                return
            Path(output).write_text(text, encoding="utf-8")
        else:
            if not output:
                raise CommandError("A data package needs --output: a folder, or a file name ending in .zip.")
            files = export_package(bundle)
            if output.endswith(".zip"):
                Path(output).write_bytes(write_zip(files))
            else:
                folder = Path(output)
                folder.mkdir(parents=True, exist_ok=True)
                for name, content in files.items():
                    (folder / name).write_bytes(content)
        self.stderr.write(f"Wrote {output}")
