"""A bulk UPDATE that stays linear in the number of rows.

Django's `bulk_update` writes one `CASE WHEN pk=... ` per field and row, which PostgreSQL evaluates
per row: a batch of n rows costs n² comparisons (100,000 values took minutes). On PostgreSQL this
joins the table to a VALUES list instead; other databases keep `bulk_update` in small batches.
"""

from django.db import connection


def bulk_update_rows(objs: list, fields: list[str], batch_size: int = 2000) -> None:
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=100)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    casts = [f"%s::{pk.db_type(connection)}"] + [f"%s::{f.db_type(connection)}" for f in columns]
    row_sql = "(" + ", ".join(casts) + ")"
    names = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *columns])
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = v.{connection.ops.quote_name(f.column)}"
                            for f in columns)
    table, pk_column = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start:start + batch_size]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                params += [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
            sql = (f"UPDATE {table} AS t SET {assignments} FROM (VALUES {', '.join([row_sql] * len(batch))}) "  # noqa: S608 - identifiers from model meta, values as parameters
                   f"AS v({names}) WHERE t.{pk_column} = v.{pk_column}")
            cursor.execute(sql, params)
