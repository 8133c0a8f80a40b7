"""/api/v1/plans/ (api.md): journeys, scope, roles, conflicts, field errors, languages."""

import pytest

from plans.models import Plan, PlanStatus

from .conftest import a_task, approved_plan, client_for, full_sections, new_plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/"


def post(client, path, body=None, **headers):
    return client.post(path, body or {}, format="json", **headers)


def test_full_journey_create_submit_review_return_fix_resubmit_approve(world, indicator):
    staff, lead, reviewer = client_for(world.staff), client_for(world.lead), client_for(world.reviewer)
    created = post(staff, URL, {"agency": "H26", "kind": "five_year", "period_start": 2021,
                                "title": "Kế hoạch ứng dụng CNTT giai đoạn 2021-2025"})
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["status"] == "draft" and plan["version"] == 1 and plan["agency"]["code"] == "000.00.00.H26"
    assert plan["period_end"] == 2025 and len(plan["sections"]) == 6 and plan["totals"]["total"] == 0
    assert {m["where"] for m in plan["missing_parts"]} >= {"sections.current_state", "tasks"}

    detail = f"{URL}{plan['id']}/"
    read = staff.get(detail).json()
    assert read["available_actions"] == [] and len(read["sections"]) == 6 and read["totals"]["total"] == 0
    assert lead.get(detail).json()["available_actions"] == ["submit"]  # the role and state allow it
    body = {"version": 1, "sections": full_sections(Plan.objects.get(pk=plan["id"])),
            "tasks": [a_task(2021), a_task(2023, category="software",
                                         budget_lines=[{"source": "oda", "amount": 250_000_000}])],
            "targets": [{"indicator": indicator.pk, "year": 2025, "value": "95.5"}]}
    edited = staff.patch(detail, body, format="json")
    assert edited.status_code == 200, edited.json()
    data = edited.json()
    assert data["version"] == 2 and data["totals"]["total"] == 2_250_000_000 and data["budget_total"] == 2_250_000_000
    assert data["totals"]["by_source"]["oda"] == 250_000_000 and data["tasks"][1]["total"] == 250_000_000
    assert data["targets"][0]["indicator_code"] == "P1.1" and data["missing_parts"] == []

    assert post(staff, f"{detail}submit/").status_code == 403  # staff may not submit
    assert post(lead, f"{detail}submit/", {"version": 2}).json()["status"] == "submitted"
    assert post(reviewer, f"{detail}start-review/").json()["status"] == "under_review"
    assert post(reviewer, f"{detail}return/").status_code == 400  # comment required
    returned = post(reviewer, f"{detail}return/", {"comment": "Bổ sung dự toán chi tiết."})
    assert returned.json()["status"] == "returned"

    fix = staff.patch(detail, {"version": returned.json()["version"], "sections": [
        {"key": "investment", "body": "Dự toán chi tiết theo từng hạng mục."}]}, format="json")
    assert fix.status_code == 200 and fix.json()["status"] == "returned"
    assert post(lead, f"{detail}submit/").json()["status"] == "submitted"
    assert post(reviewer, f"{detail}start-review/").status_code == 200
    approved = post(reviewer, f"{detail}approve/", {"decision_number": "3012/QĐ-UBND", "decision_date": "2021-06-30"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decision_date"] == "2021-06-30"

    history = staff.get(f"{detail}history/").json()
    actions = [(e["action"], e["from_status"], e["to_status"], e["actor"]) for e in history["results"]]
    assert actions == [
        ("create", "", "draft", "canbo"), ("edit", "draft", "draft", "canbo"),
        ("submit", "draft", "submitted", "lanhdao"), ("start_review", "submitted", "under_review", "thamdinh"),
        ("return", "under_review", "returned", "thamdinh"), ("edit", "returned", "returned", "canbo"),
        ("submit", "returned", "submitted", "lanhdao"), ("start_review", "submitted", "under_review", "thamdinh"),
        ("approve", "under_review", "approved", "thamdinh"),
    ]
    assert history["results"][4]["comment"] == "Bổ sung dự toán chi tiết."
    diff = staff.get(f"{detail}diff/", {"from": 5, "to": 6}).json()
    investment = next(p for p in diff["parts"] if p["key"] == "investment")
    assert investment["changed"] and {"tag": "insert", "text": "Dự toán chi tiết theo từng hạng mục."} in investment[
        "lines"]
    assert post(staff, URL, {"agency": "H26", "kind": "five_year", "period_start": 2021}).status_code == 400


def test_drafts_are_invisible_outside_scope_but_approved_plans_are_public(world):
    draft = new_plan(world)
    approved = approved_plan(world, agency=world.other, user=world.other_staff)
    for user in (world.other_staff, world.observer, world.dept_staff):
        c = client_for(user)
        assert c.get(f"{URL}{draft.pk}/").status_code == 404
        assert c.get(f"{URL}{draft.pk}/history/").status_code == 404
        assert post(c, f"{URL}{draft.pk}/submit/").status_code == 404
        assert c.patch(f"{URL}{draft.pk}/", {"version": 2}, format="json").status_code == 404
        assert c.get(f"{URL}{approved.pk}/").status_code == 200
    ids = {p["id"] for p in client_for(world.observer).get(URL).json()["results"]}
    assert ids == {approved.pk}
    for user in (world.staff, world.reviewer, world.admin):
        assert client_for(user).get(f"{URL}{draft.pk}/").status_code == 200
    # Scope with descendants: a lead of the province sees the department's drafts.
    dept = new_plan(world, agency=world.department, user=world.dept_staff)
    world.lead.with_descendants = True
    world.lead.save()
    assert client_for(world.lead).get(f"{URL}{dept.pk}/").status_code == 200
    assert client_for(world.dept_staff).get(f"{URL}{draft.pk}/").status_code == 404


def test_roles_that_see_a_plan_but_may_not_act_get_403(world):
    plan = approved_plan(world, agency=world.other, user=world.other_staff)
    observer = client_for(world.observer)
    assert observer.patch(f"{URL}{plan.pk}/", {"version": plan.version, "title": "x"}, format="json").status_code == 403
    submitted = new_plan(world)
    client_for(world.lead).post(f"{URL}{submitted.pk}/submit/", {}, format="json")
    member = client_for(world.member_reviewer)
    response = post(member, f"{URL}{submitted.pk}/start-review/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "separation of duties" in response.json()["detail"]
    assert post(client_for(world.admin), URL, {"agency": "H26", "kind": "annual", "year": 2022}).status_code == 403
    assert post(client_for(world.staff), URL, {"agency": "H29", "kind": "annual", "year": 2022}).status_code == 403


def test_wrong_state_and_stale_version_are_409(world):
    plan = new_plan(world)
    reviewer, staff = client_for(world.reviewer), client_for(world.staff)
    response = post(reviewer, f"{URL}{plan.pk}/approve/", {"decision_number": "1", "decision_date": "2021-01-05"})
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"
    assert staff.patch(f"{URL}{plan.pk}/", {"version": plan.version, "title": "A"}, format="json").status_code == 200
    stale = staff.patch(f"{URL}{plan.pk}/", {"version": plan.version, "title": "B"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["current_version"] == plan.version + 1
    assert Plan.objects.get(pk=plan.pk).title == "A"
    missing = staff.patch(f"{URL}{plan.pk}/", {"title": "C"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    assert post(client_for(world.lead), f"{URL}{plan.pk}/submit/", {"version": 1}).status_code == 409


def test_field_errors_follow_accept_language_and_nothing_is_half_saved(world):
    plan = new_plan(world, fill=False)
    staff = client_for(world.staff)
    body = {"version": plan.version, "title": "Tiêu đề mới",
            "tasks": [a_task(2021, budget_lines=[{"source": "oda", "amount": -5}]), a_task(2030)]}
    en = staff.patch(f"{URL}{plan.pk}/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    vi = staff.patch(f"{URL}{plan.pk}/", body, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert en.status_code == vi.status_code == 400
    assert set(en.json()) == {"tasks[0].budget_lines[0].amount", "tasks[1].start_date", "tasks[1].end_date"}
    assert en.json()["tasks[0].budget_lines[0].amount"] == ["Task 1: an amount cannot be negative."]
    assert vi.json()["tasks[0].budget_lines[0].amount"] != en.json()["tasks[0].budget_lines[0].amount"]
    assert "âm" in vi.json()["tasks[0].budget_lines[0].amount"][0]
    plan.refresh_from_db()
    assert plan.title != "Tiêu đề mới" and plan.version == 1 and not plan.tasks.exists()
    bad_types = staff.patch(f"{URL}{plan.pk}/", {"version": 1, "tasks": "nope", "sections": [{"key": "x"}]},
                            format="json")
    assert bad_types.status_code == 400 and set(bad_types.json()) == {"tasks", "sections"}


def test_submission_missing_sections_listed(world):
    plan = new_plan(world, fill=False)
    response = post(client_for(world.lead), f"{URL}{plan.pk}/submit/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert {"sections.current_state", "sections.objectives", "tasks"} <= set(response.json())


def test_create_validations(world):
    staff = client_for(world.staff)
    assert set(post(staff, URL, {"agency": "H26", "kind": "five_year", "period_start": 2023}).json()) == {
        "period_start"}
    assert set(post(staff, URL, {"agency": "X99", "kind": "annual", "year": 2022}).json()) == {"agency"}
    assert set(post(staff, URL, {"agency": "H26", "kind": "annual", "year": "abc"}).json()) == {"year"}
    five = approved_plan(world)
    outside = post(staff, URL, {"agency": "H26", "kind": "annual", "year": 2027, "five_year_plan": five.pk},
                   HTTP_ACCEPT_LANGUAGE="en")
    assert outside.status_code == 400 and "outside the five-year plan" in outside.json()["year"][0]
    annual = post(staff, URL, {"agency": "H26", "kind": "annual", "year": 2022})
    assert annual.status_code == 201 and annual.json()["five_year_plan"] == five.pk
    amendment = post(staff, URL, {"agency": "H26", "amends": five.pk})
    assert amendment.status_code == 201 and amendment.json()["amends"] == five.pk
    assert amendment.json()["tasks"][0]["name"] == five.tasks.get().name


def test_list_filters(world):
    a = new_plan(world)
    b = new_plan(world, kind="annual", period_start=None, year=2022)
    c = approved_plan(world, agency=world.other, user=world.other_staff, period_start=2026)
    reviewer = client_for(world.reviewer)

    def ids(**params):
        return {p["id"] for p in reviewer.get(URL, params).json()["results"]}

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(agency="H26") == ids(agency="000.00.00.H26") == {a.pk, b.pk}
    assert ids(kind="annual") == {b.pk}
    assert ids(status="approved") == {c.pk} and ids(status="draft,approved") == {a.pk, b.pk, c.pk}
    assert ids(period_start=2026) == {c.pk} and ids(period_start=2021) == {a.pk, b.pk}
    assert ids(search="ha tinh") == {c.pk}
    assert reviewer.get(URL, {"status": "bogus"}).status_code == 400
    row = next(p for p in reviewer.get(URL).json()["results"] if p["id"] == a.pk)
    assert row["budget_total"] == 2_000_000_000


def test_comments_by_reviewers_on_sections(world):
    plan = new_plan(world)
    lead, reviewer = client_for(world.lead), client_for(world.reviewer)
    assert post(reviewer, f"{URL}{plan.pk}/comments/", {"section": "objectives", "body": "x"}).status_code == 409
    post(lead, f"{URL}{plan.pk}/submit/")
    post(reviewer, f"{URL}{plan.pk}/start-review/")
    made = post(reviewer, f"{URL}{plan.pk}/comments/", {"section": "objectives", "body": "Mục tiêu cần định lượng."})
    assert made.status_code == 201 and made.json()["section"] == "objectives"
    assert post(reviewer, f"{URL}{plan.pk}/comments/", {"section": "nope", "body": "x"}).status_code == 400
    assert post(lead, f"{URL}{plan.pk}/comments/", {"section": "", "body": "x"}).status_code == 403
    listed = client_for(world.staff).get(f"{URL}{plan.pk}/comments/").json()
    assert [c["body"] for c in listed["results"]] == ["Mục tiêu cần định lượng."]


def test_unauthenticated_is_401(client):
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401


def test_schema_documents_the_plan_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in ("/api/v1/plans/", "/api/v1/plans/{id}/", "/api/v1/plans/{id}/submit/",
                 "/api/v1/plans/{id}/start-review/", "/api/v1/plans/{id}/return/", "/api/v1/plans/{id}/approve/",
                 "/api/v1/plans/{id}/withdraw/", "/api/v1/plans/{id}/history/"):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/plans/"]["get"]["parameters"]}
    assert {"agency", "kind", "status", "period_start", "search"} <= params
    assert "409" in paths["/api/v1/plans/{id}/approve/"]["post"]["responses"]
    assert "put" not in paths["/api/v1/plans/{id}/"] and "delete" not in paths["/api/v1/plans/{id}/"]
    assert PlanStatus.SUPERSEDED in str(schema["components"])
