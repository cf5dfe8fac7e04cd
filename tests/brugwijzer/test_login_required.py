"""Deny by default: every URL of the project needs a login, except a short, reviewed list."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

# Pages a person must reach before logging in, and the probes load balancers call.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:accept_invitation",
    "accounts:set_language",
    "healthz",
    "privacy",
    "readyz",
    "admin:login",
    # The HSDS API and its profile publish the directory (never schools, never families).
    "welfare:hsds_profile",
    "welfare:api_root",
    "welfare:api_openapi",
    "welfare:api_services",
    "welfare:api_service",
    "welfare:api_organizations",
    "welfare:api_organization",
    "welfare:api_service_at_locations",
    "welfare:api_service_at_location",
    "welfare:api_taxonomies",
    "welfare:api_taxonomy",
    "welfare:api_taxonomy_terms",
    "welfare:api_taxonomy_term",
    # Parents answer the survey with a printed code, without an account; they see only the form.
    "reflection:parent_entry",
    "reflection:parent_language",
    "reflection:parent_answer",
    # Calendar apps cannot log in: a school's feed is read with its unguessable token, which the
    # director renews; it holds organisations, kinds of presence and places, never a person.
    "schools:calendar_feed",
}

SAMPLE = {
    "UUIDConverter": str(uuid.UUID(int=0)),
    "IntConverter": "1",
    "TenantKindConverter": "school",
    "ExportFormatConverter": "csv",
}


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def sample_url(name, pattern):
    if isinstance(pattern.pattern, RegexPattern):
        return None  # only the admin's app index uses a regex; the admin checks its own logins
    kwargs = {key: SAMPLE.get(type(conv).__name__, "sample") for key, conv in pattern.pattern.converters.items()}
    return reverse(name, kwargs=kwargs)


CHECKED = sorted(
    (name, url) for name, pattern in named_patterns() if (url := sample_url(name, pattern)) and name not in PUBLIC
)


def test_the_inventory_finds_the_project_pages():
    names = {name for name, _ in CHECKED}
    assert {"home", "schools:home", "welfare:home", "network:home", "accounts:team", "accounts:invite"} <= names


@pytest.mark.parametrize(("name", "url"), CHECKED, ids=[name for name, _ in CHECKED])
def test_anonymous_visitors_are_sent_to_a_login_page(client, db, name, url):
    response = client.get(url)
    assert response.status_code == 302, f"{name} answered {response.status_code} without a login"
    logins = (reverse("accounts:login"), reverse("admin:login"))
    assert response["Location"].startswith(logins), f"{name} sent an anonymous visitor to {response['Location']}"
