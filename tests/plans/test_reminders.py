"""Deadline reminders: sent 30 and 7 days before and after the due date, once each; filing selectors."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from plans import workflow
from plans.deadlines import default_due_date, due_date
from plans.models import PlanDeadline, PlanReminder
from plans.selectors import filed_on_time, filing_status
from plans.tasks import send_plan_reminders

from .conftest import new_plan

pytestmark = pytest.mark.django_db


def test_default_deadlines():
    assert default_due_date("annual", 2027) == datetime.date(2026, 12, 31)
    assert default_due_date("five_year", 2026) == datetime.date(2026, 6, 30)


def test_configured_deadline_wins(db):
    PlanDeadline.objects.create(kind="annual", year=2027, due_date=datetime.date(2026, 11, 15))
    assert due_date("annual", 2027) == datetime.date(2026, 11, 15)
    assert due_date("annual", 2028) == datetime.date(2027, 12, 31)


def test_reminders_before_and_after_the_deadline_are_sent_once(world):
    # Annual plan for 2027: due 31/12/2026. 30 days before: 01/12/2026.
    first = send_plan_reminders("2026-12-01")
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Leads and staff of every agency with users: Hà Nội (2), its department (1), Hà Tĩnh (2).
    assert first["sent"] == 5 and len(mail.outbox) == 5
    assert recipients == sorted(["canbo@example.gov.vn", "lanhdao@example.gov.vn", "so.canbo@example.gov.vn",
                                 "hatinh.canbo@example.gov.vn", "hatinh.lanhdao@example.gov.vn"])
    message = mail.outbox[0]
    assert "31/12/2026" in message.subject and "2027" in message.body
    assert "Kế hoạch hằng năm" in message.subject and "Annual plan" in message.subject  # Vietnamese, then English
    assert message.body.index("kế hoạch hằng năm") < message.body.index("annual plan")
    assert send_plan_reminders("2026-12-01")["already_sent"] == 5 and len(mail.outbox) == 5
    assert send_plan_reminders("2026-12-05")["sent"] == 0 and len(mail.outbox) == 5  # same window: still once
    assert send_plan_reminders("2026-12-24")["sent"] == 5  # 7 days before
    assert send_plan_reminders("2027-01-03")["sent"] == 5  # after the deadline
    assert send_plan_reminders("2027-01-20")["sent"] == 0
    kinds = set(PlanReminder.objects.values_list("reminder", flat=True))
    assert kinds == {"before_30", "before_7", "overdue"} and PlanReminder.objects.count() == 15


def test_agencies_that_filed_are_not_reminded(world):
    plan = new_plan(world, kind="annual", period_start=None, year=2027)
    workflow.perform(plan.pk, "submit", world.lead)
    send_plan_reminders("2026-12-24")
    assert not [m for m in mail.outbox if m.to[0] in ("canbo@example.gov.vn", "lanhdao@example.gov.vn")]
    assert [m for m in mail.outbox if m.to[0] == "hatinh.lanhdao@example.gov.vn"]


def test_users_without_email_or_inactive_are_skipped(world):
    world.staff.email = ""
    world.staff.save()
    world.lead.is_active = False
    world.lead.save()
    send_plan_reminders("2026-12-01")
    assert not [m for m in mail.outbox if m.to[0] in ("canbo@example.gov.vn", "lanhdao@example.gov.vn")]


def test_filing_status_and_filed_on_time(world, monkeypatch):
    plan = new_plan(world, kind="annual", period_start=None, year=2027)
    # Not filed, before the due date: pending; after: missing.
    assert filing_status(world.province, "annual", 2027, today=datetime.date(2026, 12, 1)) == "pending"
    assert filing_status(world.province, "annual", 2027, today=datetime.date(2027, 1, 2)) == "missing"
    assert not filed_on_time(world.province, "annual", 2027)
    late = timezone.make_aware(datetime.datetime(2027, 1, 5, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: late)
    workflow.perform(plan.pk, "submit", world.lead)
    assert filing_status(world.province, "annual", 2027) == "late" and not filed_on_time(world.province, "annual", 2027)
    # Withdrawn and submitted again: the filing is the new submission.
    workflow.perform(plan.pk, "withdraw", world.lead)
    assert filing_status(world.province, "annual", 2027, today=datetime.date(2027, 1, 6)) == "missing"


def test_filed_on_time(world, monkeypatch):
    plan = new_plan(world, kind="annual", period_start=None, year=2027)
    early = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 30))
    monkeypatch.setattr(timezone, "now", lambda: early)
    workflow.perform(plan.pk, "submit", world.lead)
    assert filed_on_time(world.province, "annual", 2027)
    assert not filed_on_time(world.other, "annual", 2027)
