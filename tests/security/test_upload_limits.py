"""Uploaded tables are cheap to refuse and never a 500 (issue 11 items 1, 4a, 4b, 5a).

Headers are checked in linear time under a column cap, every parse has a wall-clock budget, cells are capped
in length and refused with a NUL, and a workbook is sized from its zip before openpyxl opens it.
"""

import io
import re
import zipfile

import openpyxl
import pytest

from assessments.values.importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from assessments.values.models import IndicatorValue
from assessments.values.spreadsheets import read_table
from govit.errors import InputRejected
from govit.tabular import read_dicts
from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures

G12 = "000.00.00.G12"
HEADER = ["agency_code", "indicator_code", "value", "note"]
ROW = [G12, "HT.01", "50", "ghi chú"]


def csv_of(*rows: list[str]) -> bytes:
    return "".join(",".join(row) + "\n" for row in rows).encode()


def xlsx_of(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, changes: dict, added: dict | None = None) -> bytes:
    """The workbook with members' text changed by `changes` {name: function of the text} and `added` {name: text}."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, changes[info.filename](body.decode()).encode() if info.filename in changes else body)
        for name, text in (added or {}).items():
            target.writestr(name, text)
    return out.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(rows: list[list[str]], counts: str) -> bytes:
    """A workbook of text cells kept as shared strings, as Excel writes them (openpyxl writes inline strings)."""
    texts = [text for row in rows for text in row]
    shared = iter(range(len(texts)))
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return rewritten(xlsx_of(*rows), {
        SHEET: lambda xml: re.sub(r'<c r="(\w+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                                       lambda m: f'<c r="{m[1]}" t="s"><v>{next(shared)}</v></c>', xml),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            "</Relationships>", f'<Relationship Id="s" Type="{SST_REL}" Target="sharedStrings.xml"/></Relationships>'),
        "[Content_Types].xml": lambda xml: xml.replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>'),
    }, {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"{counts}>{items}</sst>'})




def refusal(data: bytes) -> list[tuple]:
    with pytest.raises(InputRejected) as exc:
        read_table(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    return [(e.row, e.where, e.as_dict()["message_en"]) for e in exc.value.errors]


# 1. headers: linear, capped, and every parse within a wall-clock budget

def test_a_header_of_40000_columns_is_refused_once_not_per_column():
    errors = refusal(csv_of([f"c{i}" for i in range(40_000)], ["x"]))
    assert errors == [(1, None, "The header has 40000 columns, more than 100.")]


def test_the_column_cap_applies_to_files_and_json_rows(monkeypatch):
    monkeypatch.setattr("govit.tabular.MAX_COLUMNS", 3)
    assert refusal(csv_of(HEADER, ROW)) == [(1, None, "The header has 4 columns, more than 3.")]
    assert refusal(xlsx_of(HEADER, ROW)) == [(1, None, "The header has 4 columns, more than 3.")]
    with pytest.raises(InputRejected) as exc:
        read_dicts([dict(zip(HEADER, ROW, strict=True))], REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    assert "more than 3" in exc.value.errors[0].as_dict()["message_en"]
    monkeypatch.setattr("govit.tabular.MAX_COLUMNS", 4)
    assert read_table(csv_of(HEADER + ["", ""], ROW), REQUIRED_COLUMNS, OPTIONAL_COLUMNS)  # trailing blanks free


@pytest.mark.parametrize("data", [csv_of(HEADER, ROW), xlsx_of(HEADER, ROW)], ids=["csv", "xlsx"])
def test_a_parse_past_its_budget_stops_with_a_clear_error(settings, data):
    assert read_table(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    settings.TABLE_PARSE_SECONDS = 0
    (error,) = refusal(data)
    assert error[2] == "The file is too complex to read within 0 seconds; split it."
    with pytest.raises(InputRejected) as exc:
        read_dicts([dict(zip(HEADER, ROW, strict=True))], REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    assert "too complex" in exc.value.errors[0].as_dict()["message_en"]


# 4a, 4b. cells: capped in length, no NUL; row and column given

def test_a_cell_longer_than_the_csv_modules_limit_is_refused_with_row_and_column():
    errors = refusal(csv_of(HEADER, ROW, [G12, "HT.02", "1", "x" * 200_000]))
    assert errors == [(3, "note", "This cell has more than 5000 characters.")]


def test_a_nul_in_a_cell_is_refused_with_row_and_column():
    assert refusal(csv_of(HEADER, [G12, "HT.01", "5\x000", ""])) == [(2, "value", "Null characters are not allowed.")]


@pytest.mark.parametrize("cell", ["ghi\x00chú", "x" * 140_000], ids=["nul", "long"])
def test_the_bulk_api_answers_400_and_saves_nothing(api, agencies, period, cell):  # noqa: F811
    staff = api("agency_staff", G12)
    data = csv_of(HEADER, ROW, [G12, "HT.02", "", cell])
    response = staff.post("/api/v1/values/bulk/", {"framework": "SAMPLE", "period": 2024, "file": io.BytesIO(data)},
                          format="multipart")
    assert response.status_code == 400, response.content
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(3, "note")]
    assert not IndicatorValue.objects.exists()


# 5a. workbooks sized from the zip before openpyxl loads them

def test_shared_strings_are_capped_by_their_declared_counts():
    honest = with_shared_strings([HEADER, ROW], ' count="8" uniqueCount="8"')
    rows = read_table(honest, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    assert rows == [(2, dict(zip(HEADER, ROW, strict=True)))]  # shared strings really read
    data = with_shared_strings([HEADER, ROW], ' count="8" uniqueCount="4000000"')
    assert refusal(data) == [(None, None, "The workbook has more than 200000 distinct texts; split it.")]


def test_shared_strings_are_capped_by_size_when_the_count_is_missing_or_lies(monkeypatch):
    monkeypatch.setattr("assessments.values.spreadsheets.MAX_SHARED_STRINGS_BYTES", 100)
    for counts in ("", ' count="1" uniqueCount="1"'):
        data = with_shared_strings([HEADER, ROW], counts)
        assert refusal(data) == [(None, None, "The workbook is too large once unpacked; split it.")]


def dimension(ref: str):
    return lambda xml: re.sub(r'<dimension ref="[^"]+"', f'<dimension ref="{ref}"', xml)


def test_a_sheet_is_capped_by_its_dimension_and_its_size(monkeypatch):
    data = xlsx_of(HEADER, ROW)
    huge = rewritten(data, {SHEET: dimension("A1:XFD1048576")})
    assert refusal(huge) == [(None, None, "A worksheet has more than 2000000 cells; split it.")]
    monkeypatch.setattr("assessments.values.spreadsheets.MAX_SHEET_BYTES", 100)
    assert refusal(data) == [(None, None, "The workbook is too large once unpacked; split it.")]


def test_a_malformed_dimension_is_an_unreadable_workbook():
    data = rewritten(xlsx_of(HEADER, ROW), {SHEET: dimension("nonsense")})
    assert refusal(data) == [(None, None, "The file is not a readable Excel workbook (.xlsx).")]
