"""The read-replica router with two database aliases.

The suite normally runs without DATABASE_REPLICA_URL, so these tests add a `replica` alias of
their own (the `replica_alias` fixture in tests/conftest.py). They are transactional, so what
`default` writes is committed and the replica's own connection sees it, as a real replica would.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from brugwijzer.db import REPLICA_DB_ALIAS, ReplicaRouter, reading_from_replica, replica_reads
from schools.models import School
from tests.brugwijzer.test_settings import _settings_in_subprocess
from tests.factories import MunicipalityFactory, SchoolFactory

BOTH = [DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS]


pytestmark = pytest.mark.usefixtures("replica_alias")


@pytest.fixture
def queries():
    """The SQL each alias ran inside the block."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        CaptureQueriesContext(connections[REPLICA_DB_ALIAS]) as on_replica,
    ):
        yield {DEFAULT_DB_ALIAS: on_default, REPLICA_DB_ALIAS: on_replica}


def _selects(captured):
    return [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith("SELECT")]


def _writes(captured):
    return [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_inside_the_scope_reads_go_to_the_replica_and_writes_to_the_primary(queries):
    school = SchoolFactory(name="Basisschool Replica")

    with replica_reads():
        found = School.objects.get(pk=school.pk)
        read_from = found._state.db
        found.name = "Basisschool Primair"
        found.save()
        School.objects.filter(pk=school.pk).update(name="Basisschool Primair bis")

    assert read_from == REPLICA_DB_ALIAS
    assert found._state.db == DEFAULT_DB_ALIAS  # saved there
    replica_reads_sql = _selects(queries[REPLICA_DB_ALIAS])
    assert any('"schools_school"' in query for query in replica_reads_sql)
    assert _writes(queries[REPLICA_DB_ALIAS]) == []
    assert any('UPDATE "schools_school"' in query for query in _writes(queries[DEFAULT_DB_ALIAS]))
    assert School.objects.using(DEFAULT_DB_ALIAS).get(pk=school.pk).name == "Basisschool Primair bis"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_outside_the_scope_everything_goes_to_the_primary(queries):
    school = SchoolFactory()
    with replica_reads():
        pass

    assert School.objects.get(pk=school.pk)._state.db == DEFAULT_DB_ALIAS
    assert list(School.objects.all())
    assert not reading_from_replica()
    assert queries[REPLICA_DB_ALIAS].captured_queries == []
    assert _selects(queries[DEFAULT_DB_ALIAS])


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_decorator_scopes_a_view_function_and_ends_with_it(queries):
    school = SchoolFactory()

    @replica_reads
    def page(pk):
        """A view."""
        return School.objects.get(pk=pk)

    assert page(school.pk)._state.db == REPLICA_DB_ALIAS
    assert page.__doc__ == "A view."
    assert School.objects.get(pk=school.pk)._state.db == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_decorator_scopes_an_async_view():
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    school = SchoolFactory()

    @replica_reads
    async def page(pk):
        return reading_from_replica()

    # In a thread of its own: when the browser tests ran first in this worker, Playwright keeps an
    # event loop running in this thread and asyncio.run() would refuse.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, page(school.pk)).result() is True
    assert not reading_from_replica()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_inside_a_transaction_on_the_primary_stay_there_to_read_their_own_writes(queries):
    municipality = MunicipalityFactory()
    with replica_reads(), transaction.atomic():
        school = SchoolFactory(municipality=municipality)
        assert School.objects.get(pk=school.pk)._state.db == DEFAULT_DB_ALIAS

    assert queries[REPLICA_DB_ALIAS].captured_queries == []


def test_objects_from_the_primary_and_the_replica_may_point_at_each_other():
    primary, replica, elsewhere = School(), School(), School()
    primary._state.db, replica._state.db, elsewhere._state.db = DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS, "other"

    router = ReplicaRouter()
    assert router.allow_relation(primary, replica) is True
    assert router.allow_relation(primary, elsewhere) is None
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "schools") is True
    assert router.allow_migrate(REPLICA_DB_ALIAS, "schools") is False


def test_without_a_replica_configured_the_scope_reads_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA_DB_ALIAS)
    with replica_reads():
        assert not reading_from_replica()
        assert ReplicaRouter().db_for_read(School) == DEFAULT_DB_ALIAS


def test_database_replica_url_adds_a_replica_alias_that_mirrors_the_test_database():
    show = "r['ENGINE'], r['HOST'], r['NAME'], r['TEST']['MIRROR']".replace("r[", "settings.DATABASES['replica'][")
    result = _settings_in_subprocess(
        show,
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://app@primary.example:5432/brugwijzer",
        DATABASE_REPLICA_URL="postgres://app@replica.example:5432/brugwijzer",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "replica.example", "brugwijzer", "default"]


def test_without_database_replica_url_there_is_only_the_default_database():
    result = _settings_in_subprocess("sorted(settings.DATABASES)", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default']"
