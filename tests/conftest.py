"""The shared cast: two schools in one municipality, one school elsewhere, a welfare
organisation and a local government, and one person for every role we test against."""

import pytest
from django.test import Client

from accounts.roles import Role
from tests.factories import MunicipalityFactory, OrganisationFactory, SchoolFactory, member


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Brugwaarde-test")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Elders")


@pytest.fixture
def school(municipality):
    return SchoolFactory(name="Basisschool Het Anker", municipality=municipality)


@pytest.fixture
def other_school(other_municipality):
    return SchoolFactory(name="Basisschool De Overkant", municipality=other_municipality)


@pytest.fixture
def organisation(municipality):
    return OrganisationFactory(name="CAW Testregio", municipalities=[municipality])


@pytest.fixture
def other_organisation(other_municipality):
    return OrganisationFactory(name="OCMW Elders", municipalities=[other_municipality])


@pytest.fixture
def director(school):
    return member(Role.DIRECTOR, school, full_name="Dina Directeur")


@pytest.fixture
def coordinator(school):
    return member(Role.CARE_COORDINATOR, school, full_name="Cas Coördinator")


@pytest.fixture
def teacher(school):
    return member(Role.TEACHER, school, full_name="Tine Leerkracht")


@pytest.fixture
def welfare_worker(organisation):
    return member(Role.WELFARE_WORKER, organisation, full_name="Wout Welzijn")


@pytest.fixture
def intake_coordinator(organisation):
    return member(Role.WELFARE_INTAKE, organisation, full_name="Ilse Onthaal")


@pytest.fixture
def local_official(municipality):
    return member(Role.LOCAL_OFFICIAL, municipality, full_name="Lode Gemeente")


@pytest.fixture
def stranger(other_school):
    """A director, but of a school in another municipality."""
    return member(Role.DIRECTOR, other_school, full_name="Stijn Vreemd")


@pytest.fixture
def need(db):
    from welfare.models import NeedCategory

    return NeedCategory.objects.get(code="material_admin")


def _load_lookup_rows():
    """The rows the data migrations put in (organisation types, need categories, the question
    bank), written again the way the migrations write them (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("welfare.migrations.0002_organisation_types").add_types(apps, None)
    import_module("welfare.migrations.0003_directory_terms").add_terms(apps, None)
    import_module("reflection.migrations.0002_question_bank").load(apps, None)
    import_module("reflection.migrations.0004_parent_questionnaire").load(apps, None)


@pytest.fixture
def lookups(transactional_db):
    """For transactional tests: their flush also empties the tables that data migrations fill
    (organisation types, need categories, the question bank). Put those rows back the way the
    migrations do."""
    _load_lookup_rows()


@pytest.fixture(autouse=True)
def _lookup_rows_after_a_flush(request):
    """A transactional test (the browser journeys) ends with a flush that empties the lookup tables
    too. pytest-django runs such tests last, but under xdist a worker can still be handed an
    ordinary database test after one: before such a test, put the rows back (committed) if a flush
    took them. Tests without the database are left alone (a connection opened for them would
    outlive the session and keep PostgreSQL from dropping the test database)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = "db" in request.fixturenames or marker is not None
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not uses_db or transactional:
        return
    request.getfixturevalue("django_db_setup")
    from welfare.models import OrganisationType

    with request.getfixturevalue("django_db_blocker").unblock():
        if not OrganisationType.objects.exists():
            _load_lookup_rows()


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """A `replica` database alias for the tests of one module: a second connection to the test
    database, marked as a test mirror of `default` just as the settings mark the replica that
    DATABASE_REPLICA_URL configures (with that variable set, the settings' own alias). Use it with
    `@pytest.mark.django_db(transaction=True, databases=["default", "replica"])`: only committed
    rows are visible over the second connection, as on a real replica. (Module-scoped so it exists
    before pytest-django checks the test's databases.)"""
    from django.db import DEFAULT_DB_ALIAS, connections

    from brugwijzer.db import REPLICA_DB_ALIAS

    if REPLICA_DB_ALIAS in connections.settings:  # DATABASE_REPLICA_URL is set: the settings' mirror
        yield REPLICA_DB_ALIAS
        return
    default = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA_DB_ALIAS] = {**default, "TEST": {**default["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    yield REPLICA_DB_ALIAS
    if hasattr(connections._connections, REPLICA_DB_ALIAS):
        connections[REPLICA_DB_ALIAS].close()
        delattr(connections._connections, REPLICA_DB_ALIAS)
    del connections.settings[REPLICA_DB_ALIAS]


# --- Two-factor login in tests -------------------------------------------------------------
# Most tests are about what a signed-in person may see, not about how they logged in. So
# `client.force_login(user)` here logs in AND verifies the session with a real, confirmed TOTP
# device of that user (created when they have none), through django-otp's own `otp_login`, as
# the code step does; people who neither need a second factor nor have an app are only logged in.
# Tests about the code step itself use `unverified_login`, the plain Django force_login.
_plain_force_login = Client.force_login


def _verified_force_login(self, user, backend=None):
    from django.http import HttpRequest
    from django_otp import login as otp_login

    from accounts import mfa
    from tests.factories import confirmed_authenticator

    _plain_force_login(self, user, backend)
    device = mfa.authenticator_for(user)
    if device is None and not user.needs_second_factor:
        return
    request = HttpRequest()
    request.session = self.session
    request.user = user
    otp_login(request, device or confirmed_authenticator(user))
    request.session.save()


@pytest.fixture(autouse=True)
def _force_login_verifies_the_second_factor(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _verified_force_login)


@pytest.fixture
def unverified_login():
    """Log a user in with their password only: the code step is still to come."""

    def login(client, user):
        _plain_force_login(client, user)

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty default cache: counts kept there (the throttles of
    password-reset mails and parent-survey codes) would otherwise carry over from one test to the
    next in the same process, and every test client comes from the same address."""
    from django.core.cache import cache

    cache.clear()
