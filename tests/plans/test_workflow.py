"""Transitions per state and role, separation of duties, events, amendments (roles.md, plan workflow)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from agencies.models import User
from govit.errors import InputRejected, in_language
from plans import services, workflow
from plans.errors import PlanConflict, PlanForbidden
from plans.models import Plan, PlanEvent, PlanStatus
from plans.selectors import approved_plan_in_force

from .conftest import approved_plan, new_plan

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "45/QĐ-UBND", "decision_date": datetime.date(2021, 7, 1)}
ACTION_ARGS = {"return": {"comment": "Bổ sung hiện trạng hạ tầng."}, "approve": DECISION}
# The state each action needs, and who may take it.
ACTIONS = {
    "submit": (PlanStatus.DRAFT, "lead"),
    "withdraw": (PlanStatus.SUBMITTED, "lead"),
    "start_review": (PlanStatus.SUBMITTED, "reviewer"),
    "return": (PlanStatus.UNDER_REVIEW, "reviewer"),
    "approve": (PlanStatus.UNDER_REVIEW, "reviewer"),
}
PATH = {
    PlanStatus.DRAFT: [],
    PlanStatus.SUBMITTED: [("submit", "lead")],
    PlanStatus.UNDER_REVIEW: [("submit", "lead"), ("start_review", "reviewer")],
    PlanStatus.RETURNED: [("submit", "lead"), ("start_review", "reviewer"), ("return", "reviewer")],
    PlanStatus.APPROVED: [("submit", "lead"), ("start_review", "reviewer"), ("approve", "reviewer")],
}
ROLES = ("staff", "lead", "dept_staff", "other_lead", "reviewer", "member_reviewer", "admin", "observer")
ALLOWED = {
    "submit": {"lead"}, "withdraw": {"lead"},
    "start_review": {"reviewer", "admin"}, "return": {"reviewer", "admin"}, "approve": {"reviewer", "admin"},
}


def plan_in(world, state) -> Plan:
    plan = new_plan(world)
    for action, who in PATH[state]:
        workflow.perform(plan.pk, action, getattr(world, who), **ACTION_ARGS.get(action, {}))
    plan.refresh_from_db()
    assert plan.status == state
    return plan


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_who_may_take_each_transition(world, action, role):
    state, _who = ACTIONS[action]
    plan = plan_in(world, state)
    user = getattr(world, role)
    if role in ALLOWED[action]:
        after = workflow.perform(plan.pk, action, user, **ACTION_ARGS.get(action, {}))
        assert after.status != state and after.version == plan.version + 1
        event = PlanEvent.objects.get(plan=plan, version=after.version)
        assert (event.actor, event.from_status, event.to_status) == (user, state, after.status)
    else:
        with pytest.raises(PlanForbidden):
            workflow.perform(plan.pk, action, user, **ACTION_ARGS.get(action, {}))
        plan.refresh_from_db()
        assert plan.status == state


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("state", sorted(PATH))
def test_transitions_only_from_their_states(world, action, state):
    expected_from, who = ACTIONS[action]
    allowed_from = {expected_from} | ({PlanStatus.RETURNED} if action == "submit" else set())
    plan = plan_in(world, state)
    user = getattr(world, who)
    if state in allowed_from:
        assert workflow.perform(plan.pk, action, user, **ACTION_ARGS.get(action, {})).status != state
    else:
        with pytest.raises(PlanConflict) as exc:
            workflow.perform(plan.pk, action, user, **ACTION_ARGS.get(action, {}))
        assert exc.value.code == "invalid_state"
        assert plan.events.count() == Plan.objects.get(pk=plan.pk).version  # nothing recorded


def test_separation_of_duties_covers_descendant_memberships(world):
    plan = new_plan(world, agency=world.department, user=world.dept_staff)
    dept_lead = User.objects.create(username="so.lanhdao", role="agency_lead", agency=world.department)
    workflow.perform(plan.pk, "submit", dept_lead)
    world.member_reviewer.with_descendants = True
    world.member_reviewer.save()
    with pytest.raises(PlanForbidden) as exc:
        workflow.perform(plan.pk, "start_review", world.member_reviewer)
    assert "separation of duties" in in_language(exc.value.message, "en")


def test_return_needs_a_comment_and_approve_a_decision(world):
    plan = plan_in(world, PlanStatus.UNDER_REVIEW)
    with pytest.raises(InputRejected) as exc:
        workflow.perform(plan.pk, "return", world.reviewer, comment="   ")
    assert [e.where for e in exc.value.errors] == ["comment"]
    with pytest.raises(InputRejected) as exc:
        workflow.perform(plan.pk, "approve", world.reviewer, decision_date="31/02/2021")
    assert [e.where for e in exc.value.errors] == ["decision_number", "decision_date"]
    with pytest.raises(InputRejected):
        workflow.perform(plan.pk, "approve", world.reviewer, decision_number="1/QĐ",
                         decision_date=datetime.date.today() + datetime.timedelta(days=3))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.UNDER_REVIEW and plan.decision_number == ""


def test_submission_lists_empty_required_sections(world):
    plan = new_plan(world, fill=False)
    services.update_plan(plan.pk, world.staff, {"sections": [{"key": "current_state", "body": "Có nội dung"}]},
                         plan.version)
    with pytest.raises(InputRejected) as exc:
        workflow.perform(plan.pk, "submit", world.lead)
    assert {e.where for e in exc.value.errors} == {"sections.objectives", "sections.tasks_solutions",
                                                   "sections.investment", "sections.implementation",
                                                   "sections.effectiveness", "tasks"}
    assert any("Mục tiêu" in in_language(e.message, "vi") for e in exc.value.errors)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_stale_version_on_a_transition_is_a_conflict(world):
    plan = plan_in(world, PlanStatus.SUBMITTED)
    with pytest.raises(PlanConflict) as exc:
        workflow.perform(plan.pk, "start_review", world.reviewer, version=plan.version - 1)
    assert exc.value.code == "stale_version" and exc.value.current_version == plan.version


def test_stale_edit_is_a_conflict_and_saves_nothing(world):
    plan = new_plan(world)
    services.update_plan(plan.pk, world.lead, {"title": "Bản của lãnh đạo"}, plan.version)
    with pytest.raises(PlanConflict) as exc:
        services.update_plan(plan.pk, world.staff, {"title": "Bản của cán bộ"}, plan.version)
    assert exc.value.code == "stale_version"
    assert "lanhdao" in in_language(exc.value.message, "en")
    assert Plan.objects.get(pk=plan.pk).title == "Bản của lãnh đạo"


@pytest.mark.parametrize("state", sorted(PATH))
def test_only_draft_or_returned_plans_are_edited(world, state):
    plan = plan_in(world, state)
    if state in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        plan, changed = services.update_plan(plan.pk, world.staff, {"title": "Tiêu đề mới"}, plan.version)
        assert changed and plan.title == "Tiêu đề mới" and plan.status == state
    else:
        with pytest.raises(PlanConflict) as exc:
            services.update_plan(plan.pk, world.staff, {"title": "Tiêu đề mới"}, plan.version)
        assert exc.value.code == "invalid_state"
        assert Plan.objects.get(pk=plan.pk).title != "Tiêu đề mới"


def test_approved_plan_cannot_be_edited(world):
    plan = approved_plan(world)
    with pytest.raises(PlanConflict) as exc:
        services.update_plan(plan.pk, world.staff, {"title": "x"}, plan.version)
    assert exc.value.code == "invalid_state"


def test_second_approved_plan_for_the_same_years_is_refused(world):
    first = approved_plan(world)
    with pytest.raises(InputRejected) as exc:  # at creation: amend instead
        new_plan(world)
    assert [e.where for e in exc.value.errors] == ["amends"]
    # A second plan that got past creation (written straight to the database) is refused at approval...
    second = Plan.objects.create(agency=first.agency, kind=first.kind, period_start=first.period_start,
                                 basis=first.basis, title="Bản thứ hai", status=PlanStatus.UNDER_REVIEW)
    with pytest.raises(PlanConflict) as exc:
        workflow.perform(second.pk, "approve", world.reviewer, **DECISION)
    assert exc.value.code == "already_approved"
    # ... and the database itself refuses two approved plans for the same agency and years.
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=second.pk).update(status=PlanStatus.APPROVED)
    assert Plan.objects.filter(status=PlanStatus.APPROVED).get() == first


def test_amendment_lifecycle(world):
    original = approved_plan(world)
    assert approved_plan_in_force(world.province, datetime.date(2022, 1, 1)) == original
    amendment = services.create_plan(world.staff, services.NewPlan(agency=world.province, amends=original))
    assert (amendment.kind, amendment.period_start, amendment.status) == ("five_year", 2021, PlanStatus.DRAFT)
    assert amendment.tasks.count() == original.tasks.count() == 1  # content copied
    with pytest.raises(InputRejected):  # one amendment in progress at a time
        services.create_plan(world.staff, services.NewPlan(agency=world.province, amends=original))
    amendment, _ = services.update_plan(amendment.pk, world.staff, {
        "sections": [{"key": "objectives", "body": "Mục tiêu điều chỉnh"}]}, amendment.version)
    workflow.perform(amendment.pk, "submit", world.lead)
    workflow.perform(amendment.pk, "start_review", world.reviewer)
    original.refresh_from_db()
    assert original.status == PlanStatus.APPROVED  # stays in force until the amendment is approved
    workflow.perform(amendment.pk, "return", world.reviewer, comment="Làm rõ mục tiêu")
    workflow.perform(amendment.pk, "submit", world.lead)
    workflow.perform(amendment.pk, "start_review", world.reviewer)
    approved = workflow.perform(amendment.pk, "approve", world.reviewer, decision_number="9/QĐ-UBND",
                                decision_date=datetime.date(2023, 3, 1))
    original.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED and original.status == PlanStatus.SUPERSEDED
    assert original.superseded_on == datetime.date(2023, 3, 1)
    assert original.events.last().action == "supersede"
    assert approved_plan_in_force(world.province, datetime.date(2022, 12, 31)) == original
    assert approved_plan_in_force(world.province, datetime.date(2023, 3, 1)) == approved
    assert approved_plan_in_force(world.province, datetime.date(2026, 1, 1)) is None
    with pytest.raises(InputRejected):  # a superseded plan cannot be amended again
        services.create_plan(world.staff, services.NewPlan(agency=world.province, amends=original))


def test_plan_in_force_starts_with_its_decision(world):
    plan = approved_plan(world)
    assert approved_plan_in_force(world.province, plan.decision_date - datetime.timedelta(days=1)) is None
    assert approved_plan_in_force(world.province, plan.decision_date) == plan
    assert approved_plan_in_force(world.other, plan.decision_date) is None


def test_annual_plan_approval_links_the_five_year_plan_in_force(world):
    annual = new_plan(world, kind="annual", period_start=None, year=2022)
    assert annual.five_year_plan is None
    five = approved_plan(world)
    workflow.perform(annual.pk, "submit", world.lead)
    workflow.perform(annual.pk, "start_review", world.reviewer)
    annual = workflow.perform(annual.pk, "approve", world.reviewer, **DECISION)
    assert annual.five_year_plan == five


def test_available_actions(world):
    plan = plan_in(world, PlanStatus.SUBMITTED)
    assert workflow.available_actions(plan, world.lead) == ["withdraw"]
    assert workflow.available_actions(plan, world.reviewer) == ["start_review"]
    assert workflow.available_actions(plan, world.member_reviewer) == []
    assert workflow.available_actions(plan, world.staff) == []
