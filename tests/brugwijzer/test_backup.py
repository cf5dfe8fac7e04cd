"""The restore drill, automated: scripts/backup dumps a real database full of demo data,
scripts/restore puts it into a fresh database, and every table holds the same rows in both.

It works on committed data in databases of its own (not the test database, whose test
transactions a dump would never see), created and dropped here; PostgreSQL only."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = settings.DATABASES["default"]

postgresql_only = pytest.mark.skipif(
    DEFAULT["ENGINE"] != "django.db.backends.postgresql",
    reason="backup and restore use pg_dump and pg_restore: run with DATABASE_URL=postgres://…",
)


def _url(name):
    user = DEFAULT["USER"] or ""
    password = f":{DEFAULT['PASSWORD']}" if DEFAULT["PASSWORD"] else ""
    at = "@" if user else ""
    return f"postgres://{user}{password}{at}{DEFAULT['HOST'] or '127.0.0.1'}:{DEFAULT['PORT'] or 5432}/{name}"


def _connect(name):
    connection = psycopg2.connect(_url(name))
    connection.autocommit = True
    return connection


def _admin(statement, name):
    """CREATE or DROP DATABASE, which cannot run inside a transaction."""
    admin = _connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    finally:
        admin.close()


def _run(*command, database, **env):
    environment = {
        **os.environ,
        "DATABASE_URL": _url(database),
        "DJANGO_SETTINGS_MODULE": "brugwijzer.settings",
        "BRUGWIJZER_ENV_FILE": "/nonexistent",
        **env,
    }
    environment.pop("DATABASE_REPLICA_URL", None)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)


def _fingerprint(name):
    """Per table in the public schema: the number of rows and an md5 of all of them in primary-key
    order (every row's text form, so any changed value, NULL or byte changes the sum)."""
    result = {}
    connection = _connect(name)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname,
                   array_remove(array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum)), NULL)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
            WHERE c.relkind = 'r'
            GROUP BY c.relname
            ORDER BY c.relname
            """
        )
        tables = cursor.fetchall()
        for table, key in tables:
            order = sql.SQL(", ").join(sql.Identifier(column) for column in key) if key else sql.SQL("t::text")
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {order})), '') FROM {table} t"
                ).format(order=order, table=sql.Identifier(table))
            )
            result[table] = cursor.fetchone()
        # Sequences too: a restored database must not hand out ids that are already taken.
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        result["sequences"] = dict(cursor.fetchall())
    connection.close()
    return result


@pytest.fixture
def databases():
    suffix = uuid.uuid4().hex[:10]
    names = {"source": f"bw_backup_source_{suffix}", "restored": f"bw_backup_restored_{suffix}"}
    _admin("CREATE DATABASE {}", names["source"])
    yield names
    for name in names.values():
        _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@postgresql_only
def test_a_dump_restores_into_a_fresh_database_with_every_row_the_same(databases, tmp_path):
    source, restored = databases["source"], databases["restored"]
    for command in (("migrate", "--noinput", "--verbosity=0"), ("seed_demo",)):
        done = _run(sys.executable, "manage.py", *command, database=source)
        assert done.returncode == 0, done.stderr

    backup = _run("scripts/backup", str(tmp_path), database=source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path
    assert dump.name.startswith("brugwijzer-")
    assert dump.suffix == ".dump"
    assert dump.stat().st_mode & 0o077 == 0, "a dump must be readable by its owner only"

    restore = _run("scripts/restore", str(dump), restored, database=source)
    assert restore.returncode == 0, restore.stderr

    before, after = _fingerprint(source), _fingerprint(restored)
    assert after == before
    filled = [table for table, value in before.items() if table != "sequences" and value[0]]
    assert len(filled) > 30, f"the demo data should fill most tables, not only {filled}"
    assert before["referrals_family"][0] > 0

    # A second restore into the now full database is refused, unless forced.
    again = _run("scripts/restore", str(dump), restored, database=source)
    assert again.returncode != 0
    assert "--force" in again.stderr
    forced = _run("scripts/restore", "--force", str(dump), restored, database=source)
    assert forced.returncode == 0, forced.stderr
    assert _fingerprint(restored) == before


@postgresql_only
def test_backup_keeps_only_the_newest_dumps(databases, tmp_path):
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (tmp_path / f"brugwijzer-{stamp}.dump").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not a dump")

    backup = _run("scripts/backup", str(tmp_path), database=databases["source"], BRUGWIJZER_BACKUP_KEEP="2")

    assert backup.returncode == 0, backup.stderr
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == ["brugwijzer-20250103T000000Z.dump", Path(backup.stdout.strip()).name, "notes.txt"]


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    done = subprocess.run(
        ["scripts/backup", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "PostgreSQL" in done.stderr
    assert list(tmp_path.iterdir()) == []
