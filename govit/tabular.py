"""Reading tabular files (CSV now; XLSX by the values importer) into header-keyed rows.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

import csv
import io
from collections.abc import Iterable

from govit.errors import InputError, InputRejected
from govit.i18n import _

MAX_CSV_BYTES = 50 * 1024 * 1024


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise InputRejected([InputError(_("The file is empty."))])
    if len(data) > MAX_CSV_BYTES:
        raise InputRejected([InputError(_("The file is larger than 50 MB."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejected(
            [InputError(_("The file is not UTF-8 text (byte %(pos)s).") % {"pos": exc.start})]
        ) from exc
    if not text.strip():
        raise InputRejected([InputError(_("The file is empty."))])
    return text


def read_csv(data: bytes, required: Iterable[str], optional: Iterable[str] = ()) -> list[tuple[int, dict]]:
    """Rows as (row number, {column: text}); rejects missing or unknown columns and a header-only file."""
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise InputRejected([InputError(_("The file has no header row."))]) from exc
    return rows_from(header, reader, required, optional)


def rows_from(header, rows, required, optional) -> list[tuple[int, dict]]:
    columns = [str(h or "").strip().lower() for h in header]
    required, allowed = list(required), set(required) | set(optional)
    errors = [
        InputError(_("Required column “%(col)s” is missing.") % {"col": c}, 1, c) for c in required if c not in columns
    ]
    errors += [
        InputError(_("Unknown column “%(col)s”.") % {"col": c}, 1, c) for c in columns if c and c not in allowed
    ]
    dupes = {c for c in columns if c and columns.count(c) > 1}
    errors += [InputError(_("Column “%(col)s” appears twice.") % {"col": c}, 1, c) for c in sorted(dupes)]
    if errors:
        raise InputRejected(errors)
    out = []
    for number, values in enumerate(rows, start=2):
        cells = ["" if v is None else str(v) for v in values]
        if not any(c.strip() for c in cells):
            continue  # blank lines carry nothing
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise InputRejected([InputError(_("This row has more cells than the header."), number)])
        out.append((number, {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}))
    if not out:
        raise InputRejected([InputError(_("The file has a header but no data rows."))])
    return out
