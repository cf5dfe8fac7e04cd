import copy
import io
import json
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from jsonschema import Draft202012Validator

from demo import welfare as demo
from places.models import Municipality, Province
from welfare.hsds import export_bundle
from welfare.hsds_import import import_bundle
from welfare.models import Location, Service, WelfareOrganisation

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "hsds-3.0"
SHIPPED = ROOT / "welfare" / "hsds_schema"


def schema(name):
    """The standard's own schema from shared/ when it is there, else our unchanged copy."""
    compiled = SHARED / "compiled" / f"{name}.json"
    plain = SHARED / f"{name}.json"
    for path in (compiled, plain, SHIPPED / f"{name}.json"):
        if path.exists():
            return Draft202012Validator(
                json.loads(path.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
            )
    raise FileNotFoundError(name)


def problems(validator, document):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.fixture
def directory(db):
    municipalities = {
        "99001": Municipality.objects.create(name="Brugwaarde", nis_code="99001", province=Province.EAST_FLANDERS),
        "99002": Municipality.objects.create(name="Kanaalhoek", nis_code="99002", province=Province.EAST_FLANDERS),
    }
    demo.load(municipalities)
    return municipalities


def test_shipped_schemas_are_the_standards_own():
    if not SHARED.exists():
        pytest.skip("shared/hsds-3.0 is not beside the repository")
    for path in SHIPPED.glob("*.json"):
        original = SHARED / "compiled" / path.name
        original = original if original.exists() else SHARED / path.name
        assert path.read_bytes() == original.read_bytes(), path.name


def test_exported_organizations_services_and_terms_validate(directory, client):
    bundle = export_bundle()
    assert len(bundle["organizations"]) == 40
    organization = schema("organization")
    for document in bundle["organizations"]:
        assert problems(organization, document) == []
    for term in bundle["taxonomy_terms"]:
        assert problems(schema("taxonomy_term"), term) == []
    for taxonomy in bundle["taxonomies"]:
        assert problems(schema("taxonomy"), taxonomy) == []
    # A full service document from the API validates as a service.
    service = Service.objects.exclude(at_locations__location__is_confidential=True).first()
    document = client.get(reverse("welfare:api_service", kwargs={"service_id": service.pk})).json()
    assert problems(schema("service"), document) == []
    assert document["organization"]["id"] == str(service.organisation_id)


def test_export_then_import_into_an_empty_directory_gives_the_same_export(directory):
    first = export_bundle()
    WelfareOrganisation.objects.all().delete()
    assert not Service.objects.exists()
    report = import_bundle(copy.deepcopy(first))
    assert report.ok, report.errors
    assert report.created["organizations"] == 40
    assert export_bundle() == first


def test_importing_the_same_file_twice_changes_nothing(directory):
    bundle = export_bundle()
    report = import_bundle(copy.deepcopy(bundle))
    assert report.ok
    assert report.created == {}
    assert export_bundle() == bundle


def test_dry_run_reports_and_writes_nothing(directory):
    bundle = export_bundle()
    WelfareOrganisation.objects.all().delete()
    report = import_bundle(bundle, dry_run=True)
    assert report.ok
    assert report.created["services"] == len([s for o in bundle["organizations"] for s in o["services"]])
    assert not WelfareOrganisation.objects.exists()


def test_confidential_locations_never_leave_brugwijzer(directory, client):
    shelter = Location.objects.get(is_confidential=True)
    text = json.dumps(export_bundle())
    assert str(shelter.pk) not in text
    assert shelter.street_address not in text
    hidden_services = Service.objects.filter(at_locations__location=shelter)
    assert hidden_services.exists()
    for service in hidden_services:
        assert str(service.pk) not in text
        assert client.get(reverse("welfare:api_service", kwargs={"service_id": service.pk})).status_code == 404
    api_text = client.get(reverse("welfare:api_service_at_locations"), {"per_page": 200}).content.decode()
    assert str(shelter.pk) not in api_text


def mutate(bundle, change):
    broken = copy.deepcopy(bundle)
    change(broken)
    return broken


BROKEN = {
    "bad uuid": (lambda b: b["organizations"][0].update(id="not-a-uuid"), "organizations[0].id"),
    "missing name": (lambda b: b["organizations"][1].pop("name"), "'name' is a required property"),
    "unknown organisation type": (
        lambda b: b["organizations"][0]["attributes"][0]["taxonomy_term"].update(code="spaceport"),
        "unknown organisation type 'spaceport'",
    ),
    "unknown municipality": (
        lambda b: b["organizations"][0]["locations"][0]["attributes"][0]["taxonomy_term"].update(code="12345"),
        "unknown municipality (NIS code) '12345'",
    ),
    "unknown location": (
        lambda b: b["organizations"][0]["services"][0]["service_at_locations"][0].update(
            location_id="00000000-0000-4000-8000-000000000000"
        ),
        "unknown location",
    ),
    "unknown language": (
        lambda b: b["organizations"][0]["services"][0]["languages"][0].update(code="xx"),
        "unknown language code 'xx'",
    ),
    "not a bundle": (lambda b: b.pop("organizations"), "'organizations' list"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_malformed_bundles_are_refused_whole_with_a_clear_report(directory, case):
    change, expected = BROKEN[case]
    bundle = export_bundle()
    # Make a change that would be written if the file were accepted.
    bundle["organizations"][2]["name"] = "Zou niet mogen veranderen"
    report = import_bundle(mutate(bundle, change))
    assert not report.ok
    assert any(expected in error for error in report.errors), report.errors
    assert not WelfareOrganisation.objects.filter(name="Zou niet mogen veranderen").exists()
    assert export_bundle() == mutate(
        bundle, lambda b: b["organizations"][2].update(name=export_bundle()["organizations"][2]["name"])
    )


def test_import_command_reports_wrong_encoding_and_oversized_files(directory, tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps({"organizations": [{"name": "Café"}]}, ensure_ascii=False).encode("latin-1"))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(latin), stdout=out)
    assert "not UTF-8" in out.getvalue()

    big = tmp_path / "big.json"
    big.write_text(json.dumps(export_bundle()))
    out = StringIO()
    with override_settings(BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES=1000), pytest.raises(CommandError):
        call_command("import_hsds", str(big), stdout=out)
    assert "at most 1,000" in out.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_text('{"organizations": [')
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsds", str(broken), stdout=out)
    assert "not valid JSON" in out.getvalue()


def test_export_and_import_commands_round_trip(directory, tmp_path):
    target = tmp_path / "directory.json"
    call_command("export_hsds", output=str(target), stderr=StringIO())
    out = StringIO()
    call_command("import_hsds", str(target), "--dry-run", stdout=out)
    assert "organizations: 0 would be created, 0 would be updated, 40 unchanged" in out.getvalue()


class TestUploadPage:
    url = reverse("welfare:import")

    def upload(self, client, content: bytes, dry_run=False):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"file": SimpleUploadedFile("directory.json", content, "application/json")}
        if dry_run:
            data["dry_run"] = "on"
        return client.post(self.url, data)

    def test_only_curators_may_import(self, client, coordinator, welfare_worker):
        for person in (coordinator, welfare_worker):
            client.force_login(person)
            assert client.get(self.url).status_code == 403

    def test_curator_imports_organisations_of_their_municipality_only(self, client, directory):
        from accounts.roles import Role
        from tests.factories import member

        official = member(Role.LOCAL_OFFICIAL, directory["99002"])
        bundle = export_bundle()
        client.force_login(official)
        response = self.upload(client, json.dumps(bundle).encode(), dry_run=True)
        assert response.status_code == 400
        assert "serves none of the municipalities you curate" in response.content.decode()

        ours = {
            **bundle,
            "organizations": [
                o
                for o in bundle["organizations"]
                if any(a["taxonomy_term"]["code"] == "99002" for a in o["attributes"])
            ],
        }
        ours["organizations"][0]["description"] = "Bijgewerkt via import"
        response = self.upload(client, json.dumps(ours).encode())
        assert response.status_code == 200
        assert WelfareOrganisation.objects.filter(description="Bijgewerkt via import").count() == 1

    def test_oversized_upload_is_refused(self, client, directory):
        from accounts.roles import Role
        from tests.factories import member

        client.force_login(member(Role.LOCAL_OFFICIAL, directory["99001"]))
        with override_settings(BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES=50):
            response = self.upload(client, b"{" + b" " * 100 + b"}")
        assert response.status_code == 400

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("directory.csv", b'{"organizations": []}'),
            ("directory.exe", b"MZ\x90\x00"),
            ("directory.json", b"\x89PNG\r\n\x1a\n"),
            ("directory.json", b"PK\x03\x04 a zip under a json name"),
            ("directory.zip", b'{"organizations": []}'),
        ],
    )
    def test_a_file_of_another_type_is_refused_and_changes_nothing(self, client, directory, name, content):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from accounts.roles import Role
        from tests.factories import member

        client.force_login(member(Role.LOCAL_OFFICIAL, directory["99001"]))
        before = WelfareOrganisation.objects.count(), Service.objects.count()
        response = client.post(self.url, {"file": SimpleUploadedFile(name, content, "application/json")})
        assert response.status_code == 400
        assert (WelfareOrganisation.objects.count(), Service.objects.count()) == before

    def test_a_request_body_over_the_limit_is_refused_before_it_is_read(self, client, directory, settings):
        from accounts.roles import Role
        from tests.factories import member

        assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
        assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.BRUGWIJZER_HSDS_MAX_UPLOAD_BYTES
        client.force_login(member(Role.LOCAL_OFFICIAL, directory["99001"]))
        response = client.post(self.url, {"dry_run": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
        assert response.status_code == 400


class TestApi:
    def test_root_names_version_profile_and_openapi(self, client, db):
        body = client.get(reverse("welfare:api_root")).json()
        assert body["version"] == "3.0"
        assert body["openapi_url"].endswith("/api/hsds/openapi.json")
        assert client.get(body["openapi_url"]).json()["openapi"].startswith("3.")
        assert "HSDS" in client.get(body["profile"]).content.decode()

    def test_services_page_envelope_and_filters(self, client, directory):
        response = client.get(reverse("welfare:api_services"), {"per_page": 10, "page": 2})
        body = response.json()
        assert body["page_number"] == 2
        assert body["size"] == 10
        # active services, less the shelter's two
        assert body["total_items"] == Service.objects.filter(status="active").count() - 2
        assert not body["first_page"]

        organisation = WelfareOrganisation.objects.get(name="OCMW Brugwaarde")
        body = client.get(reverse("welfare:api_services"), {"organization_id": organisation.pk}).json()
        assert {s["organization_id"] for s in body["contents"]} == {str(organisation.pk)}

        from welfare.models import NeedCategory

        need = NeedCategory.objects.get(code="arts_sport_leisure")
        body = client.get(reverse("welfare:api_services"), {"taxonomy_term_id": need.pk, "per_page": 200}).json()
        assert body["total_items"] == Service.objects.filter(needs=need).count()

    @pytest.mark.parametrize(
        "params", [{"page": "x"}, {"per_page": "1000"}, {"taxonomy_term_id": "nope"}, {"modified_after": "gisteren"}]
    )
    def test_bad_parameters_give_400(self, client, db, params):
        response = client.get(reverse("welfare:api_services"), params)
        assert response.status_code == 400
        assert "error" in response.json()

    def test_unknown_ids_give_404(self, client, db):
        url = reverse("welfare:api_organization", kwargs={"organization_id": "00000000-0000-4000-8000-000000000000"})
        assert client.get(url).status_code == 404

    def test_services_list_costs_constant_queries(self, client, directory, django_assert_num_queries):
        client.get(reverse("welfare:api_services"))
        # count, page, and one query per prefetched relation, whatever the page size
        with django_assert_num_queries(11):
            client.get(reverse("welfare:api_services"), {"per_page": 5})
        with django_assert_num_queries(11):
            client.get(reverse("welfare:api_services"), {"per_page": 60})

    def test_api_never_mentions_schools(self, client, directory):
        text = client.get(reverse("welfare:api_organizations"), {"per_page": 200}).content.decode()
        assert "school_relations" not in text
        assert "partnerrelation" not in text.lower()


def org_doc(bundle, name):
    return next(o for o in bundle["organizations"] if o["name"] == name)


def test_a_file_cannot_take_over_rows_of_another_organisation(directory):
    bundle = export_bundle()
    mine, theirs = org_doc(bundle, "OCMW Brugwaarde"), org_doc(bundle, "OCMW Kanaalhoek")
    mine["services"][0]["id"] = theirs["services"][0]["id"]
    mine["services"][0]["name"] = "Overgenomen"
    report = import_bundle(bundle)
    assert any("already belongs to another organisation" in e for e in report.errors), report.errors
    assert not Service.objects.filter(name="Overgenomen").exists()


def test_a_file_never_changes_a_confidential_location(directory):
    bundle = export_bundle()
    location = Location.objects.filter(is_confidential=False).first()
    Location.objects.filter(pk=location.pk).update(is_confidential=True)
    report = import_bundle(bundle)
    assert any("confidential location" in e for e in report.errors), report.errors
    assert Location.objects.get(pk=location.pk).is_confidential


def test_curators_keep_other_municipalities_claim(directory):
    shared = WelfareOrganisation.objects.get(name="CAW Brugwaarde-Kanaalhoek")
    bundle = {
        "organizations": [
            organization for organization in export_bundle()["organizations"] if organization["id"] == str(shared.pk)
        ]
    }
    document = bundle["organizations"][0]
    document["attributes"] = [a for a in document["attributes"] if a["taxonomy_term"].get("code") != "99001"]
    report = import_bundle(bundle, curated={directory["99002"].pk})
    assert report.ok, report.errors
    assert set(shared.municipalities.values_list("nis_code", flat=True)) == {"99001", "99002"}


TYPE_TROUBLE = {
    "date that is not a date": (lambda s: s.update(assured_date="gisteren"), "is not a date"),
    "negative age": (lambda s: s.update(minimum_age=-3), "minimum_age"),
    "bad timestamp": (lambda s: s.update(last_modified="vroeger"), "is not a date and time"),
    "attribute without term": (lambda s: s["attributes"].append({"id": str(uuid.uuid4())}), None),
    "too long": (lambda s: s.update(name="x" * 500), "name"),
    "same place twice": (
        lambda s: s["service_at_locations"].append(
            {**s["service_at_locations"][0], "id": str(uuid.uuid4()), "schedules": []}
        ),
        "offered twice at the same location",
    ),
}


@pytest.mark.parametrize("case", TYPE_TROUBLE, ids=list(TYPE_TROUBLE))
def test_values_of_the_wrong_kind_are_reported_not_crashed_on(directory, case):
    change, expected = TYPE_TROUBLE[case]
    bundle = export_bundle()
    service = org_doc(bundle, "OCMW Brugwaarde")["services"][0]
    change(service)
    report = import_bundle(bundle)
    if expected is None:
        assert report.ok, report.errors  # harmless: an attribute without a term is ignored
    else:
        assert any(expected in e for e in report.errors), report.errors


def test_json_that_only_python_accepts_is_refused(db, tmp_path):
    from welfare.hsds_import import decode

    for raw, expected in [(b'{"organizations": [NaN]}', "NaN"), (b"[" * 100_000 + b"]" * 100_000, "too deeply")]:
        bundle, problems = decode(raw, max_bytes=10**7)
        assert bundle is None
        assert expected in problems[0]


def test_zip_bombs_are_refused_before_unpacking(db):
    import zipfile

    from welfare.hsds_tabular import load_any

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", b"0" * 20_000_000)
    bundle, problems = load_any(buffer.getvalue(), max_bytes=1_000_000)
    assert bundle is None
    assert "unpacks to more than" in problems[0]


def test_reimporting_leaves_last_changed_times_alone(directory):
    before = dict(Service.objects.values_list("pk", "updated_at"))
    report = import_bundle(export_bundle())
    assert report.updated == {}
    assert dict(Service.objects.values_list("pk", "updated_at")) == before


def test_api_hides_inactive_services_and_named_contacts(directory, client):
    from welfare.models import Contact

    service = Service.objects.filter(at_locations__location__is_confidential=False).first()
    Contact.objects.create(
        organisation=service.organisation, service=service, name="Mia Contactpersoon", email="mia@example.org"
    )
    document = client.get(reverse("welfare:api_service", kwargs={"service_id": service.pk})).json()
    assert "Mia Contactpersoon" not in json.dumps(document)
    Service.objects.filter(pk=service.pk).update(status="inactive")
    assert client.get(reverse("welfare:api_service", kwargs={"service_id": service.pk})).status_code == 404
    listing = client.get(reverse("welfare:api_services"), {"per_page": 200}).content.decode()
    assert str(service.pk) not in listing


def test_api_refuses_nul_bytes_in_search(client, db):
    assert client.get(reverse("welfare:api_services"), {"search": "a\x00b"}).status_code == 400
