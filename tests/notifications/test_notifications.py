"""In-app notifications: once per event and recipient, in the reader's language, only for the recipient."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from govit.i18n import _
from notifications.models import Notification, NotificationKind
from notifications.selectors import unread_count
from notifications.services import notify
from plans import workflow
from tests.plans.conftest import new_plan

pytestmark = pytest.mark.django_db


def test_a_returned_plan_notifies_the_agency_people_once(world, returned_plan):
    rows = Notification.objects.filter(kind=NotificationKind.PLAN_RETURNED)
    # Hà Nội's staff and lead; not the department's staff (scope without descendants upwards), not Hà Tĩnh's,
    # not the reviewers.
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["canbo", "lanhdao"]
    assert {n.url for n in rows} == {reverse("plan-detail", args=[returned_plan.pk])}
    assert "Bổ sung mục tiêu năm 2025" in rows[0].text


def test_a_rolled_back_return_notifies_nobody(world, django_capture_on_commit_callbacks):
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    workflow.perform(plan.pk, "start_review", world.reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.perform(plan.pk, "return", world.reviewer, comment="Sửa lại")
    assert callbacks and not Notification.objects.exists()


def test_notify_is_idempotent_per_event_and_recipient(world, returned_plan):
    before = Notification.objects.count()
    written = notify([world.staff, world.other_staff], NotificationKind.PLAN_RETURNED,
                     f"plan:{returned_plan.pk}:v{returned_plan.version}", _("Value rejected"))
    assert written == 1  # only Hà Tĩnh's staff, who had not been told of this event
    assert Notification.objects.count() == before + 1


def test_the_text_is_rendered_in_the_readers_language(world, returned_plan):
    n = Notification.objects.get(recipient=world.staff)
    with translation.override("vi"):
        vi = n.text
    with translation.override("en"):
        en = n.text
    assert en.startswith("Plan “") and "returned for changes" in en
    assert vi != en and "trả lại" in vi


def test_unread_count_in_the_header_and_mark_read(client, world, returned_plan):
    client.force_login(world.staff)
    page = client.get(reverse("home"))
    assert b'data-testid="unread-count"' in page.content and unread_count(world.staff) == 1
    n = Notification.objects.get(recipient=world.staff)
    answer = client.post(reverse("notification-read", args=[n.pk]), {"open": "1"})
    assert answer.status_code == 302 and answer["Location"] == n.url
    assert unread_count(world.staff) == 0 and unread_count(world.lead) == 1
    assert b'data-testid="unread-count"' not in client.get(reverse("home")).content


def test_mark_read_needs_post_with_csrf(world, returned_plan):
    n = Notification.objects.get(recipient=world.staff)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.staff)
    assert strict.get(reverse("notification-read", args=[n.pk])).status_code == 405
    assert strict.post(reverse("notification-read", args=[n.pk])).status_code == 403
    assert unread_count(world.staff) == 1


def test_only_the_recipient_sees_or_marks_a_notification(client, world, returned_plan):
    n = Notification.objects.get(recipient=world.staff)
    client.force_login(world.other_staff)
    assert client.post(reverse("notification-read", args=[n.pk])).status_code == 404
    assert n.text not in client.get(reverse("notification-list")).content.decode()
    client.force_login(world.lead)
    assert client.post(reverse("notification-read", args=[n.pk])).status_code == 404
    assert unread_count(world.staff) == 1


def test_htmx_mark_read_answers_the_row(client, world, returned_plan):
    n = Notification.objects.get(recipient=world.staff)
    client.force_login(world.staff)
    answer = client.post(reverse("notification-read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and f'id="notification-{n.pk}"'.encode() in answer.content
    assert b"unread" not in answer.content.split(b">")[0]
