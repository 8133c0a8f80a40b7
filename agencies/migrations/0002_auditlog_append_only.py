"""The audit log is append-only: PostgreSQL refuses UPDATE and DELETE on its table."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION govit_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS govit_audit_append_only ON auditlog_logentry;
CREATE TRIGGER govit_audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION govit_audit_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS govit_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS govit_audit_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forbid, allow)]
