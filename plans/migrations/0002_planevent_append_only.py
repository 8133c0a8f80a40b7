"""The plan event log is append-only: PostgreSQL refuses UPDATE and DELETE on its table."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION plans_planevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'plan events are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS plans_planevent_append_only ON plans_planevent;
CREATE TRIGGER plans_planevent_append_only BEFORE UPDATE OR DELETE ON plans_planevent
  FOR EACH ROW EXECUTE FUNCTION plans_planevent_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS plans_planevent_append_only ON plans_planevent;
DROP FUNCTION IF EXISTS plans_planevent_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(forbid, allow)]
