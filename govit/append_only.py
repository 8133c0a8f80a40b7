"""A migration operation that makes a table append-only on PostgreSQL (UPDATE and DELETE refused).

Other databases (the embedded SQLite default) get no trigger; the admin and services never
update or delete these rows anyway.
"""

from django.db import migrations


def append_only(table: str, message: str) -> migrations.RunPython:
    name = f"{table}_append_only"
    forbid_sql = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    allow_sql = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"

    def run(sql):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forbid_sql), run(allow_sql))
