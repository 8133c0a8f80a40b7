"""No role writes what it may only review (issue 11, items 2-3): reviewers and admins verify or reject
submitted values, they never create or overwrite them; and what a score breakdown derives from an
unverified value (s, points) is hidden outside the agency's scope, like the value itself."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessments.values.models import IndicatorValue
from assessments.values.permissions import REVIEWERS_DO_NOT_WRITE
from assessments.values.services import import_values
from govit.errors import in_language
from tests.scores.conftest import tasks_in_process  # noqa: F401 - score runs at commit, in this process
from tests.values.conftest import VALUES_CSV, agencies, framework, period  # noqa: F401 - shared fixtures

G12 = "000.00.00.G12"
H29 = "000.00.00.H29"
BULK = "/api/v1/values/bulk/"


def only(fragment: bytes) -> bytes:
    lines = VALUES_CSV.splitlines(keepends=True)
    return lines[0] + b"".join(line for line in lines[1:] if fragment in line)


def state() -> list[tuple]:
    """Everything a refused write must leave as it was: each value's content, version, status and author,
    the history and the audit log."""
    values = sorted(IndicatorValue.objects.values_list("agency__code", "indicator__code", "value_decimal",
                                                       "version", "status", "updated_by_id"))
    return [*values, IndicatorValue.history.count(), LogEntry.objects.get_for_model(IndicatorValue).count()]


@pytest.fixture
def reported(agencies, period, api):  # noqa: F811
    """G12 has drafts (entered by its staff) and values already verified by the system's import."""
    import_values(only(b"G12,HT"), "SAMPLE", 2024, status="verified")
    staff = api("agency_staff", G12)
    for code, value in (("AT.01", "2"), ("AT.02", "3")):
        response = staff.post("/api/v1/values/", {"agency": G12, "framework": "SAMPLE", "period": 2024,
                                                  "indicator": code, "value": value}, format="json")
        assert response.status_code == 201, response.content
    return state()


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_a_reviewer_or_admin_bulk_write_is_refused_and_changes_nothing(reported, api, role):
    client = api(role)
    rows = [{"agency_code": G12, "indicator_code": "HT.01", "value": "10"},  # verified: would be overwritten
            {"agency_code": G12, "indicator_code": "AT.01", "value": "0"},  # draft: would become verified
            {"agency_code": H29, "indicator_code": "HT.01", "value": "50"}]  # none yet: would be created
    for status in ("verified", "submitted", "draft"):
        response = client.post(BULK, {"framework": "SAMPLE", "period": 2024, "status": status, "rows": rows},
                               format="json")
        assert response.status_code == 403, response.content
        assert response.json()["detail"] == in_language(REVIEWERS_DO_NOT_WRITE, "vi")
    english = client.post(BULK, {"framework": "SAMPLE", "period": 2024, "status": "verified", "rows": rows},
                          format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == in_language(REVIEWERS_DO_NOT_WRITE, "en") != response.json()["detail"]
    # The file form of the same endpoint.
    upload = SimpleUploadedFile("values.csv", only(b"G12"))
    by_file = client.post(BULK, {"framework": "SAMPLE", "period": 2024, "status": "verified", "file": upload},
                          format="multipart")
    assert by_file.status_code == 403
    assert state() == reported


def test_verified_values_come_from_verifying_them_or_from_the_system(reported, api):
    # The reviewer's way: a lead submits, the reviewer verifies that one value, and is its author then.
    lead, reviewer = api("agency_lead", G12), api("reviewer")
    draft = IndicatorValue.objects.get(agency__code=G12, indicator__code="AT.01")
    assert lead.post(f"/api/v1/values/{draft.pk}/submit/", {"version": draft.version}, format="json").status_code == 200
    verified = reviewer.post(f"/api/v1/values/{draft.pk}/verify/", {"version": draft.version + 1}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    # The system's way: the import_values command run by an operator.
    assert import_values(only(b"H29"), "SAMPLE", 2024, status="verified")["created"] == 6
    out = io.StringIO()
    call_command("import_values", "tests/values/samples/values.csv", "--framework", "SAMPLE", "--period", "2024",
                 "--status", "verified", stdout=out)
    assert "updated=" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_breakdown_hides_s_and_points_of_unverified_values_outside_the_scope(agencies, framework, period, api):  # noqa: F811
    import_values(only(b"G12,HT.01"), "SAMPLE", 2024, status="submitted")
    import_values(only(b"G12,HT.02"), "SAMPLE", 2024, status="verified")
    call_command("compute_scores", "--framework", "SAMPLE", "--period", "2024", "--wait", stdout=io.StringIO())
    url = f"/api/v1/scores/{G12}/2024/breakdown/"

    def lines(client):
        return {line["indicator"]: line for line in client.get(url).json()["breakdown"]}

    outsider, insider = lines(api("observer")), lines(api("agency_staff", G12))
    shown = ("value", "s", "points", "max_points")
    assert [insider["HT.01"][k] for k in shown] == [75.0, round(75 / 90, 6), 8.3333, 10.0]
    assert [outsider["HT.01"][k] for k in shown] == [None, None, None, 10.0]  # submitted: nothing derived from it
    assert [outsider["HT.02"][k] for k in shown] == [insider["HT.02"][k] for k in shown]  # verified: all shown
    assert outsider["HT.03"] == insider["HT.03"]  # missing: s = 0 and points = 0 whatever was reported
