"""Templates per framework, period and agency: applicable indicators, current values, notes; round trip."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.values.models import IndicatorValue
from assessments.values.services import import_values

from .conftest import G12, G12_CSV, H29, check, upload
from .test_upload import counts

COLUMNS = ["agency_code", "indicator_code", "value", "numerator", "denominator", "note", "evidence_url"]


def download(client, fmt="xlsx", agency=G12, year="2024"):
    return client.get(reverse("values-template"), {"framework": "SAMPLE", "period": year, "agency": agency,
                                                   "format": fmt})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def values_sheet(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in book["values"].iter_rows(values_only=True)]


def test_xlsx_template_lists_the_applicable_indicators_with_notes(web):
    response = download(web())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="template_SAMPLE_2024_000.00.00.G12.xlsx"'
    data = body(response)
    rows = values_sheet(data)
    assert rows[0] == COLUMNS
    # G12 is a ministry: AT.03 applies to provinces only.
    assert [r[:2] for r in rows[1:]] == [[G12, c] for c in ("HT.01", "HT.02", "HT.03", "AT.01", "AT.02")]
    notes = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data))["huong_dan_notes"].iter_rows(values_only=True)]
    flat = " ".join(str(c) for r in notes for c in r if c)
    assert "Tỷ lệ phần trăm từ 0 đến 100" in flat and "A percentage from 0 to 100" in flat
    assert "Cấp độ là số nguyên từ 1 đến 4" in flat and "A whole number from 1 to 4" not in flat
    at02 = next(r for r in notes if r and r[0] == "AT.02")
    assert at02[2:5] == ["Cấp độ an toàn hệ thống thông tin", "Information system security level", "level"]


def test_template_round_trip_unchanged_is_a_no_op_and_filled_in_imports(web):
    staff = web()
    import_values(G12_CSV.splitlines(keepends=True)[0] + b"".join(G12_CSV.splitlines(keepends=True)[1:3]),
                  "SAMPLE", 2024, user=staff.user)  # HT.01 75 % and HT.02 30/40 already reported
    data = body(download(staff))
    rows = values_sheet(data)
    assert rows[1][2:5] == [75, None, None] and rows[2][2:5] == [None, 30, 40]
    # Returned unchanged: nothing to do (the rows left empty are skipped).
    result = check(staff, upload(staff, data, filename="template.xlsx"))
    assert counts(result) == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 3}
    assert 'data-testid="upload-nothing"' in result.content.decode()
    # Filled in: exactly the filled rows are new.
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["values"]
    sheet["C4"], sheet["C5"], sheet["C6"] = "có", 2, 3
    out = io.BytesIO()
    book.save(out)
    token = upload(staff, out.getvalue(), filename="template.xlsx")
    assert counts(check(staff, token)) == {"created": 3, "updated": 0, "unchanged": 2}
    staff.post(reverse("values-upload-confirm", args=[token]))
    saved = {v.indicator.code: v for v in IndicatorValue.objects.select_related("indicator")}
    assert saved["HT.03"].value_bool is True and saved["AT.02"].value_decimal == 3 and len(saved) == 5


def test_csv_template_round_trip(web):
    staff = web()
    import_values(G12_CSV, "SAMPLE", 2024, user=staff.user)
    response = download(staff, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = body(response)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS and rows[1][:3] == [G12, "HT.01", "75"] and rows[3][2] == "false"
    result = check(staff, upload(staff, data, filename="template.csv"))
    assert counts(result) == {"created": 0, "updated": 0, "unchanged": 5}
    # And through the command-line importer too: the same file is a no-op there.
    assert import_values(body(download(staff, "csv")), "SAMPLE", 2024, user=staff.user) == \
        {"created": 0, "updated": 0, "unchanged": 5}


def test_template_of_an_agency_outside_the_scope_is_404(web):
    staff = web()
    response = download(staff, agency=H29)
    assert response.status_code == 404
    assert download(web("admin", None), agency=H29).status_code == 403  # admins do not import values


def test_template_chooser_and_bad_choices(web):
    staff = web()
    page = staff.get(reverse("values-template"))
    assert page.status_code == 200 and f'value="{G12}"' in page.content.decode()
    assert download(staff, fmt="pdf").status_code == 400
    assert download(staff, year="2031").status_code == 400
    assert web("observer", None).get(reverse("values-template")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_cells_are_escaped(web, agencies, framework, period, fmt):
    from assessments.values.services import save_value

    staff = web()
    save_value(staff.user, agencies[G12], framework.indicators.get(code="HT.01"), period, value="5",
               note="@SUM(A1)")
    data = body(download(staff, fmt))
    note = values_sheet(data)[1][5] if fmt == "xlsx" else list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1][5]
    assert note == "'@SUM(A1)"
