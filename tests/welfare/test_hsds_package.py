import csv
import io
import json
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.welfare.test_hsds import SHARED, directory  # noqa: F401 - the directory fixture
from welfare.hsds import export_bundle
from welfare.hsds_import import import_bundle
from welfare.hsds_tabular import export_package, load_any, write_zip
from welfare.models import WelfareOrganisation


def standard_descriptor():
    path = SHARED / "datapackage.json"
    if not path.exists():
        path = __import__("welfare.hsds_tabular", fromlist=["SCHEMA_DIR"]).SCHEMA_DIR / "datapackage.json"
    return {r["path"]: r for r in json.loads(path.read_text())["resources"]}


def rows(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_package_follows_the_standards_descriptor(directory):  # noqa: F811
    files = export_package(export_bundle())
    described = standard_descriptor()
    package = json.loads(files["datapackage.json"])
    assert {r["path"] for r in package["resources"]} == set(files) - {"datapackage.json"}
    ids = {path: {row["id"] for row in rows(content)} for path, content in files.items() if path.endswith(".csv")}
    for path, content in files.items():
        if path == "datapackage.json":
            continue
        schema = described[path]["schema"]
        fields = {f["name"]: f for f in schema["fields"]}
        table = rows(content)
        assert list(table[0].keys()) == list(fields), path
        for row in table:
            for name, field in fields.items():
                value = row[name]
                constraints = field.get("constraints", {})
                if constraints.get("required") and field["type"] != "string":
                    assert value != "", f"{path}.{name} is required"
                if value and field.get("format") == "uuid":
                    uuid.UUID(value)
                if value and "enum" in constraints:
                    assert value in constraints["enum"], f"{path}.{name}={value}"
                if value and field["type"] == "integer":
                    int(value)
            for key in schema.get("foreignKeys", []):
                target = next(r["path"] for r in described.values() if r["name"] == key["reference"]["resource"])
                if row[key["fields"]]:
                    assert row[key["fields"]] in ids.get(target, set()), f"{path}.{key['fields']}"


def test_package_export_import_export_is_identical(directory, tmp_path):  # noqa: F811
    first = write_zip(export_package(export_bundle()))
    WelfareOrganisation.objects.all().delete()
    bundle, problems = load_any(first, max_bytes=10**8)
    assert problems == []
    assert import_bundle(bundle).ok
    assert write_zip(export_package(export_bundle())) == first


def test_package_commands_round_trip_through_a_folder(directory, tmp_path):  # noqa: F811
    folder = tmp_path / "package"
    call_command("export_hsds", "--format", "package", output=str(folder), stderr=StringIO())
    assert (folder / "datapackage.json").exists()
    out = StringIO()
    call_command("import_hsds", str(folder), "--dry-run", stdout=out)
    assert "40 unchanged" in out.getvalue()


def broken_package(change):
    files = export_package(export_bundle())
    change(files)
    return write_zip(files)


def edit_csv(files, path, edit):
    table = rows(files[path])
    edit(table)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    files[path] = out.getvalue().encode("utf-8")


BROKEN = {
    "bad uuid": (lambda f: edit_csv(f, "services.csv", lambda t: t[0].update(id="42")), "id '42' is not a UUID"),
    "missing required name": (
        lambda f: edit_csv(f, "services.csv", lambda t: t[0].update(name="")),
        ".name: must not be empty",
    ),
    "unknown organisation": (
        lambda f: edit_csv(f, "services.csv", lambda t: t[0].update(organization_id=str(uuid.uuid4()))),
        "is not in organizations.csv",
    ),
    "wrong encoding": (
        lambda f: f.update(
            {"organizations.csv": f["organizations.csv"].decode().replace("Vluchthuis", "Vlüchthuis").encode("latin-1")}
        ),
        "not UTF-8",
    ),
    "unknown column": (lambda f: f.update({"services.csv": b"id,colour\n1,red\n"}), "unknown columns colour"),
    "no descriptor": (lambda f: f.pop("datapackage.json"), "no datapackage.json"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_malformed_packages_change_nothing_and_say_why(directory, case, tmp_path):  # noqa: F811
    change, expected = BROKEN[case]
    before = export_bundle()
    target = tmp_path / "broken.zip"
    target.write_bytes(broken_package(change))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(target), stdout=out)
    assert expected in out.getvalue(), out.getvalue()
    assert export_bundle() == before


def test_a_file_that_is_neither_json_nor_zip_is_explained(db, tmp_path):
    target = tmp_path / "odd.zip"
    target.write_bytes(b"PK\x03\x04 not really a zip")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(target), stdout=out)
    assert "neither JSON nor a zip" in out.getvalue()


def test_curator_uploads_a_zipped_package(client, directory):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from accounts.roles import Role
    from tests.factories import member

    bundle = export_bundle()
    ours = [o for o in bundle["organizations"] if any(a["taxonomy_term"]["code"] == "99002" for a in o["attributes"])]
    ours[0]["description"] = "Via een CSV-pakket"
    package = write_zip(export_package({**bundle, "organizations": ours}))
    client.force_login(member(Role.LOCAL_OFFICIAL, directory["99002"]))
    response = client.post(reverse("welfare:import"), {"file": SimpleUploadedFile("pakket.zip", package)})
    assert response.status_code == 200, response.content.decode()
    assert WelfareOrganisation.objects.filter(description="Via een CSV-pakket").count() == 1
