"""Reading an uploaded table, CSV or XLSX told apart by content, into header-keyed rows of text.

XLSX cells are turned into the text a person would type (`90.8`, `90.8%` for a cell formatted
as a percentage, `=SUM(...)` for a formula) so that one set of rules checks both formats.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl

from govit.errors import InputError, InputRejected
from govit.i18n import _
from govit.tabular import MAX_CSV_BYTES, read_csv, rows_from

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
MAX_BYTES = MAX_CSV_BYTES
MAX_ROWS = 200_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
PREFERRED_SHEET = "values"


def read_table(data: bytes, required, optional=(), filename: str | None = None,
               max_rows: int | None = None) -> list[tuple[int, dict]]:
    """Rows as (row number, {column: text}), the header being row 1; rejects unusable files.

    At most `max_rows` data rows (default MAX_ROWS) and MAX_BYTES, so a huge file fails fast and clearly.
    """
    max_rows = max_rows or MAX_ROWS
    if not data or not data.strip():
        raise InputRejected([InputError(_("The file is empty."))])
    if len(data) > MAX_BYTES:
        raise InputRejected([InputError(_("The file is larger than 50 MB."))])
    if data.startswith(ZIP_MAGIC):
        rows = read_xlsx(data, required, optional, max_rows)
    elif data.startswith(OLE_MAGIC):
        raise InputRejected([InputError(_("Old Excel files (.xls) are not read; save it as .xlsx or CSV."))])
    elif filename and filename.lower().endswith((".xlsx", ".xlsm")):
        raise InputRejected([InputError(_("The file is named .xlsx but is not an Excel workbook."))])
    else:
        # Count lines before parsing so that a 50 MB file of tiny rows fails before filling memory.
        if data.count(b"\n") > max_rows + 1:
            raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": max_rows})])
        rows = read_csv(data, required, optional)
    if len(rows) > max_rows:
        raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": max_rows})])
    return rows


def read_xlsx(data: bytes, required, optional=(), max_rows: int | None = None) -> list[tuple[int, dict]]:
    # data_only=False: with True, openpyxl hides formulas behind their cached value (or None), and a
    # formula must be refused, not imported as whatever Excel last computed.
    try:
        # A small zip can inflate to gigabytes (openpyxl keeps shared strings in memory): cap it first.
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as exc:
        raise InputRejected([InputError(_("The file is not a readable Excel workbook (.xlsx)."))]) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputRejected([InputError(_("The workbook is too large once unpacked; split it."))])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser means the same to the user
        raise InputRejected([InputError(_("The file is not a readable Excel workbook (.xlsx)."))]) from exc
    try:
        if not workbook.worksheets:
            raise InputRejected([InputError(_("The workbook has no worksheet."))])
        sheet = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == PREFERRED_SHEET),
                     workbook.worksheets[0])
        rows = sheet.iter_rows()
        header = next(rows, None)
        if header is None:
            raise InputRejected([InputError(_("The file has no header row."))])
        names = [_text(cell) for cell in header]
        while names and not names[-1].strip():
            names.pop()
        return rows_from(names, _capped(rows, max_rows or MAX_ROWS), required, optional)
    except InputRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet surfaces as any parser error
        raise InputRejected([InputError(_("The file is not a readable Excel workbook (.xlsx)."))]) from exc
    finally:
        workbook.close()


def _capped(rows, max_rows: int):
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": max_rows})])
        yield [_text(cell) for cell in row]


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        return value if isinstance(value, str) else "=formula"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if "%" in (cell.number_format or ""):
            return _plain(number * 100) + "%"
        return _plain(number)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _plain(number: Decimal) -> str:
    """No exponent and no trailing zeros: 1e-05 -> 0.00001, 5.0 -> 5."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
