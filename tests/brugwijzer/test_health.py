from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_all_migrations_are_applied(client, db):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_not_ready_with_unapplied_migrations(client, db, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("welfare.0003", False)])
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["unapplied_migrations"] == 1


def test_readyz_is_not_ready_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(self, targets):
        raise OperationalError("connection refused")

    monkeypatch.setattr(MigrationExecutor, "migration_plan", unreachable)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
