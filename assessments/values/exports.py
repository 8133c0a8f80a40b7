"""Indicator values as CSV or XLSX files: the export (web and API) and the cells shared with templates.

Columns use the names of formats.md §2 (agency_code, indicator_code, value, numerator, denominator,
note, evidence_url) plus what a reader needs around them. Every text cell goes through
govit.exports.safe_cell. Rows are read with one query in chunks and written as they come: the CSV is
streamed, the XLSX built in a temporary file (write-only mode) and streamed from there.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from assessments.values.models import IndicatorValue
from govit.exports import safe_cell

EXPORT_COLUMNS = ("framework", "framework_version", "period", "agency_code", "agency_name", "indicator_code",
                  "indicator_type", "value", "numerator", "denominator", "note", "evidence_url", "status",
                  "updated_at")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def value_cell(value: IndicatorValue):
    """The `value` column as the importer reads it back: a plain number, true/false, or empty (ratios)."""
    if value.value_bool is not None:
        return "true" if value.value_bool else "false"
    if value.value_decimal is None:
        return None
    number = value.value_decimal.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def export_queryset(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue]:
    return values.select_related("agency", "indicator__framework", "period").order_by(
        "period__year", "indicator__framework__code", "agency__code", "indicator__order", "id")


def export_rows(values: QuerySet[IndicatorValue]) -> Iterator[tuple]:
    for v in export_queryset(values).iterator(chunk_size=CHUNK):
        yield (v.indicator.framework.code, v.indicator.framework.version, v.period.year, v.agency.code,
               v.agency.name_vi, v.indicator.code, v.indicator.type, value_cell(v), v.numerator, v.denominator,
               v.note, v.evidence_url, v.status, timezone.localtime(v.updated_at).isoformat(timespec="seconds"))


def export_filename(params, extension: str) -> str:
    """values_<framework>_<period>[_<agency>].<ext>, from the filters given; only safe characters."""
    parts = ["values"] + [params.get(key) or "" for key in ("framework", "period", "agency")]
    stem = "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", part)[:40] for part in parts if part)
    return f"{stem}.{extension}"


class _Echo:
    def write(self, text: str) -> str:
        return text


def _cells(row: Sequence) -> list:
    return ["" if v is None else safe_cell(v) for v in row]


def csv_stream(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)  # a BOM so that Excel reads the UTF-8 Vietnamese text
        for row in rows:
            yield writer.writerow(_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])


def xlsx_file(filename: str, book: Workbook) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and so deletes) it
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def export_response(values: QuerySet[IndicatorValue], fmt: str, params) -> StreamingHttpResponse | FileResponse:
    filename = export_filename(params, fmt)
    if fmt == "csv":
        return csv_stream(filename, EXPORT_COLUMNS, export_rows(values))
    book = Workbook(write_only=True)
    xlsx_sheet(book, "values", EXPORT_COLUMNS, export_rows(values))
    return xlsx_file(filename, book)
