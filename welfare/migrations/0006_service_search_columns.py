import django.contrib.postgres.search
from django.db import migrations, models


# On PostgreSQL the database keeps the two search columns itself, whichever way a row is written
# (forms, the admin, the HSDS import, bulk inserts of seed_scale): a trigger on the service, and
# one on the organisation that refreshes its services when its name changes.
INSTALL = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION welfare_service_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    organisation_name text;
BEGIN
    SELECT name INTO organisation_name FROM welfare_welfareorganisation WHERE id = NEW.organisation_id;
    NEW.search_document :=
        setweight(to_tsvector('dutch', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('dutch', coalesce(organisation_name, '')), 'A')
        || setweight(to_tsvector('dutch', coalesce(NEW.description, '')), 'B')
        || setweight(to_tsvector('dutch', coalesce(NEW.application_process, '')), 'C');
    NEW.search_text := lower(coalesce(NEW.name, '') || E'\n' || coalesce(organisation_name, ''));
    RETURN NEW;
END
$$;

CREATE TRIGGER welfare_service_search
    BEFORE INSERT OR UPDATE OF name, description, application_process, organisation_id ON welfare_service
    FOR EACH ROW EXECUTE FUNCTION welfare_service_search_refresh();

CREATE FUNCTION welfare_organisation_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        UPDATE welfare_service SET name = name WHERE organisation_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER welfare_organisation_search
    AFTER UPDATE OF name ON welfare_welfareorganisation
    FOR EACH ROW EXECUTE FUNCTION welfare_organisation_search_refresh();

UPDATE welfare_service SET name = name;

-- The directory search: `search_document @@ websearch_to_tsquery('dutch', q)`.
CREATE INDEX welfare_service_search_document ON welfare_service USING gin (search_document);
-- The directory search's substring match on service and organisation names: `search_text LIKE` with the words anywhere.
CREATE INDEX welfare_service_search_text ON welfare_service USING gin (search_text gin_trgm_ops);
"""

UNINSTALL = """
DROP INDEX IF EXISTS welfare_service_search_text;
DROP INDEX IF EXISTS welfare_service_search_document;
DROP TRIGGER IF EXISTS welfare_organisation_search ON welfare_welfareorganisation;
DROP FUNCTION IF EXISTS welfare_organisation_search_refresh();
DROP TRIGGER IF EXISTS welfare_service_search ON welfare_service;
DROP FUNCTION IF EXISTS welfare_service_search_refresh();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0005_feedback_level"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="service",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(install, uninstall),
    ]
