"""Issue 11 hardening of plans: numbers in addresses, text fields given as lists or numbers, the section
cap (and a plan at the cap still prints), and 409 bodies that say where the plan is now."""

import datetime
import io

import pytest
from pypdf import PdfReader

from plans import exports, services, workflow
from plans.content import MAX_SECTION
from plans.models import Plan, PlanStatus

from .conftest import client_for, new_plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/plans/"
HUGE = "9" * 40
NOT_TEXT = [["a", "b"], {"x": 1}, 123, True]


def under_review(world) -> Plan:
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    return workflow.perform(plan.pk, "start_review", world.reviewer)


# 4c: numbers of addresses and forms

@pytest.mark.parametrize("query", [f"to={HUGE}", f"from={HUGE}", "to=²", "to=-1", "to=abc", "from=1.5"])
def test_diff_page_refuses_a_version_that_is_no_whole_number_with_400(world, as_user, query):
    plan = new_plan(world)
    response = as_user(world.staff).get(f"/plans/{plan.pk}/diff/?{query}")
    assert response.status_code == 400
    assert 'data-testid="error-message"' in response.content.decode()


def test_diff_page_answers_404_for_a_version_the_plan_does_not_have(world, as_user):
    plan = new_plan(world)
    assert as_user(world.staff).get(f"/plans/{plan.pk}/diff/?to=999999999999999999").status_code == 404
    assert as_user(world.staff).get(f"/plans/{plan.pk}/diff/?from=1&to={plan.version}").status_code == 200


@pytest.mark.parametrize("query", [f"to={HUGE}", "from=²", "to=-3", "to=x"])
def test_diff_api_refuses_a_bad_version_with_400_naming_it(world, query):
    plan = new_plan(world)
    response = client_for(world.staff).get(f"{URL}{plan.pk}/diff/?{query}")
    assert response.status_code == 400 and set(response.json()) == {query.split("=")[0]}


@pytest.mark.parametrize("field", ["agency", "period_start", "year"])
@pytest.mark.parametrize("raw", [HUGE, "²", "-5"])
def test_create_form_with_a_bad_number_is_a_message_not_a_500(world, as_user, field, raw):
    kind = "five_year" if field == "period_start" else "annual"
    post = {"agency": str(world.province.pk), "kind": kind, "year": "2022", "period_start": "2021", field: raw}
    response = as_user(world.staff).post("/plans/new/", post)
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert not Plan.objects.exists()


def test_editor_with_a_superscript_indicator_shows_the_error(world, as_user):
    plan = new_plan(world, period_start=2026)
    post = {"version": str(plan.version), "title": plan.title, "target-0-indicator": "²", "target-0-2026": "5"}
    assert as_user(world.staff).post(f"/plans/{plan.pk}/edit/", post).status_code == 400


# 7b: text fields given as something else

def _assert_named_400(response, field: str):
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_decision_number_must_be_text(world, bad):
    plan = under_review(world)
    response = client_for(world.reviewer).post(f"{URL}{plan.pk}/approve/", {
        "decision_number": bad, "decision_date": "2021-08-01"}, format="json")
    _assert_named_400(response, "decision_number")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.UNDER_REVIEW and plan.decision_number == ""


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_return_comment_must_be_text(world, bad):
    plan = under_review(world)
    response = client_for(world.reviewer).post(f"{URL}{plan.pk}/return/", {"comment": bad}, format="json")
    _assert_named_400(response, "comment")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.UNDER_REVIEW


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_review_comment_body_must_be_text(world, bad):
    plan = under_review(world)
    response = client_for(world.reviewer).post(f"{URL}{plan.pk}/comments/", {"section": "objectives", "body": bad},
                                               format="json")
    _assert_named_400(response, "body")
    assert not plan.comments.exists()


@pytest.mark.parametrize("bad", NOT_TEXT)
@pytest.mark.parametrize("patch, field", [
    (lambda bad: {"title": bad}, "title"),
    (lambda bad: {"sections": [{"key": "objectives", "body": bad}]}, "sections[0].body"),
    (lambda bad: {"tasks": [{"owner_unit": bad, "name": "Cổng dịch vụ công", "start_date": "2021-02-01",
                             "end_date": "2021-03-01", "category": "infrastructure", "budget_lines": []}]},
     "tasks[0].owner_unit"),
    (lambda bad: {"tasks": [{"owner_unit": "Sở TT&TT", "name": bad, "start_date": "2021-02-01",
                             "end_date": "2021-03-01", "category": "infrastructure", "budget_lines": []}]},
     "tasks[0].name"),
])
def test_plan_text_fields_must_be_text(world, bad, patch, field):
    plan = new_plan(world)
    response = client_for(world.staff).patch(f"{URL}{plan.pk}/", {"version": plan.version, **patch(bad)},
                                             format="json")
    _assert_named_400(response, field)
    assert Plan.objects.get(pk=plan.pk).version == plan.version


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_new_plan_title_must_be_text(world, bad):
    response = client_for(world.staff).post(URL, {"agency": world.province.code, "kind": "annual", "year": 2022,
                                                  "title": bad}, format="json")
    _assert_named_400(response, "title")
    assert not Plan.objects.exists()


# 5b: the section cap, and a plan at the cap prints

def _long_text(n: int) -> str:
    paragraph = "Nâng cấp hạ tầng công nghệ thông tin, kết nối liên thông các hệ thống của tỉnh. " * 8 + "\n"
    return (paragraph * (n // len(paragraph) + 1))[:n]


def test_a_section_over_the_cap_is_refused_through_the_api(world):
    plan = new_plan(world)
    response = client_for(world.staff).patch(f"{URL}{plan.pk}/", {
        "version": plan.version, "sections": [{"key": "objectives", "body": _long_text(MAX_SECTION + 1)}]},
        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "50,000 characters" in response.json()["sections.objectives"][0]
    assert Plan.objects.get(pk=plan.pk).version == plan.version


@pytest.mark.parametrize("path", ["edit", "autosave"])
def test_a_section_over_the_cap_is_refused_by_the_editor_and_autosave(world, as_user, path):
    plan = new_plan(world)
    post = {"version": str(plan.version), "title": plan.title, "section-objectives": _long_text(MAX_SECTION + 1)}
    client = as_user(world.staff)
    client.cookies["django_language"] = "en"
    response = client.post(f"/plans/{plan.pk}/{path}/", post)
    assert response.status_code == 400 and "50,000 characters" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_a_plan_with_every_section_at_the_cap_renders_its_pdf(world):
    plan = new_plan(world)
    bodies = [{"key": s.key, "body": _long_text(MAX_SECTION)} for s in plan.sections.all()]
    plan, _ = services.update_plan(plan.pk, world.staff, {"sections": bodies}, plan.version)
    reader = PdfReader(io.BytesIO(exports.plan_pdf(plan)))
    assert len(reader.pages) > 10 * len(bodies) // 2
    assert "kết nối liên thông" in reader.pages[-2].extract_text() + reader.pages[3].extract_text()


# 7c: 409 bodies say where the plan is now

def _assert_conflict(response, plan: Plan):
    body = response.json()
    assert response.status_code == 409, body
    plan.refresh_from_db()
    assert body["current_version"] == plan.version and body["status"] == plan.status
    assert body["detail_vi"] and body["detail_en"] and body["detail_vi"] != body["detail_en"]


def test_stale_patch_409_carries_version_status_and_both_languages(world):
    plan = new_plan(world)
    staff = client_for(world.staff)
    assert staff.patch(f"{URL}{plan.pk}/", {"version": plan.version, "title": "A"}, format="json").status_code == 200
    _assert_conflict(staff.patch(f"{URL}{plan.pk}/", {"version": plan.version, "title": "B"}, format="json"), plan)


def test_illegal_transition_409_carries_version_and_status(world):
    plan = new_plan(world)
    response = client_for(world.reviewer).post(f"{URL}{plan.pk}/approve/", {
        "decision_number": "1/QĐ", "decision_date": "2021-01-05"}, format="json")
    _assert_conflict(response, plan)
    assert response.json()["status"] == PlanStatus.DRAFT


def test_a_second_approval_409_carries_the_approved_version(world):
    plan = under_review(world)
    body = {"decision_number": "5/QĐ-UBND", "decision_date": datetime.date(2021, 9, 1).isoformat()}
    assert client_for(world.reviewer).post(f"{URL}{plan.pk}/approve/", body, format="json").status_code == 200
    late = client_for(world.reviewer2).post(f"{URL}{plan.pk}/approve/", body, format="json")
    _assert_conflict(late, plan)
    assert late.json()["status"] == PlanStatus.APPROVED
