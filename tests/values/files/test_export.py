"""Values exports, web and API: columns, filters, visibility, formula escaping, streaming with one query."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.values.exports import EXPORT_COLUMNS
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values, save_value

from .conftest import G12, G12_CSV, H29, VALUES_CSV, only
from .test_template import body

H29_CSV = only(VALUES_CSV, H29.encode())
URLS = {"csv": reverse("api:export-values-csv"), "xlsx": reverse("api:export-values-xlsx")}


def table(response, fmt) -> list[list]:
    data = body(response)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["values"]
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def drafts_of_both(make_user, agencies, period):
    """G12's values as drafts, H29's verified; the staff users of each."""
    g12, h29 = make_user("g12", "agency_staff", G12), make_user("h29", "agency_staff", H29)
    import_values(G12_CSV, "SAMPLE", 2024, user=g12)
    import_values(H29_CSV, "SAMPLE", 2024, status="verified")
    return g12, h29


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_api_export_columns_and_filename(drafts_of_both, fmt):
    g12, _h29 = drafts_of_both
    response = api_client(g12).get(URLS[fmt], {"framework": "SAMPLE", "period": 2024})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'filename="values_SAMPLE_2024.{fmt}"')
    rows = table(response, fmt)
    assert rows[0] == list(EXPORT_COLUMNS)
    by_key = {(r[3], r[5]): dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert len(by_key) == 11
    ht02 = by_key[(G12, "HT.02")]
    assert (str(ht02["numerator"]), str(ht02["denominator"]), ht02["status"]) == ("30", "40", "draft")
    assert str(by_key[(H29, "HT.01")]["value"]) == "90.8" and by_key[(G12, "HT.03")]["value"] == "false"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_of_another_agency_does_not_see_drafts(drafts_of_both, fmt):
    _g12, h29 = drafts_of_both
    rows = table(api_client(h29).get(URLS[fmt]), fmt)
    assert {r[3] for r in rows[1:]} == {H29}
    assert len(rows) - 1 == 6
    # The web download: same rule.
    client = Client()
    client.force_login(h29)
    web_rows = table(client.get(reverse("values-export"), {"format": fmt}), fmt)
    assert web_rows == rows


def test_export_filters_like_the_values_list(drafts_of_both):
    g12, _h29 = drafts_of_both
    client = api_client(g12)
    rows = table(client.get(URLS["csv"], {"agency": G12, "status": "draft", "indicator": "HT.01"}), "csv")
    assert [(r[3], r[5]) for r in rows[1:]] == [(G12, "HT.01")]
    listed = client.get("/api/v1/values/", {"status": "verified"}).json()["count"]
    assert len(table(client.get(URLS["csv"], {"status": "verified"}), "csv")) - 1 == listed == 6
    assert client.get(URLS["csv"], {"status": "bogus"}).status_code == 400


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_cells_are_escaped(make_user, agencies, framework, period, fmt):
    staff = make_user("g12", "agency_staff", G12)
    for code, note in (("HT.01", "=cmd|' /C calc'!A0"), ("AT.01", "+1+1"), ("AT.02", "-2+3"), ("HT.03", "@SUM(A1)")):
        indicator = framework.indicators.get(code=code)
        save_value(staff, agencies[G12], indicator, period, value="1" if code != "HT.03" else "có", note=note)
    rows = table(api_client(staff).get(URLS[fmt]), fmt)
    notes = sorted(r[EXPORT_COLUMNS.index("note")] for r in rows[1:])
    assert notes == ["'+1+1", "'-2+3", "'=cmd|' /C calc'!A0", "'@SUM(A1)"]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body(api_client(staff).get(URLS[fmt]))))["values"]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_api_export_query_count_does_not_grow_with_rows(make_user, agencies, period, fmt):
    admin = make_user("admin", "admin")
    client = api_client(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URLS[fmt])
            body(response)  # a streamed answer runs its query while it is read
        return len(captured)

    import_values(only(G12_CSV, b"HT.01"), "SAMPLE", 2024)
    few = queries()
    assert 1 <= few <= 3  # the rows come from one query (select_related), read in chunks
    import_values(VALUES_CSV, "SAMPLE", 2024)
    assert IndicatorValue.objects.count() == 11
    assert queries() == few


def test_web_export_page_and_bad_format(drafts_of_both):
    g12, _h29 = drafts_of_both
    client = Client()
    client.force_login(g12)
    page = client.get(reverse("values-export"))
    assert page.status_code == 200 and 'name="format" value="xlsx"' in page.content.decode()
    assert client.get(reverse("values-export"), {"format": "pdf"}).status_code == 400
    response = client.get(reverse("values-export"), {"format": "xlsx", "framework": "SAMPLE", "period": "2024",
                                                     "agency": G12})
    assert response["Content-Disposition"].endswith('filename="values_SAMPLE_2024_000.00.00.G12.xlsx"')
    assert len(table(response, "xlsx")) == 6


def test_observer_exports_verified_values_only(drafts_of_both, make_user):
    observer = make_user("obs", "observer")
    rows = table(api_client(observer).get(URLS["csv"]), "csv")
    assert {r[EXPORT_COLUMNS.index("status")] for r in rows[1:]} == {"verified"} and len(rows) == 7
