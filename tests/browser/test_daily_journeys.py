"""A staff member's day and a reviewer's day, starting on the home inbox, at 1366 and 390 px; screenshots in
artifacts/screens/ (gitignored)."""

from pathlib import Path

import pytest

from assessments.values.services import reject_value, save_value, submit_value
from plans import workflow
from tests.browser.conftest import log_in
from tests.plans.conftest import new_plan
from tests.values.web.conftest import build_world

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"
WIDTHS = (1366, 390)


@pytest.fixture
def day(transactional_db, settings, tmp_path):
    """Hà Nội with a rejected value, a submitted one, a returned five-year plan and a submitted annual plan."""
    from govit.celery import app

    settings.MEDIA_ROOT = tmp_path
    app.conf.task_always_eager = True
    try:
        w = build_world()
        w.other_lead = w.lead
        rejected = submit_value(w.lead, save_value(w.staff, w.province, w.ind["HT.01"], w.period, value="60"))
        submit_value(w.lead, save_value(w.staff, w.province, w.ind["AT.01"], w.period, value="3"))
        reject_value(w.reviewer, rejected, "Thiếu minh chứng: quyết định phê duyệt")
        w.plan = new_plan(w, period_start=2021)
        workflow.perform(w.plan.pk, "submit", w.lead)
        workflow.perform(w.plan.pk, "start_review", w.reviewer)
        workflow.perform(w.plan.pk, "return", w.reviewer, comment="Bổ sung kinh phí")
        workflow.perform(new_plan(w, kind="annual", period_start=2021, year=2022).pk, "submit", w.lead)
    finally:
        app.conf.task_always_eager = False
    return w


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_day_starts_on_the_inbox(day, live_server, page, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "canbo")
    assert page.get_by_test_id("unread-count").inner_text() == "2"  # the returned plan and the rejected value
    assert "Bổ sung kinh phí" not in page.get_by_test_id("returned-plan").inner_text()  # the title, not the comment
    rejected = page.get_by_test_id("rejected-value")
    assert "Thiếu minh chứng" in rejected.inner_text()
    assert "SAMPLE 2024" in page.get_by_test_id("inbox-due").inner_text()
    assert "ngày" in page.get_by_test_id("due-item").first.inner_text()  # days left, in Vietnamese
    assert _fits(page)
    page.screenshot(path=str(SCREENS / f"home-staff-{width}.png"), full_page=True)
    rejected.get_by_role("link").click()
    page.wait_for_url(f"**/values/entry/?*agency={day.province.pk}*")
    page.go_back()
    page.get_by_test_id("returned-plan").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/plans/{day.plan.pk}/")
    page.get_by_test_id("notifications-link").click()
    page.get_by_test_id("notification-open").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.screenshot(path=str(SCREENS / f"notifications-staff-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_reviewer_day_starts_on_the_inbox(day, live_server, page, width):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "thamdinh")
    items = page.get_by_test_id("waiting-item")
    assert items.count() == 2
    texts = [items.nth(i).inner_text() for i in range(2)]
    assert texts[0].startswith("SAMPLE 2024") and ": 1" in texts[0]  # the value still submitted
    assert ": 1" in texts[1]  # the annual plan
    assert page.get_by_test_id("inbox-returned").count() == 0
    assert _fits(page)
    page.screenshot(path=str(SCREENS / f"home-reviewer-{width}.png"), full_page=True)
    items.nth(0).get_by_role("link").click()
    page.wait_for_url("**/values/review/?*")
    page.go_back()
    page.get_by_test_id("waiting-item").nth(1).get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/plans/review/")
