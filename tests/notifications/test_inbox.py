"""The home inbox per role: only the user's scope, observers only published figures."""

import datetime

import pytest
from django.urls import reverse

from assessments.catalog.periods import create_period
from assessments.values.services import reject_value, save_value, submit_value
from notifications import inbox
from plans import workflow
from tests.plans.conftest import new_plan
from tests.values.web.conftest import build_world

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def w(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = build_world()
    w.other_lead = w.staff_other  # new_plan's other agency's user
    for agency, staff, lead, code in ((w.province, w.staff, w.lead, "HT.01"), (w.other, w.staff_other, None, "HT.01")):
        value = save_value(staff, agency, w.ind[code], w.period, value="60")
        if lead:
            reject_value(w.reviewer, submit_value(lead, value), f"Thiếu minh chứng {agency.code}")
        save_value(staff, agency, w.ind["AT.01"], w.period, value="10")
    w.hn_plan = _returned(w, new_plan(w, agency=w.province, user=w.staff), w.lead)
    return w


def _returned(w, plan, lead):
    workflow.perform(plan.pk, "submit", lead)
    workflow.perform(plan.pk, "start_review", w.reviewer)
    return workflow.perform(plan.pk, "return", w.reviewer, comment="Sửa mục tiêu")


def test_staff_inbox_shows_only_their_agency(w):
    ctx = inbox.home_context(w.staff, TODAY)
    assert [r["value"].agency for r in ctx["rejected_values"]] == [w.province]
    assert ctx["rejected_values"][0]["url"].startswith("/values/entry/?")
    assert list(ctx["returned_plans"]) == [w.hn_plan]
    assert [(d["agency"], d["count"]) for d in ctx["draft_values"]] == [(w.province.name_vi, 1)]
    period_due = next(d for d in ctx["due"] if d.label == "SAMPLE 2024")
    assert period_due.days_left == 30 and not period_due.overdue
    assert ctx["waiting"] == []
    other = inbox.home_context(w.staff_other, TODAY)
    assert other["rejected_values"] == [] and list(other["returned_plans"]) == []
    assert [d["agency"] for d in other["draft_values"]] == [w.other.name_vi]


def test_a_passed_deadline_is_overdue_in_red_with_words(w, client):
    create_period("SAMPLE", 2023, deadline=TODAY - datetime.timedelta(days=3))
    client.force_login(w.staff)
    page = client.get(reverse("home")).content.decode()
    assert 'class="overdue"' in page and "overdue-text" in page
    due = next(d for d in inbox.due_items(w.staff, TODAY) if d.label == "SAMPLE 2023")
    assert due.overdue and due.days_late == 3


def test_reviewer_inbox_counts_what_waits_outside_their_own_agency(w):
    value = save_value(w.staff_other, w.other, w.ind["AT.01"], w.period, value="5", expected_version=1)
    lead_other = build_lead(w)
    submit_value(lead_other, value)
    plan = new_plan(w, agency=w.other, user=w.staff_other)
    workflow.perform(plan.pk, "submit", lead_other)
    waiting = {str(x.label): x.count for x in inbox.review_waiting(w.reviewer)}
    assert waiting == {"SAMPLE 2024": 1, "Kế hoạch": 1} or waiting == {"SAMPLE 2024": 1, "Plans": 1}
    # the reviewer who belongs to Hồ Chí Minh never reviews it (separation of duties)
    member = build_member_reviewer(w)
    assert inbox.review_waiting(member) == []
    assert inbox.home_context(w.reviewer, TODAY)["rejected_values"] == []


def test_observer_sees_no_unpublished_work(w, client):
    ctx = inbox.home_context(w.observer, TODAY)
    assert not any([ctx["due"], ctx["rejected_values"], list(ctx["returned_plans"]), list(ctx["draft_plans"]),
                    ctx["draft_values"], ctx["waiting"], ctx["figures"]])
    client.force_login(w.observer)
    page = client.get(reverse("home")).content.decode()
    assert "Thiếu minh chứng" not in page and "inbox-returned" not in page and "inbox-figures" in page


def build_lead(w):
    from agencies.users import create_user

    return create_user("lanhdao_hcm", "agency_lead", w.other.code, password="Correct-horse-9")[0]


def build_member_reviewer(w):
    from agencies.users import create_user

    return create_user("thamdinh_hcm", "reviewer", w.other.code, password="Correct-horse-9")[0]
