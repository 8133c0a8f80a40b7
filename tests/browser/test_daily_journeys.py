"""A staff member's day (home inbox → the rejected value in the entry grid → fixed → the lead submits it) and a
reviewer's day (home inbox → the review queue → verify → the ranking's verified share moves), at 1366 and
390 px; screenshots in artifacts/screens/ (gitignored)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

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
    fixed = page.locator("[data-testid=row][data-indicator='HT.01']")
    fixed.locator("[data-testid=value]").fill("85")
    page.get_by_test_id("save").click()
    expect(fixed.locator("[data-testid=status]")).to_have_attribute("data-status", "draft")
    assert _fits(page)
    page.screenshot(path=str(SCREENS / f"entry-staff-{width}.png"), full_page=True)
    entry = page.url
    page.goto(live_server.url + "/")
    page.get_by_test_id("returned-plan").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/plans/{day.plan.pk}/")
    page.get_by_test_id("notifications-link").click()
    page.get_by_test_id("notification-open").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.screenshot(path=str(SCREENS / f"notifications-staff-{width}.png"), full_page=True)
    # The lead submits the fixed pillar.
    page.context.clear_cookies()
    log_in(page, live_server.url, "lanhdao")
    page.goto(entry)
    page.get_by_test_id("submit-pillar").click()
    expect(page.locator("[data-testid=row][data-indicator='HT.01'] [data-testid=status]")).to_have_attribute(
        "data-status", "submitted")
    assert day.period.values.get(agency=day.province, indicator__code="HT.01").value_decimal == 85


@pytest.mark.parametrize("width", WIDTHS)
def test_reviewer_day_starts_on_the_inbox(day, live_server, page, width):
    from govit.celery import app

    SCREENS.mkdir(parents=True, exist_ok=True)
    ranking = f"{live_server.url}/scores/?framework=SAMPLE&period=2024&group=provincial"
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
    page.get_by_test_id("waiting-item").nth(1).get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/plans/review/")
    page.go_back()
    page.goto(ranking)
    before = page.locator(f"[data-testid=ranking-table] tr:has-text('{day.province.name_vi}')").inner_text()
    page.goto(live_server.url + "/")
    page.get_by_test_id("waiting-item").nth(0).get_by_role("link").click()
    page.wait_for_url("**/values/review/?*")
    app.conf.task_always_eager = True  # the recompute a verification asks for runs at commit, in this process
    try:
        page.locator("[data-testid=queue-row][data-indicator='AT.01'] [data-testid=verify]").click()
        expect(page.locator("[data-testid=outcome][data-ok=true]")).to_contain_text("AT.01")
    finally:
        app.conf.task_always_eager = False
    page.goto(ranking)
    after = page.locator(f"[data-testid=ranking-table] tr:has-text('{day.province.name_vi}')").inner_text()
    assert after != before and after.split()[-2:] != before.split()[-2:], (before, after)  # the verified share
    assert _fits(page)
    page.screenshot(path=str(SCREENS / f"ranking-reviewer-{width}.png"), full_page=True)
