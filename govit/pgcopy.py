"""Bulk inserts with PostgreSQL's COPY: an order of magnitude faster than INSERT for large batches."""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """COPY the rows (tuples in `columns` order; JSON columns as text) into `table`. PostgreSQL only."""
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
