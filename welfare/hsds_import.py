"""Read an HSDS 3.0 bundle (as written by `welfare.hsds.export_bundle`) into the directory.

All or nothing: the whole file is checked first (schema, then every reference), and only a file
without problems is written, inside one transaction. Rows are matched by their HSDS id, so
importing the same file twice changes nothing the second time. The import adds and updates; rows
missing from the file are left in place. A dry run reports what would
happen and writes nothing.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from jsonschema import Draft202012Validator

from brugwijzer.forms import validate_single_line
from places.models import Municipality
from welfare.models import (
    Contact,
    EducationRemit,
    Language,
    Location,
    NeedCategory,
    NeedSubcategory,
    OrganisationType,
    OutreachForm,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TargetGroup,
    WaitingList,
    Weekday,
    WelfareOrganisation,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, created: bool, unchanged: bool = False) -> None:
        target = self.unchanged if unchanged else self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def lines(self) -> list[str]:
        if self.errors:
            return [f"{len(self.errors)} problem(s); nothing was changed:", *(f"  - {e}" for e in self.errors)]
        verb = "would be" if self.dry_run else "were"
        return [
            f"{kind}: {self.created.get(kind, 0)} {verb} created, {self.updated.get(kind, 0)} {verb} updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        ] or ["Nothing to import."]


def decode(raw: bytes, *, max_bytes: int) -> tuple[object | None, list[str]]:
    """Bytes of an uploaded or read file → parsed JSON, or the problems found."""
    if len(raw) > max_bytes:
        return None, [f"The file is {len(raw):,} bytes; at most {max_bytes:,} are accepted."]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [f"The file is not UTF-8 text (byte {error.start} cannot be read). Save it as UTF-8."]
    try:
        return json.loads(text, parse_constant=_refuse_constant), []
    except json.JSONDecodeError as error:
        return None, [f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."]
    except ValueError as error:
        return None, [str(error)]
    except RecursionError:
        return None, ["The file nests its data too deeply to be an HSDS bundle."]


def _refuse_constant(name):
    raise ValueError(f"The file holds {name}, which is not a number HSDS allows.")


def _path(prefix, error):
    parts = [prefix, *(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)]
    return "".join(parts)


def _terms_by(attributes, taxonomy):
    terms = [a.get("taxonomy_term") or {} for a in attributes or []]
    return [term for term in terms if term.get("taxonomy") == taxonomy]


class Resolver:
    """Looks up what a bundle points at; every miss becomes a problem, not an exception."""

    def __init__(self, report: Report):
        self.report = report
        self.types = {t.slug: t for t in OrganisationType.objects.all()}
        self.municipalities = {m.nis_code: m for m in Municipality.objects.all()}
        self.needs = {str(n.id): n for n in NeedCategory.objects.all()}
        self.subcategories = {str(s.id): s for s in NeedSubcategory.objects.all()}
        self.groups = {str(t.id): t for t in TargetGroup.objects.all()}
        self.outreach = {str(t.id): t for t in OutreachForm.objects.all()}
        self.languages = {language.code: language for language in Language.objects.all()}

    def problem(self, where, message):
        self.report.errors.append(f"{where}: {message}")

    def one(self, where, table, key, label):
        found = table.get(key)
        if found is None:
            self.problem(where, f"unknown {label} {key!r}")
        return found

    def municipalities_of(self, where, attributes):
        return [
            self.one(where, self.municipalities, t.get("code"), "municipality (NIS code)")
            for t in _terms_by(attributes, "brugwijzer-municipality")
        ]


def _time(value) -> time:
    return time.fromisoformat(value[:5])


def _day(resolver, where, value):
    """An ISO date from the file, or a problem (and None)."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        resolver.problem(where, f"{value!r} is not a date (YYYY-MM-DD)")
        return None


def _moment(resolver, where, value):
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        resolver.problem(where, f"{value!r} is not a date and time (ISO 8601)")
        return None
    return moment if moment.tzinfo else None


def _plan_service(where, data, resolver: Resolver, locations: set[str]):
    attributes = data.get("attributes", [])
    term_ids = [a["taxonomy_term_id"] for a in attributes if "taxonomy_term_id" in a]
    by_taxonomy = {t["id"]: t.get("taxonomy") for t in (a.get("taxonomy_term") or {} for a in attributes) if "id" in t}
    needs, subcategories, groups, outreach = [], [], [], []
    for term_id in term_ids:
        taxonomy = by_taxonomy.get(term_id)
        if taxonomy == "brugwijzer-need":
            if term_id in resolver.needs:
                needs.append(resolver.needs[term_id])
            else:
                subcategories.append(resolver.one(f"{where}.attributes", resolver.subcategories, term_id, "need term"))
        elif taxonomy == "brugwijzer-target-group":
            groups.append(resolver.one(f"{where}.attributes", resolver.groups, term_id, "target group term"))
        elif taxonomy == "brugwijzer-outreach":
            outreach.append(resolver.one(f"{where}.attributes", resolver.outreach, term_id, "outreach term"))
    waiting = _terms_by(attributes, "brugwijzer-waiting-list")
    waiting_value = next(
        (
            a.get("value")
            for a in attributes
            if (a.get("taxonomy_term") or {}).get("taxonomy") == "brugwijzer-waiting-list"
        ),
        None,
    )
    waiting_code = waiting[0].get("code") if waiting else WaitingList.UNKNOWN
    if waiting_code not in WaitingList.values:
        resolver.problem(f"{where}.attributes", f"unknown waiting-list code {waiting_code!r}")
    languages = [
        resolver.one(f"{where}.languages[{i}]", resolver.languages, lang.get("code"), "language code")
        for i, lang in enumerate(data.get("languages", []))
    ]
    areas = []
    for i, area in enumerate(data.get("service_areas", [])):
        nis = (area.get("uri") or "").removeprefix("urn:nis:")
        areas.append(
            resolver.one(f"{where}.service_areas[{i}]", resolver.municipalities, nis, "municipality (NIS code)")
        )
    places = []
    for i, at in enumerate(data.get("service_at_locations", [])):
        if at.get("location_id") not in locations:
            resolver.problem(
                f"{where}.service_at_locations[{i}].location_id",
                f"unknown location {at.get('location_id')!r} (not among the organisation's locations)",
            )
        schedules = []
        for j, schedule in enumerate(at.get("schedules", [])):
            day = schedule.get("byday", "")
            try:
                opens, closes = _time(schedule["opens_at"]), _time(schedule["closes_at"])
            except (KeyError, ValueError):
                resolver.problem(
                    f"{where}.service_at_locations[{i}].schedules[{j}]", "opens_at and closes_at must be HH:MM"
                )
                continue
            if day not in Weekday.values or closes <= opens:
                resolver.problem(
                    f"{where}.service_at_locations[{i}].schedules[{j}]",
                    "needs one weekday (MO…SU) in byday and closes_at after opens_at",
                )
                continue
            schedules.append(
                {
                    "id": schedule["id"],
                    "weekday": day,
                    "opens_at": opens,
                    "closes_at": closes,
                    "note": schedule.get("description", ""),
                }
            )
        places.append(
            {
                "id": at["id"],
                "location_id": at.get("location_id"),
                "description": at.get("description", ""),
                "schedules": schedules,
            }
        )
    if not data.get("name", "").strip():
        resolver.problem(f"{where}.name", "must not be empty")
    if data.get("status") not in ServiceStatus.values:
        resolver.problem(f"{where}.status", f"unknown status {data.get('status')!r}")
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and high < low:
        resolver.problem(f"{where}.maximum_age", "is below minimum_age")
    return {
        "id": data["id"],
        "fields": {
            "name": data["name"],
            "description": data.get("description", ""),
            "url": data.get("url", ""),
            "email": data.get("email", ""),
            "status": data.get("status"),
            "application_process": data.get("application_process", ""),
            "fees_description": data.get("fees_description", ""),
            "minimum_age": low,
            "maximum_age": high,
            "is_free": any(c.get("option") == "free" for c in data.get("cost_options", [])),
            "waiting_list": waiting_code,
            "waiting_list_updated_on": _day(resolver, f"{where}.attributes", waiting_value),
            "checked_on": _day(resolver, f"{where}.assured_date", data.get("assured_date")),
        },
        "last_modified": _moment(resolver, f"{where}.last_modified", data.get("last_modified")),
        "m2m": {
            "needs": needs,
            "subcategories": subcategories,
            "target_groups": groups,
            "outreach_forms": outreach,
            "languages": languages,
            "service_areas": areas,
        },
        "places": places,
        "contacts": data.get("contacts", []),
    }


def _plan(bundle, report: Report, curated=None):
    if not isinstance(bundle, dict) or not isinstance(bundle.get("organizations"), list):
        report.errors.append("The file must be a JSON object with an 'organizations' list (an HSDS bundle).")
        return []
    for index, organisation in enumerate(bundle["organizations"]):
        for error in validator("organization").iter_errors(organisation):
            report.errors.append(f"{_path(f'organizations[{index}]', error)}: {error.message}")
    if report.errors:
        return []
    resolver = Resolver(report)
    plans = []
    for index, data in enumerate(bundle["organizations"]):
        where = f"organizations[{index}]"
        attributes = data.get("attributes", [])
        if not data.get("name", "").strip():
            resolver.problem(f"{where}.name", "must not be empty")
        types = _terms_by(attributes, "brugwijzer-organisation-type")
        if len(types) != 1:
            resolver.problem(f"{where}.attributes", "needs exactly one brugwijzer-organisation-type term")
            continue
        remit = _terms_by(attributes, "brugwijzer-education-remit")
        remit_code = remit[0].get("code") if remit else EducationRemit.UNKNOWN
        if remit_code not in EducationRemit.values:
            resolver.problem(f"{where}.attributes", f"unknown education-remit code {remit_code!r}")
        checked = [m["last_action_date"] for m in data.get("metadata", []) if m.get("field_name") == "checked_on"]
        locations = []
        for i, location in enumerate(data.get("locations", [])):
            municipalities = resolver.municipalities_of(
                f"{where}.locations[{i}].attributes", location.get("attributes")
            )
            if len(municipalities) != 1:
                resolver.problem(f"{where}.locations[{i}]", "needs exactly one brugwijzer-municipality term")
                continue
            address = (location.get("addresses") or [{}])[0]
            accessibility = (location.get("accessibility") or [{}])[0]
            locations.append(
                {
                    "id": location["id"],
                    "fields": {
                        "name": location.get("name", ""),
                        "street_address": address.get("address_1", ""),
                        "postal_code": address.get("postal_code", ""),
                        "municipality": municipalities[0],
                        "accessibility": accessibility.get("description", ""),
                    },
                }
            )
        location_ids = {loc["id"] for loc in locations}
        served = [m for m in resolver.municipalities_of(f"{where}.attributes", attributes) if m]
        if curated is not None:
            existing = WelfareOrganisation.objects.filter(pk=data["id"]).prefetch_related("municipalities").first()
            now_served = list(existing.municipalities.all()) if existing else []
            if not ({m.pk for m in served} & curated) or (existing and not {m.pk for m in now_served} & curated):
                resolver.problem(where, "serves none of the municipalities you curate")
            # A curator changes only their own municipalities' claim on an organisation.
            served = [m for m in now_served if m.pk not in curated] + [m for m in served if m.pk in curated]
        plans.append(
            {
                "id": data["id"],
                "fields": {
                    "name": data["name"],
                    "alternate_name": data.get("alternate_name", ""),
                    "description": data.get("description", ""),
                    "email": data.get("email", ""),
                    "website": data.get("website", ""),
                    "kbo_number": data.get("tax_id", ""),
                    "phone": (data.get("phones") or [{}])[0].get("number", ""),
                    "education_remit": remit_code,
                    "organisation_type": resolver.one(
                        f"{where}.attributes", resolver.types, types[0].get("code"), "organisation type"
                    ),
                    "checked_on": _day(resolver, f"{where}.metadata", checked[0]) if checked else None,
                },
                "municipalities": served,
                "locations": locations,
                "contacts": data.get("contacts", []),
                "services": [
                    _plan_service(f"{where}.services[{i}]", s, resolver, location_ids)
                    for i, s in enumerate(data.get("services", []))
                ],
            }
        )
    return plans


class Invalid(Exception):
    """Rows that Django's own validation refused; the transaction is rolled back."""


def _upsert(model, report, kind, pk, fields, *, problems):
    """Create or update one row by id, validated like a form would; unchanged rows are left alone."""
    instance = model.objects.filter(pk=pk).first()
    created = instance is None
    if created:
        instance = model(pk=pk)
    changed = created
    for key, value in fields.items():
        if value is None and key not in NULLABLE:
            continue
        field = model._meta.get_field(key)
        if field.many_to_one:
            current, wanted = getattr(instance, field.attname), getattr(value, "pk", value)
        else:
            current, wanted = getattr(instance, key), value
        if str(current) != str(wanted) if field.many_to_one else current != wanted:
            setattr(instance, key, value)
            changed = True
    if not changed:
        report.count(kind, created=False, unchanged=True)
        return instance
    try:
        instance.full_clean(validate_unique=False)
        _single_lines(model, fields)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.extend(f"{kind} {pk}: {field}: {message}" for message in messages)
        return instance
    instance.save()
    instance.was_created = created
    report.count(kind, created)
    return instance


def _single_lines(model, fields):
    """Names, addresses and phone numbers stay on one line, as the directory's forms require."""
    errors = {}
    for key, value in fields.items():
        if isinstance(model._meta.get_field(key), models.CharField):
            try:
                validate_single_line(value)
            except ValidationError as error:
                errors[key] = error.messages
    if errors:
        raise ValidationError(errors)


NULLABLE = {"minimum_age", "maximum_age", "waiting_list_updated_on", "service"}


def _contacts(report, organisation, contacts, problems, service=None):
    for contact in contacts:
        phone = ((contact.get("phones") or [{}])[0] or {}).get("number", "")
        _upsert(
            Contact,
            report,
            "contacts",
            contact["id"],
            {
                "organisation": organisation,
                "service": service,
                "name": contact.get("name", ""),
                "title": contact.get("title", ""),
                "email": contact.get("email", ""),
                "phone": phone,
            },
            problems=problems,
        )


def _key(value) -> str:
    """An id as the database spells it back: a UUID written in capitals is still the same row."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def _check_ownership(plans, report):
    """Ids in the file must be new, or already belong to the organisation the file puts them in;
    confidential locations are never changed from a file, nor are the places and opening hours
    there (re-pointed at a public location, they would publish when the shelter is open)."""
    wanted = {"locations": {}, "services": {}, "service_at_locations": {}, "schedules": {}, "contacts": {}}
    seen = set()
    for plan in plans:
        owner = plan["id"]
        rows = [("locations", loc["id"], owner) for loc in plan["locations"]]
        rows += [("contacts", c["id"], owner) for c in plan["contacts"]]
        for item in plan["services"]:
            rows.append(("services", item["id"], owner))
            rows += [("contacts", c["id"], owner) for c in item["contacts"]]
            for place in item["places"]:
                rows.append(("service_at_locations", place["id"], item["id"]))
                rows += [("schedules", sched["id"], place["id"]) for sched in place["schedules"]]
            pairs = [place["location_id"] for place in item["places"]]
            if len(pairs) != len(set(pairs)):
                report.errors.append(f"services {item['id']}: offered twice at the same location")
        for kind, pk, parent in rows:
            pk = _key(pk)
            if pk in seen:
                report.errors.append(f"{kind} {pk}: the same id appears twice in the file")
            seen.add(pk)
            wanted[kind][pk] = _key(parent)
    checks = [
        ("locations", Location.objects.filter(pk__in=wanted["locations"]).values_list("pk", "organisation_id")),
        ("services", Service.objects.filter(pk__in=wanted["services"]).values_list("pk", "organisation_id")),
        ("contacts", Contact.objects.filter(pk__in=wanted["contacts"]).values_list("pk", "organisation_id")),
        (
            "service_at_locations",
            ServiceAtLocation.objects.filter(pk__in=wanted["service_at_locations"]).values_list("pk", "service_id"),
        ),
        (
            "schedules",
            Schedule.objects.filter(pk__in=wanted["schedules"]).values_list("pk", "service_at_location_id"),
        ),
    ]
    for kind, existing in checks:
        for pk, parent in existing:
            if wanted[kind][str(pk)] != str(parent):
                report.errors.append(f"{kind} {pk}: this id already belongs to another organisation or service")
    confidential = [
        ("locations", Location.objects.filter(pk__in=wanted["locations"], is_confidential=True)),
        (
            "service_at_locations",
            ServiceAtLocation.objects.filter(pk__in=wanted["service_at_locations"], location__is_confidential=True),
        ),
        (
            "schedules",
            Schedule.objects.filter(pk__in=wanted["schedules"], service_at_location__location__is_confidential=True),
        ),
    ]
    for kind, rows in confidential:
        for pk in rows.values_list("pk", flat=True):
            report.errors.append(f"{kind} {pk}: a confidential location can only be changed in Brugwijzer itself")


def import_bundle(bundle, *, dry_run=False, curated: set | None = None) -> Report:
    """`curated`: ids of the municipalities the importing curator may change; None = everything."""
    report = Report(dry_run=dry_run)
    plans = _plan(bundle, report, curated)
    if not report.errors:
        _check_ownership(plans, report)
    if report.errors:
        return report
    problems: list[str] = []
    try:
        with transaction.atomic():
            _write(plans, report, problems)
            if problems:
                raise Invalid
            if dry_run:
                transaction.set_rollback(True)
    except Invalid:
        report.errors.extend(problems)
    except (DatabaseError, ValueError, TypeError, KeyError) as error:
        report.errors.append(f"The file could not be stored: {error}")
    if report.errors:
        report.created, report.updated, report.unchanged = {}, {}, {}
    return report


def _write(plans, report, problems):
    for plan in plans:
        organisation = _upsert(
            WelfareOrganisation, report, "organizations", plan["id"], plan["fields"], problems=problems
        )
        if problems:
            return
        organisation.municipalities.set(plan["municipalities"])
        for location in plan["locations"]:
            _upsert(
                Location,
                report,
                "locations",
                location["id"],
                {**location["fields"], "organisation": organisation},
                problems=problems,
            )
        _contacts(report, organisation, plan["contacts"], problems)
        for item in plan["services"]:
            service = _upsert(
                Service,
                report,
                "services",
                item["id"],
                {**item["fields"], "organisation": organisation},
                problems=problems,
            )
            if problems:
                continue
            if getattr(service, "was_created", False) and item["last_modified"]:
                # A new copy keeps the time of its last real change (the source's), not of the import.
                Service.objects.filter(pk=service.pk).update(updated_at=item["last_modified"])
            for name, values in item["m2m"].items():
                getattr(service, name).set(values)
            for place in item["places"]:
                at = _upsert(
                    ServiceAtLocation,
                    report,
                    "service_at_locations",
                    place["id"],
                    {"service": service, "location_id": place["location_id"], "description": place["description"]},
                    problems=problems,
                )
                for schedule in place["schedules"]:
                    fields = {key: value for key, value in schedule.items() if key != "id"}
                    _upsert(
                        Schedule,
                        report,
                        "schedules",
                        schedule["id"],
                        {**fields, "service_at_location": at},
                        problems=problems,
                    )
            _contacts(report, organisation, item["contacts"], problems, service=service)
