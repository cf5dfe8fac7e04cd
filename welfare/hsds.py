"""Open Referral HSDS 3.0 documents for the directory, in both directions.

`export_bundle()` builds what `export_hsds` writes and the API serves; `import_bundle()` reads it
back. Rows that Brugwijzer does not store on their own (addresses, language links, service
areas, cost options, attributes, phones) get ids derived from their content, so exporting the
same data twice gives the same ids, and an export → import → export round trip is exact.

Confidential locations (shelters) never leave Brugwijzer: they and the services offered there
are left out of every document. School relations are not part of the directory at all.
Brugwijzer's own fields are described in docs/hsds-profile.md.
"""

import uuid

from django.db.models import Prefetch
from django.utils import translation

from places.models import Municipality
from welfare.models import (
    EducationRemit,
    Location,
    NeedCategory,
    NeedSubcategory,
    OrganisationType,
    OutreachForm,
    Schedule,
    Service,
    ServiceAtLocation,
    TargetGroup,
    WaitingList,
    WelfareOrganisation,
)

HSDS_VERSION = "3.0"
PROFILE = "https://brugwijzer.example/hsds/profile/flanders"
# Shared with the migration that seeds the terms (welfare/migrations/0003_directory_terms.py).
NAMESPACE = uuid.UUID("6f1d3a52-6a4e-4d55-9f0e-2b7c1f0b9a10")


def compact(value):
    """HSDS leaves absent fields out rather than sending null."""
    if isinstance(value, dict):
        return {key: compact(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def derived_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


# taxonomy name → (model, description); the organisation types and municipalities are taxonomies
# of their own so an organisation's type and the municipalities it serves travel with it.
TAXONOMIES = {
    "brugwijzer-need": "Needs that make schools look for welfare partners, with sub-themes as child terms.",
    "brugwijzer-target-group": "Who a service is for.",
    "brugwijzer-outreach": "How a service comes to the school.",
    "brugwijzer-organisation-type": "Kinds of welfare organisation, by cluster.",
    "brugwijzer-municipality": "Belgian municipalities by NIS code: where an organisation works.",
    "brugwijzer-waiting-list": "How long families wait before a service can start.",
    "brugwijzer-education-remit": "Whether an organisation has an explicit task around education.",
}


def taxonomy_id(name):
    return derived_id("taxonomy", name)


def _term(term_id, taxonomy, code, name_nl, name_en, parent_id=None):
    return {
        "id": str(term_id),
        "code": code,
        "name": name_nl,
        "description": name_en,
        "parent_id": str(parent_id) if parent_id else None,
        "taxonomy": taxonomy,
        "taxonomy_id": taxonomy_id(taxonomy),
        "language": "nl",
    }


def organisation_type_term(organisation_type):
    return _term(
        derived_id("organisation_type", organisation_type.slug),
        "brugwijzer-organisation-type",
        organisation_type.slug,
        organisation_type.name_nl,
        organisation_type.name_en,
    )


def municipality_term(municipality):
    return _term(
        derived_id("municipality", municipality.nis_code),
        "brugwijzer-municipality",
        municipality.nis_code,
        municipality.name,
        municipality.name,
    )


def choice_term(taxonomy, choice):
    return _term(derived_id(taxonomy, choice.value), taxonomy, choice.value, str(choice.label), str(choice.label))


def taxonomies():
    return [
        {"id": taxonomy_id(name), "name": name, "description": description, "version": "1"}
        for name, description in TAXONOMIES.items()
    ]


def taxonomy_terms():
    with translation.override("en"):
        terms = [_term(n.id, "brugwijzer-need", n.code, n.name_nl, n.name_en) for n in NeedCategory.objects.all()]
        terms += [
            _term(s.id, "brugwijzer-need", s.code, s.name_nl, s.name_en, parent_id=s.category_id)
            for s in NeedSubcategory.objects.all()
        ]
        terms += [
            _term(t.id, "brugwijzer-target-group", t.code, t.name_nl, t.name_en) for t in TargetGroup.objects.all()
        ]
        terms += [_term(t.id, "brugwijzer-outreach", t.code, t.name_nl, t.name_en) for t in OutreachForm.objects.all()]
        terms += [organisation_type_term(t) for t in OrganisationType.objects.all()]
        terms += [municipality_term(m) for m in Municipality.objects.all()]
        terms += [choice_term("brugwijzer-waiting-list", c) for c in WaitingList]
        terms += [choice_term("brugwijzer-education-remit", c) for c in EducationRemit]
    return terms


def _attribute(link_id, link_type, term, value=None):
    return {
        "id": derived_id("attribute", link_id, term["id"]),
        "link_id": str(link_id),
        "link_type": link_type,
        "link_entity": link_type,
        "taxonomy_term_id": term["id"],
        "value": value,
        "taxonomy_term": {key: term[key] for key in ("id", "code", "name", "description", "taxonomy", "taxonomy_id")},
    }


def _date(value):
    return value.isoformat() if value else None


def _phone(owner_key, owner_id, number, **links):
    return {"id": derived_id("phone", owner_id, number), "number": number, **{owner_key: str(owner_id)}, **links}


def location_document(location):
    document = {
        "id": str(location.id),
        "location_type": "physical",
        "organization_id": str(location.organisation_id),
        "name": location.name,
        "addresses": [],
        "accessibility": [],
    }
    if location.street_address:
        document["addresses"].append(
            {
                "id": derived_id("address", location.id),
                "location_id": str(location.id),
                "address_1": location.street_address,
                "city": location.municipality.name,
                "state_province": location.municipality.get_province_display(),
                "postal_code": location.postal_code,
                "country": "BE",
                "address_type": "physical",
            }
        )
    if location.accessibility:
        document["accessibility"].append(
            {
                "id": derived_id("accessibility", location.id),
                "location_id": str(location.id),
                "description": location.accessibility,
            }
        )
    document["attributes"] = [_attribute(location.id, "location", municipality_term(location.municipality))]
    return document


def schedule_document(schedule):
    return {
        "id": str(schedule.id),
        "service_at_location_id": str(schedule.service_at_location_id),
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": schedule.weekday,
        "opens_at": schedule.opens_at.strftime("%H:%M"),
        "closes_at": schedule.closes_at.strftime("%H:%M"),
        "description": schedule.note or None,
    }


def service_document(service, *, nest_organisation=False):
    terms = [
        *(
            _attribute(service.id, "service", _term(n.id, "brugwijzer-need", n.code, n.name_nl, n.name_en))
            for n in service.needs.all()
        ),
        *(
            _attribute(
                service.id,
                "service",
                _term(s.id, "brugwijzer-need", s.code, s.name_nl, s.name_en, parent_id=s.category_id),
            )
            for s in service.subcategories.all()
        ),
        *(
            _attribute(service.id, "service", _term(t.id, "brugwijzer-target-group", t.code, t.name_nl, t.name_en))
            for t in service.target_groups.all()
        ),
        *(
            _attribute(service.id, "service", _term(t.id, "brugwijzer-outreach", t.code, t.name_nl, t.name_en))
            for t in service.outreach_forms.all()
        ),
        _attribute(
            service.id,
            "service",
            choice_term("brugwijzer-waiting-list", WaitingList(service.waiting_list)),
            _date(service.waiting_list_updated_on),
        ),
    ]
    document = {
        "id": str(service.id),
        "organization_id": str(service.organisation_id),
        "name": service.name,
        "description": service.description or None,
        "url": service.url or None,
        "email": service.email or None,
        "status": service.status,
        "application_process": service.application_process or None,
        "fees_description": service.fees_description or None,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": _date(service.checked_on),
        "last_modified": service.updated_at.isoformat(),
        "languages": [
            {
                "id": derived_id("language", service.id, language.code),
                "service_id": str(service.id),
                "name": language.name_en,
                "code": language.code,
            }
            for language in service.languages.all()
        ],
        "service_areas": [
            {
                "id": derived_id("service_area", service.id, m.nis_code),
                "service_id": str(service.id),
                "name": m.name,
                "extent_type": "municipality",
                "uri": f"urn:nis:{m.nis_code}",
            }
            for m in service.service_areas.all()
        ],
        "cost_options": (
            [
                {
                    "id": derived_id("cost", service.id),
                    "service_id": str(service.id),
                    "option": "free",
                    "amount": 0,
                    "currency": "EUR",
                }
            ]
            if service.is_free
            else []
        ),
        "service_at_locations": [
            {
                "id": str(at.id),
                "service_id": str(service.id),
                "location_id": str(at.location_id),
                "description": at.description or None,
                "schedules": [schedule_document(s) for s in at.schedules.all()],
                **({"location": location_document(at.location)} if nest_organisation else {}),
            }
            for at in service.at_locations.all()
            if not at.location.is_confidential
        ],
        "contacts": [contact_document(c) for c in service.contacts.all()],
        "attributes": terms,
    }
    if nest_organisation:
        document["organization"] = organization_document(service.organisation, with_services=False)
    return document


def contact_document(contact):
    document = {
        "id": str(contact.id),
        "organization_id": str(contact.organisation_id),
        "service_id": str(contact.service_id) if contact.service_id else None,
        "name": contact.name,
        "title": contact.title or None,
        "email": contact.email or None,
        "phones": [_phone("contact_id", contact.id, contact.phone)] if contact.phone else [],
    }
    return document


def organization_document(organisation, *, with_services=True):
    attributes = [
        _attribute(organisation.id, "organization", organisation_type_term(organisation.organisation_type)),
        _attribute(
            organisation.id,
            "organization",
            choice_term("brugwijzer-education-remit", EducationRemit(organisation.education_remit)),
        ),
        *(_attribute(organisation.id, "organization", municipality_term(m)) for m in organisation.municipalities.all()),
    ]
    document = {
        "id": str(organisation.id),
        "name": organisation.name,
        "alternate_name": organisation.alternate_name or None,
        "description": organisation.description,
        "email": organisation.email or None,
        "website": organisation.website or None,
        "tax_id": organisation.kbo_number or None,
        "phones": [_phone("organization_id", organisation.id, organisation.phone)] if organisation.phone else [],
        "contacts": [contact_document(c) for c in organisation.contacts.all() if c.service_id is None],
        "locations": [location_document(loc) for loc in organisation.locations.all() if not loc.is_confidential],
        "organization_identifiers": (
            [
                {
                    "id": derived_id("kbo", organisation.id),
                    "organization_id": str(organisation.id),
                    "identifier_type": "KBO",
                    "identifier": organisation.kbo_number,
                }
            ]
            if organisation.kbo_number
            else []
        ),
        "attributes": attributes,
        "metadata": [
            {
                "id": derived_id("checked", organisation.id, organisation.checked_on),
                "resource_id": str(organisation.id),
                "resource_type": "organization",
                "last_action_date": organisation.checked_on.isoformat(),
                "last_action_type": "verify",
                "field_name": "checked_on",
                "previous_value": "",
                "replacement_value": organisation.checked_on.isoformat(),
                "updated_by": "brugwijzer",
            }
        ],
    }
    if with_services:
        document["services"] = [service_document(s) for s in organisation.services.all() if _exported(s)]
    return document


def _exported(service):
    """A service only offered at confidential locations would point at where the shelter is."""
    places = list(service.at_locations.all())
    return not places or any(not at.location.is_confidential for at in places)


def services_queryset():
    return (
        Service.objects.select_related("organisation__organisation_type")
        .prefetch_related(
            "needs",
            "subcategories",
            "target_groups",
            "outreach_forms",
            "languages",
            "service_areas",
            "contacts",
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__municipality")
                .prefetch_related(
                    Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at", "id"))
                )
                .order_by("id"),
            ),
        )
        .order_by("name", "id")
    )


def organisations_queryset():
    return (
        WelfareOrganisation.objects.select_related("organisation_type")
        .prefetch_related(
            "municipalities",
            "contacts",
            Prefetch("locations", queryset=Location.objects.select_related("municipality").order_by("name", "id")),
            Prefetch("services", queryset=services_queryset()),
        )
        .order_by("name", "id")
    )


def export_bundle():
    """The whole directory as one JSON-serialisable document."""
    return compact(
        {
            "hsds_version": HSDS_VERSION,
            "profile": PROFILE,
            "taxonomies": taxonomies(),
            "taxonomy_terms": taxonomy_terms(),
            "organizations": [organization_document(o) for o in organisations_queryset()],
        }
    )
