"""A values file to fill in (formats.md §2) for one agency, framework and period, CSV or XLSX.

One row per indicator that applies to the agency's kind, in catalog order, with the agency's current
values when it has some, so that the file returned unchanged changes nothing. The XLSX has a second
sheet explaining each indicator's type, unit and expected evidence in Vietnamese and English (the
importer reads the `values` sheet only).
"""

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from agencies.models import Agency
from assessments.catalog.models import Framework, Indicator, IndicatorType, Period
from assessments.values.exports import csv_stream, value_cell, xlsx_file, xlsx_sheet
from assessments.values.importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from assessments.values.models import IndicatorValue

TEMPLATE_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# What to type for each indicator type, (vi, en): file content for both languages at once.
TYPE_HELP = {
    IndicatorType.PERCENT: ("Tỷ lệ phần trăm từ 0 đến 100, ghi vào cột value (90,8 hoặc 90.8 hoặc 90,8%).",
                            "A percentage from 0 to 100 in the value column (90,8 or 90.8 or 90,8%)."),
    IndicatorType.RATIO: ("Hai số nguyên: numerator (tử số) và denominator (mẫu số, lớn hơn 0); để trống value.",
                          "Two whole numbers: numerator and denominator (greater than 0); leave value empty."),
    IndicatorType.BOOLEAN: ("Có hoặc không: có/không, true/false, yes/no, 1/0.",
                            "Yes or no: có/không, true/false, yes/no, 1/0."),
    IndicatorType.COUNT: ("Số nguyên không âm, không dùng dấu phân cách hàng nghìn (1234, không phải 1.234).",
                          "A whole number of 0 or more, without thousands separators (1234, not 1.234)."),
    IndicatorType.LEVEL: ("Cấp độ là số nguyên từ %(low)s đến %(high)s.",
                          "A level: a whole number from %(low)s to %(high)s."),
}
GENERAL_HELP = [
    ("Điền sheet “values” rồi tải lên tại GovIT (Giá trị chỉ tiêu > Tải tệp lên). Không đổi tên cột.",
     "Fill in the “values” sheet and upload it in GovIT (Values > Upload a file). Do not rename the columns."),
    ("Dòng để trống cả value, numerator, denominator, note và evidence_url được bỏ qua.",
     "Rows with value, numerator, denominator, note and evidence_url all empty are skipped."),
    ("Số thập phân dùng dấu phẩy hoặc dấu chấm; không dùng dấu phân cách hàng nghìn; không nhập công thức.",
     "Decimals take a comma or a point; no thousands separators; no formulas."),
    ("evidence_url: đường dẫn http:// hoặc https:// tới minh chứng; note: ghi chú tự do.",
     "evidence_url: an http:// or https:// link to the evidence; note: free text."),
]
NOTES_COLUMNS = ("indicator_code", "pillar", "name_vi", "name_en", "type", "how_to_fill_vi", "how_to_fill_en",
                 "evidence_vi", "evidence_en")


def applicable_indicators(framework: Framework, agency: Agency, period: Period) -> list[Indicator]:
    """The indicators the agency reports in the period (catalog and kind validity)."""
    indicators = framework.indicators.select_related("pillar").order_by("pillar__order", "order")
    return [i for i in indicators if i.applies_to_kind(agency.kind, period)]


def template_rows(indicators: list[Indicator], agency: Agency, period: Period) -> list[tuple]:
    current = {v.indicator_id: v for v in IndicatorValue.objects.filter(
        agency=agency, period=period, indicator__in=indicators)}
    rows = []
    for indicator in indicators:
        value = current.get(indicator.pk)
        if value is None:
            rows.append((agency.code, indicator.code, None, None, None, None, None))
        else:
            rows.append((agency.code, indicator.code, value_cell(value), value.numerator, value.denominator,
                         value.note, value.evidence_url))
    return rows


def _how_to_fill(indicator: Indicator) -> tuple[str, str]:
    vi, en = TYPE_HELP.get(indicator.type, ("", ""))
    if indicator.type == IndicatorType.LEVEL:
        levels = {"low": indicator.min_level, "high": indicator.max_level}
        return vi % levels, en % levels
    return vi, en


def notes_rows(indicators: list[Indicator]) -> list[tuple]:
    rows: list[tuple] = [(vi, en) for vi, en in GENERAL_HELP] + [()]
    rows.append(NOTES_COLUMNS)
    for i in indicators:
        rows.append((i.code, i.pillar.code, i.name_vi, i.name_en, i.type, *_how_to_fill(i), i.evidence_vi,
                     i.evidence_en))
    return rows


def template_filename(framework: Framework, period: Period, agency: Agency, extension: str) -> str:
    return f"template_{framework.code}_{period.year}_{agency.code}.{extension}"


def template_response(framework: Framework, period: Period, agency: Agency,
                      fmt: str) -> StreamingHttpResponse | FileResponse:
    indicators = applicable_indicators(framework, agency, period)
    rows = template_rows(indicators, agency, period)
    filename = template_filename(framework, period, agency, fmt)
    if fmt == "csv":
        return csv_stream(filename, TEMPLATE_COLUMNS, rows)
    book = Workbook(write_only=True)
    xlsx_sheet(book, "values", TEMPLATE_COLUMNS, rows)
    notes = notes_rows(indicators)
    xlsx_sheet(book, "huong_dan_notes", notes[0], notes[1:])
    return xlsx_file(filename, book)
