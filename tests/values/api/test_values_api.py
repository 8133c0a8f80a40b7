"""/api/v1/frameworks/, /periods/, /values/ (api.md)."""

import io

import openpyxl
import pytest

from assessments.values.models import IndicatorValue, ValueStatus

from .conftest import G12, H90

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post_value(client, version=None, **fields):
    body = {"agency": G12, "framework": "SAMPLE", "period": 2024, "indicator": "HT.01", **fields}
    if version is not None:
        body["version"] = version
    return client.post("/api/v1/values/", body, format="json", **EN)


# frameworks and periods

def test_frameworks_list_and_detail_with_legal_basis(api, framework, period):
    client = api("observer")
    listing = client.get("/api/v1/frameworks/").json()
    assert [f["code"] for f in listing["results"]] == ["SAMPLE"]
    detail = client.get("/api/v1/frameworks/SAMPLE/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["version"] == framework.version and body["versions"] == [framework.version]
    ht01 = body["pillars"][0]["indicators"][0]
    assert ht01["code"] == "HT.01"
    assert ht01["legal_basis"] and ht01["legal_basis"][0]["source"]
    assert {s["code"] for s in body["legal_sources"]} == {"ND-64-2007", "QD-942-2021"}
    assert client.get(f"/api/v1/frameworks/SAMPLE/?version={framework.version}").status_code == 200
    assert client.get("/api/v1/frameworks/SAMPLE/?version=1900.1").status_code == 404
    assert client.get("/api/v1/frameworks/NOPE/").status_code == 404


def test_periods_filters(api, period):
    client = api("observer")
    assert client.get("/api/v1/periods/?framework=SAMPLE&year=2024&status=open").json()["count"] == 1
    assert client.get("/api/v1/periods/?year=2023").json()["count"] == 0
    assert client.get("/api/v1/periods/?status=closed").json()["count"] == 0


# create and edit

def test_create_draft_then_edit_with_version(staff, draft):
    assert draft["status"] == "draft" and draft["version"] == 1 and draft["value"] == 90.8
    assert draft["agency"] == G12 and draft["indicator"] == "HT.01" and draft["period"] == 2024
    edited = post_value(staff, version=1, value="91")
    assert edited.status_code == 200, edited.content
    assert edited.json()["version"] == 2 and edited.json()["value"] == 91.0


def test_stale_version_gives_409(staff, draft):
    assert post_value(staff, version=1, value="50").status_code == 200
    stale = post_value(staff, version=1, value="60")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert post_value(staff, value="60").status_code == 409  # an existing value needs its version
    assert IndicatorValue.objects.get().value_decimal == 50


def test_field_errors_are_400_in_the_callers_language(staff, period):
    response = post_value(staff, value="120")
    assert response.status_code == 400
    assert response.json() == {"value": ["A percentage is between 0 and 100."]}
    unknown = post_value(staff, indicator="ZZ.99", value="1")
    assert unknown.status_code == 400 and "indicator" in unknown.json()
    ratio = post_value(staff, indicator="HT.02", numerator="60", denominator="50")
    assert ratio.status_code == 400 and "numerator" in ratio.json()


def test_outside_scope_or_wrong_role_may_not_write(api, agencies, period):
    assert post_value(api("agency_staff", H90, name="staff-h90"), value="50").status_code == 403
    assert post_value(api("observer"), value="50").status_code == 403


# list, filters, scope

def test_a_draft_claims_not_applicable_and_a_reviewer_accepts_it(api, staff, draft):
    claim = post_value(staff, version=1, na_reason="Bộ không quản lý hạ tầng", note="Công văn 5")
    assert claim.status_code == 200, claim.content
    body = claim.json()
    assert (body["status"], body["value"], body["na_reason"], body["note"], body["version"]) == (
        "draft", None, "Bộ không quản lý hạ tầng", "Công văn 5", 2)
    both = post_value(staff, version=2, na_reason="x", value="5")
    assert both.status_code == 400 and "not both" in str(both.json()["na_reason"])
    blank = post_value(staff, version=2, na_reason="   ")  # blank: no claim, so a value is needed
    assert blank.status_code == 400 and "value" in blank.json()
    lead = api("agency_lead", G12)
    url = f"/api/v1/values/{body['id']}/"
    assert lead.post(url + "submit/", {"version": 2}, format="json").json()["status"] == "submitted"
    accepted = api("reviewer").post(url + "verify/", {"version": 3}, format="json")
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["na_reason"]) == ("not_applicable", "Bộ không quản lý hạ tầng")


def test_list_filters_and_scope(api, staff, draft):
    post_value(staff, indicator="HT.03", value="có")
    own = staff.get("/api/v1/values/").json()
    assert own["count"] == 2
    assert staff.get("/api/v1/values/?indicator=HT.03").json()["results"][0]["value"] is True
    assert staff.get(f"/api/v1/values/?agency={G12}&period=2024&framework=SAMPLE&status=draft").json()["count"] == 2
    assert staff.get("/api/v1/values/?status=verified").json()["count"] == 0
    assert staff.get("/api/v1/values/?period=2023").json()["count"] == 0
    assert api("reviewer").get("/api/v1/values/").json()["count"] == 2

    outsider = api("agency_staff", H90, name="staff-h90")
    assert outsider.get("/api/v1/values/").json()["count"] == 0
    assert outsider.get(f"/api/v1/values/{draft['id']}/").status_code == 404
    assert api("observer").get(f"/api/v1/values/{draft['id']}/").status_code == 404
    assert staff.get(f"/api/v1/values/{draft['id']}/").status_code == 200
    assert outsider.post(f"/api/v1/values/{draft['id']}/submit/", {}, format="json").status_code == 404


# workflow

def test_submit_by_lead_and_verify_by_reviewer(api, staff, draft):
    url = f"/api/v1/values/{draft['id']}/"
    assert staff.post(url + "submit/", {}, format="json").status_code == 403  # staff may not submit
    lead = api("agency_lead", G12)
    submitted = lead.post(url + "submit/", {"version": 1}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted" and submitted.json()["version"] == 2
    assert lead.post(url + "submit/", {}, format="json").status_code == 409  # not draft any more

    reviewer = api("reviewer")
    assert reviewer.post(url + "verify/", {"version": 1}, format="json").status_code == 409  # stale
    verified = reviewer.post(url + "verify/", {"version": 2}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert reviewer.post(url + "verify/", {}, format="json").status_code == 409
    # verified values are visible to everyone
    assert api("observer").get(url).status_code == 200


def test_reject_needs_a_reason(api, draft):
    url = f"/api/v1/values/{draft['id']}/"
    api("agency_lead", G12).post(url + "submit/", {}, format="json")
    reviewer = api("reviewer")
    missing = reviewer.post(url + "reject/", {}, format="json", **EN)
    assert missing.status_code == 400 and "reason" in missing.json()
    blank = reviewer.post(url + "reject/", {"reason": "  "}, format="json", **EN)
    assert blank.status_code == 400 and "reason" in blank.json()
    rejected = reviewer.post(url + "reject/", {"reason": "Thiếu minh chứng"}, format="json")
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "Thiếu minh chứng"


def test_reviewer_may_not_review_own_agency(api, draft):
    url = f"/api/v1/values/{draft['id']}/"
    api("agency_lead", G12).post(url + "submit/", {}, format="json")
    own = api("reviewer", G12, name="reviewer-g12")
    assert own.post(url + "verify/", {}, format="json").status_code == 403
    assert own.post(url + "reject/", {"reason": "x"}, format="json").status_code == 403
    assert IndicatorValue.objects.get().status == ValueStatus.SUBMITTED
    assert api("agency_lead", G12, name="lead2").post(url + "verify/", {}, format="json").status_code == 403


# bulk

ROWS = [
    {"agency_code": G12, "indicator_code": "HT.01", "value": "90,8", "note": "tháng 12"},
    {"agency_code": G12, "indicator_code": "HT.02", "numerator": "45", "denominator": "50"},
    {"agency_code": G12, "indicator_code": "HT.03", "value": "có"},
]


def bulk(client, **body):
    return client.post("/api/v1/values/bulk/", {"framework": "SAMPLE", "period": 2024, **body}, format="json", **EN)


def test_bulk_rows_happy_path_and_idempotent(staff):
    first = bulk(staff, rows=ROWS)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 3, "updated": 0, "unchanged": 0}
    again = bulk(staff, rows=[{**ROWS[0], "value": "91"}, *ROWS[1:]])
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 2}
    assert IndicatorValue.objects.filter(status=ValueStatus.DRAFT).count() == 3


def test_bulk_is_all_or_nothing_with_row_errors(staff):
    bad = [*ROWS, {"agency_code": G12, "indicator_code": "AT.01", "value": "-3"},
           {"agency_code": "000.00.00.X99", "indicator_code": "HT.01", "value": "1"}]
    response = bulk(staff, rows=bad)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(5, "value"), (6, "agency_code")]
    assert errors[0]["message"] == "A count cannot be negative." and errors[0]["message_vi"]
    assert not IndicatorValue.objects.exists()
    unknown_column = bulk(staff, rows=[{**ROWS[0], "colour": "red"}])
    assert unknown_column.status_code == 400 and unknown_column.json()["errors"][0]["column"] == "colour"


def test_bulk_file_upload_csv_and_xlsx(staff):
    csv = b"agency_code,indicator_code,value\n000.00.00.G12,HT.01,\"90,8\"\n"
    response = staff.post("/api/v1/values/bulk/", {"framework": "SAMPLE", "period": 2024,
                                                   "file": io.BytesIO(csv)}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    book = openpyxl.Workbook()
    book.active.append(["agency_code", "indicator_code", "value"])
    book.active.append([G12, "AT.01", 3])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "values.xlsx"
    response = staff.post("/api/v1/values/bulk/", {"framework": "SAMPLE", "period": 2024, "file": data},
                          format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1


def test_bulk_role_and_target_checks(api, staff):
    assert bulk(staff, rows=ROWS, status="verified").status_code == 403
    assert bulk(api("observer"), rows=ROWS).status_code == 403
    unknown = bulk(staff, rows=ROWS, framework="NOPE")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["column"] == "framework"
    outsider = bulk(api("agency_staff", H90, name="staff-h90"), rows=ROWS)
    assert outsider.status_code == 400
    assert {e["column"] for e in outsider.json()["errors"]} == {"agency_code"}


def test_json_booleans_and_numbers_are_accepted(staff, period):
    created = post_value(staff, indicator="HT.03", value=True)
    assert created.status_code == 201 and created.json()["value"] is True
    assert post_value(staff, indicator="AT.01", value=3).json()["value"] == 3.0
    assert post_value(staff, indicator="AT.02", value={"x": 1}).status_code == 400
    response = bulk(staff, rows=[{"agency_code": G12, "indicator_code": "HT.02", "numerator": 45,
                                  "denominator": 50}])
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}


def test_bulk_request_errors_use_the_bulk_format(staff):
    missing = bulk(staff)
    assert missing.status_code == 400 and missing.json()["errors"][0]["column"] == "rows"
    bad_status = bulk(staff, rows=ROWS, status="rejected")
    assert bad_status.status_code == 400 and bad_status.json()["errors"][0]["column"] == "status"


def test_nul_characters_are_refused_not_500(staff, period):
    assert post_value(staff, value="50", note="a\x00b").status_code == 400
    response = bulk(staff, rows=[{**ROWS[0], "note": "a\x00b"}])
    assert response.status_code == 400 and response.json()["errors"][0]["column"] == "rows[0].note"
    assert staff.get("/api/v1/frameworks/SAMPLE/?version=a%00b").status_code == 400  # refused before the view
