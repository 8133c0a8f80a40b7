"""Reading an uploaded table, CSV or XLSX told apart by content, into header-keyed rows of text.

XLSX cells are turned into the text a person would type (`90.8`, `90.8%` for a cell formatted
as a percentage, `=SUM(...)` for a formula) so that one set of rules checks both formats.
"""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import range_boundaries

from govit.errors import InputError, InputRejected
from govit.i18n import _
from govit.tabular import MAX_CSV_BYTES, Budget, read_csv, rows_from

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
MAX_BYTES = MAX_CSV_BYTES
MAX_ROWS = 200_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
# openpyxl keeps every shared string in memory before the first row is read: cap them from the zip first,
# by the counts the part declares and by its size (which zipfile enforces: a member longer than declared
# fails its CRC check), so a lying or missing count is still bounded.
MAX_SHARED_STRINGS = 200_000
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_CELLS = 2_000_000  # per sheet, by its <dimension>: MAX_ROWS rows of formats.md §2's 7 columns, and room
MAX_SHEET_BYTES = 128 * 1024 * 1024
MAX_MEMBERS = 1000  # a workbook has a dozen parts; each one's head is read below
HEAD_BYTES = 64 * 1024  # where <sst> and a sheet's <dimension> are; never more of a part is parsed here
PREFERRED_SHEET = "values"


def read_table(data: bytes, required, optional=(), filename: str | None = None,
               max_rows: int | None = None) -> list[tuple[int, dict]]:
    """Rows as (row number, {column: text}), the header being row 1; rejects unusable files.

    At most `max_rows` data rows (default MAX_ROWS) and MAX_BYTES, so a huge file fails fast and clearly.
    """
    max_rows, budget = max_rows or MAX_ROWS, Budget()
    if not data or not data.strip():
        raise InputRejected([InputError(_("The file is empty."))])
    if len(data) > MAX_BYTES:
        raise InputRejected([InputError(_("The file is larger than 50 MB."))])
    if data.startswith(ZIP_MAGIC):
        rows = read_xlsx(data, required, optional, max_rows, budget)
    elif data.startswith(OLE_MAGIC):
        raise InputRejected([InputError(_("Old Excel files (.xls) are not read; save it as .xlsx or CSV."))])
    elif filename and filename.lower().endswith((".xlsx", ".xlsm")):
        raise InputRejected([InputError(_("The file is named .xlsx but is not an Excel workbook."))])
    else:
        # Count lines before parsing so that a 50 MB file of tiny rows fails before filling memory.
        if data.count(b"\n") > max_rows + 1:
            raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": max_rows})])
        rows = read_csv(data, required, optional, budget)
    if len(rows) > max_rows:
        raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": max_rows})])
    return rows


def read_xlsx(data: bytes, required, optional=(), max_rows: int | None = None,
              budget: Budget | None = None) -> list[tuple[int, dict]]:
    budget = budget or Budget()
    try:
        _check_parts(zipfile.ZipFile(io.BytesIO(data)), budget)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, EOFError) as exc:
        raise InputRejected([InputError(_("The file is not a readable Excel workbook (.xlsx)."))]) from exc
    # data_only=False: with True, openpyxl hides formulas behind their cached value (or None), and a
    # formula must be refused, not imported as whatever Excel last computed.
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
        return rows_from([_text(cell) for cell in header], _capped(rows, max_rows or MAX_ROWS), required, optional,
                         budget)
    except InputRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet surfaces as any parser error
        raise InputRejected([InputError(_("The file is not a readable Excel workbook (.xlsx)."))]) from exc
    finally:
        workbook.close()


def _check_parts(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Refuses a workbook that would be expensive to open, from the zip's directory and each part's head only.

    Parts are told apart by their root element, not their name: openpyxl follows the workbook's
    relationships wherever they point.
    """
    infos = archive.infolist()
    too_large = InputRejected([InputError(_("The workbook is too large once unpacked; split it."))])
    if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise too_large
    for info in infos:
        budget.check()
        root, attrs = _head(archive, info)
        if root == "sst":
            if int(attrs.get("uniqueCount", 0)) > MAX_SHARED_STRINGS or int(attrs.get("count", 0)) > MAX_CELLS:
                raise InputRejected([InputError(
                    _("The workbook has more than %(n)s distinct texts; split it.") % {"n": MAX_SHARED_STRINGS})])
            if info.file_size > MAX_SHARED_STRINGS_BYTES:
                raise too_large
        elif root == "worksheet":
            if "ref" in attrs:
                first_col, first_row, last_col, last_row = range_boundaries(attrs["ref"])
                if (last_col - first_col + 1) * (last_row - first_row + 1) > MAX_CELLS:
                    raise InputRejected([InputError(
                        _("A worksheet has more than %(n)s cells; split it.") % {"n": MAX_CELLS})])
            if info.file_size > MAX_SHEET_BYTES:
                raise too_large


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, dict]:
    """A part's root element name and its attributes (a sheet's: its <dimension>'s); ("", {}) if not XML.

    Reads at most HEAD_BYTES of the unpacked part: the root is at the very start and <dimension>
    precedes <sheetData> in a sheet.
    """
    parser, root, left = ElementTree.XMLPullParser(events=("start",)), "", HEAD_BYTES
    with archive.open(info) as part:
        while left > 0 and (chunk := part.read(min(left, 16 * 1024))):
            if not root and not chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return "", {}  # an image or another binary part
            left -= len(chunk)
            parser.feed(chunk)
            for _event, element in parser.read_events():
                name = element.tag.rpartition("}")[2]
                if not root:
                    root = name
                    if root != "worksheet":
                        return root, dict(element.attrib)
                elif name in ("dimension", "sheetData"):
                    return root, dict(element.attrib) if name == "dimension" else {}
    return root, {}


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
