"""The HSDS 3.0 tabular data package (CSV files and datapackage.json) for the directory.

The package is the JSON bundle laid flat: every nested object becomes a row of its resource's
table, with the columns and order of the standard's descriptor (welfare/hsds_schema/
datapackage.json). Reading a package nests the rows again and hands the bundle to the JSON
importer, so both formats share one set of checks.
"""

import csv
import io
import json
import math
import uuid
import zipfile
from pathlib import Path

from welfare.hsds_import import SCHEMA_DIR

# Keys under which the bundle nests objects → the datapackage resource they belong to.
NESTED = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "phones": "phone",
    "contacts": "contact",
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
    "attributes": "attribute",
    "metadata": "metadata",
    "cost_options": "cost_option",
    "organization_identifiers": "organization_identifier",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


def descriptor() -> dict:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text())


def resources() -> dict:
    return {resource["name"]: resource for resource in descriptor()["resources"]}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(bundle: dict) -> dict[str, list[dict]]:
    """Bundle → {resource name: rows}."""
    tables: dict[str, dict[str, dict]] = {}

    def walk(objects, resource):
        for obj in objects:
            row = {key: value for key, value in obj.items() if not isinstance(value, list | dict)}
            tables.setdefault(resource, {})[row["id"]] = row
            for key, value in obj.items():
                if isinstance(value, list) and key in NESTED:
                    walk(value, NESTED[key])

    for key in ("taxonomies", "taxonomy_terms", "organizations"):
        walk(bundle.get(key, []), NESTED[key])
    return {name: sorted(rows.values(), key=lambda row: row["id"]) for name, rows in tables.items()}


def export_package(bundle: dict) -> dict[str, bytes]:
    """Bundle → {file name: bytes}: one CSV per resource used, and a datapackage.json for them."""
    described = resources()
    tables = flatten(bundle)
    files = {}
    package = {key: value for key, value in descriptor().items() if key != "resources"}
    package["resources"] = []
    for name in sorted(tables):
        resource = described[name]
        columns = [field["name"] for field in resource["schema"]["fields"]]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in tables[name]:
            writer.writerow([_cell(row.get(column)) for column in columns])
        files[resource["path"]] = out.getvalue().encode("utf-8")
        package["resources"].append(resource)
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def write_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: same data, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


MAX_MEMBERS = 40  # the standard's data package has 21 tables


def read_zip(raw: bytes, *, max_bytes: int) -> tuple[dict[str, bytes], list[str]]:
    """Unpack a zipped package, refusing archives that would unpack to more than `max_bytes`."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > MAX_MEMBERS:
                return {}, [f"The archive holds {len(members)} files; an HSDS package has at most {MAX_MEMBERS}."]
            if sum(info.file_size for info in members) > max_bytes:
                return {}, [f"The archive unpacks to more than {max_bytes:,} bytes."]
            files = {}
            for info in members:
                with archive.open(info) as handle:
                    content = handle.read(info.file_size + 1)
                if len(content) > info.file_size:  # the header understated the size
                    return {}, [f"{info.filename}: the archive misstates its size."]
                files[Path(info.filename).name] = content
            return files, []
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        return {}, ["The file is neither JSON nor a zip archive of an HSDS data package."]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _convert(value: str, field: dict):
    if value == "":
        # A required text column may legitimately be empty (an organisation's description).
        required = field.get("constraints", {}).get("required")
        return "" if required and field.get("type") == "string" else None
    kind = field.get("type")
    if kind == "integer":
        return int(value)
    if kind == "number":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        return value.lower() == "true"
    return value


def read_tables(files: dict[str, bytes]) -> tuple[dict[str, list[dict]], list[str]]:
    """{file name: bytes} → {resource: rows}, converting cells by the descriptor's field types."""
    problems = []
    tables = {}
    by_path = {resource["path"]: resource for resource in resources().values()}
    if "datapackage.json" not in files:
        problems.append("The package has no datapackage.json.")
    for name, raw in sorted(files.items()):
        if name == "datapackage.json" or not name.endswith(".csv"):
            continue
        resource = by_path.get(name)
        if resource is None:
            problems.append(f"{name}: not a table of the HSDS 3.0 data package")
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(f"{name}: not UTF-8 text (byte {error.start} cannot be read)")
            continue
        fields = {field["name"]: field for field in resource["schema"]["fields"]}
        reader = csv.DictReader(io.StringIO(text))
        try:
            header = reader.fieldnames or []
            table_rows = list(reader)
        except csv.Error as error:
            problems.append(f"{name}: cannot be read as CSV ({error})")
            continue
        unknown = [column for column in header if column not in fields]
        if unknown:
            problems.append(f"{name}: unknown columns {', '.join(unknown)}")
            continue
        rows = []
        for line, row in enumerate(table_rows, start=2):
            try:
                rows.append({key: _convert(value or "", fields[key]) for key, value in row.items() if key})
            except ValueError:
                problems.append(f"{name} line {line}: a number column holds something else")
                continue
            for key, value in row.items():
                if value and fields.get(key, {}).get("format") == "uuid" and not _is_uuid(value):
                    problems.append(f"{name} line {line}: {key} {value!r} is not a UUID")
        tables[resource["name"]] = rows
    return tables, problems


def nest(tables: dict[str, list[dict]]) -> dict:
    """{resource: rows} → the JSON bundle the importer reads."""

    index: dict[tuple, list[dict]] = {}
    for resource, table in tables.items():
        for row in table:
            index.setdefault((resource, None, None), []).append(row)
            for key, value in row.items():
                if key.endswith("_id") and value is not None:
                    index.setdefault((resource, key, value), []).append(row)

    def rows(resource, **match):
        """The rows of `resource` whose one foreign-key column equals the value given (or all)."""
        ((key, value),) = match.items() if match else ((None, None),)
        return [_clean(row) for row in index.get((resource, key, value), [])]

    terms = {row["id"]: row for row in tables.get("taxonomy_term", [])}

    def attributes(link_id):
        found = rows("attribute", link_id=link_id)
        for attribute in found:
            term = terms.get(attribute.get("taxonomy_term_id"))
            if term:
                attribute["taxonomy_term"] = {
                    key: term[key]
                    for key in ("id", "code", "name", "description", "taxonomy", "taxonomy_id")
                    if term.get(key) is not None
                }
        return found

    def contact(row):
        return {**row, "phones": rows("phone", contact_id=row["id"])}

    def service(row):
        places = [
            {**place, "schedules": rows("schedule", service_at_location_id=place["id"])}
            for place in rows("service_at_location", service_id=row["id"])
        ]
        return {
            **row,
            "languages": rows("language", service_id=row["id"]),
            "service_areas": rows("service_area", service_id=row["id"]),
            "cost_options": rows("cost_option", service_id=row["id"]),
            "service_at_locations": places,
            "contacts": [contact(c) for c in rows("contact", service_id=row["id"])],
            "attributes": attributes(row["id"]),
        }

    def location(row):
        return {
            **row,
            "addresses": rows("address", location_id=row["id"]),
            "accessibility": rows("accessibility", location_id=row["id"]),
            "attributes": attributes(row["id"]),
        }

    organizations = []
    for row in rows("organization"):
        organizations.append(
            {
                **row,
                "phones": rows("phone", organization_id=row["id"]),
                "contacts": [contact(c) for c in rows("contact", organization_id=row["id"]) if not c.get("service_id")],
                "locations": [location(loc) for loc in rows("location", organization_id=row["id"])],
                "organization_identifiers": rows("organization_identifier", organization_id=row["id"]),
                "attributes": attributes(row["id"]),
                "metadata": rows("metadata", resource_id=row["id"]),
                "services": [service(s) for s in rows("service", organization_id=row["id"])],
            }
        )
    return {"organizations": organizations, "taxonomies": rows("taxonomy"), "taxonomy_terms": rows("taxonomy_term")}


def _clean(row):
    return {key: value for key, value in row.items() if value is not None}


def load_any(raw: bytes, *, max_bytes: int) -> tuple[dict | None, list[str]]:
    """An uploaded or read file, JSON bundle or zipped data package → (bundle, problems)."""
    from welfare.hsds_import import decode

    if len(raw) > max_bytes:
        return None, [f"The file is {len(raw):,} bytes; at most {max_bytes:,} are accepted."]
    if not raw.startswith(b"PK"):
        return decode(raw, max_bytes=max_bytes)
    files, problems = read_zip(raw, max_bytes=max_bytes)
    if problems:
        return None, problems
    return load_files(files)


def load_files(files: dict[str, bytes]) -> tuple[dict | None, list[str]]:
    tables, problems = read_tables(files)
    problems += check_references(tables)
    return (None, problems) if problems else (nest(tables), [])


def check_references(tables: dict[str, list[dict]]) -> list[str]:
    """Every foreign key the descriptor declares must point at a row of the package."""
    described = resources()
    ids = {name: {row.get("id") for row in rows} for name, rows in tables.items()}
    problems = []
    for name, rows in tables.items():
        resource = described[name]
        for key in resource["schema"].get("foreignKeys", []):
            column, target = key["fields"], key["reference"]["resource"]
            target_path = described[target]["path"]
            for row in rows:
                value = row.get(column)
                if value is not None and value not in ids.get(target, set()):
                    problems.append(
                        f"{resource['path']} row {row.get('id')}: {column} {value!r} is not in {target_path}"
                    )
    return problems
