"""Reading tabular files (CSV now; XLSX by the values importer) into header-keyed rows.

Row numbers count the header as row 1, as a spreadsheet shows them. Every step is linear in the
size of the input, and capped (columns, cell length, wall-clock time), so that an upload crafted to
be expensive is refused within a fraction of a second instead of tying up a worker.
"""

import csv
import io
import time
from collections import Counter
from collections.abc import Iterable

from django.conf import settings

from govit.errors import InputError, InputRejected
from govit.i18n import _

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 100  # the widest format has 7 columns: anything near this is a mistake or an attack
MAX_CELL_CHARS = 5000  # the same cap as a cell of the JSON API (assessments/values/serializers.py)

# The csv module's own limit (131,072) fails with a bare csv.Error that says neither row nor column.
# Let it read any field a file may hold (bounded by MAX_CSV_BYTES) so MAX_CELL_CHARS answers instead.
csv.field_size_limit(MAX_CSV_BYTES)


class Budget:
    """The wall-clock time one parse may take (settings.TABLE_PARSE_SECONDS), checked as it goes."""

    def __init__(self, seconds: float | None = None):
        self.seconds = settings.TABLE_PARSE_SECONDS if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() >= self.ends:
            raise InputRejected([InputError(
                _("The file is too complex to read within %(n)s seconds; split it.") % {"n": self.seconds})])


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


def read_csv(data: bytes, required: Iterable[str], optional: Iterable[str] = (),
             budget: Budget | None = None) -> list[tuple[int, dict]]:
    """Rows as (row number, {column: text}); rejects missing or unknown columns and a header-only file."""
    budget = budget or Budget()
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text.partition("\n")[0].rstrip("\r"), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise InputRejected([InputError(_("The file has no header row."))]) from exc
    return rows_from(header, reader, required, optional, budget)


def read_dicts(rows: list[dict], required: Iterable[str], optional: Iterable[str] = (),
               budget: Budget | None = None) -> list[tuple[int, dict]]:
    """Rows given as dicts (the JSON API), checked as a CSV whose header is every key in order of appearance."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    return rows_from(header, ([row.get(key) for key in header] for row in rows), required, optional, budget)


def rows_from(header, rows, required, optional, budget: Budget | None = None) -> list[tuple[int, dict]]:
    budget = budget or Budget()
    columns = _columns(header, list(required), set(required) | set(optional))
    out, errors = [], []
    for number, values in enumerate(rows, start=2):
        budget.check()
        cells = ["" if v is None else str(v) for v in values]
        if not any(c.strip() for c in cells):
            continue  # blank lines carry nothing
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise InputRejected([InputError(_("This row has more cells than the header."), number)])
        row = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}
        errors += _cell_errors(number, row)
        out.append((number, row))
    if errors:
        raise InputRejected(errors)
    if not out:
        raise InputRejected([InputError(_("The file has a header but no data rows."))])
    return out


def _columns(header, required: list[str], allowed: set[str]) -> list[str]:
    """The header's column names (trailing blanks dropped), refused when too wide, incomplete or ambiguous."""
    columns = [str(h or "").strip().lower() for h in header]
    while columns and not columns[-1]:
        columns.pop()
    if len(columns) > MAX_COLUMNS:
        raise InputRejected([InputError(
            _("The header has %(count)s columns, more than %(n)s.") % {"count": len(columns), "n": MAX_COLUMNS}, 1)])
    counts = Counter(c for c in columns if c)
    errors = [
        InputError(_("Required column “%(col)s” is missing.") % {"col": c}, 1, c) for c in required if c not in counts
    ]
    errors += [InputError(_("Unknown column “%(col)s”.") % {"col": c}, 1, c) for c in counts if c not in allowed]
    errors += [InputError(_("Column “%(col)s” appears twice.") % {"col": c}, 1, c)
               for c in sorted(c for c, n in counts.items() if n > 1)]
    if errors:
        raise InputRejected(errors)
    return columns


def _cell_errors(number: int, row: dict[str, str]) -> list[InputError]:
    """Cells the database cannot store (NUL) or that are far too long for any field."""
    errors = []
    for col, cell in row.items():
        if len(cell) > MAX_CELL_CHARS:
            errors.append(InputError(
                _("This cell has more than %(n)s characters.") % {"n": MAX_CELL_CHARS}, number, col))
        elif "\x00" in cell:
            errors.append(InputError(_("Null characters are not allowed."), number, col))
    return errors
