"""A rejected value notifies the agency's people; a finished run notifies who asked for it (and nobody else)."""

import pytest

from assessments.scores import runs
from assessments.values.services import import_values, reject_value, save_value, submit_value
from notifications.models import Notification, NotificationKind
from tests.values.conftest import VALUES_CSV, agencies, framework, period  # noqa: F401 - shared fixtures
from tests.values.web.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def vworld(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_a_rejected_value_notifies_its_agency_once(vworld, django_capture_on_commit_callbacks):
    w = vworld
    value = save_value(w.staff, w.province, w.ind["HT.01"], w.period, value="60")
    value = submit_value(w.lead, value)
    with django_capture_on_commit_callbacks(execute=True):
        reject_value(w.reviewer, value, "Thiếu minh chứng")
    rows = Notification.objects.filter(kind=NotificationKind.VALUE_REJECTED)
    # Hà Nội's staff, lead and the staff whose scope includes descendants; nobody of Hồ Chí Minh, no reviewer
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["canbo", "canbo_rong", "lanhdao"]
    link = rows.first().url
    assert link.startswith("/values/entry/?") and f"agency={w.province.pk}" in link and "period=2024" in link
    assert "Thiếu minh chứng" in rows.first().text


def test_a_finished_run_notifies_the_user_who_asked_for_it(agencies, framework, period,  # noqa: F811
                                                           make_user, django_capture_on_commit_callbacks):
    import_values(VALUES_CSV, "SAMPLE", 2024, status="verified")
    reviewer = make_user("thamdinh", "reviewer")
    with django_capture_on_commit_callbacks(execute=False):  # not handed to a worker: executed below
        run, _created = runs.request_run(framework, period, user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        runs.execute_run(run.pk)
    mine = Notification.objects.get(kind=NotificationKind.RUN_FINISHED)
    assert mine.recipient == reviewer and mine.event_key == f"run:{run.pk}"
    run.refresh_from_db()
    assert "SAMPLE 2024" in mine.text and f"{run.agencies_count} " in mine.text and run.agencies_count > 0
    with django_capture_on_commit_callbacks(execute=False):
        system_run, _created = runs.request_run(framework, period, reason="import")
    with django_capture_on_commit_callbacks(execute=True):
        runs.execute_run(system_run.pk)
    assert Notification.objects.count() == 1  # a run nobody asked for notifies nobody
