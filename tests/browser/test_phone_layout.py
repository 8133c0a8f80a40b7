"""The main pages fit the window, on a desktop (1366 px) and on a phone (390 px): nothing wider than the
viewport (`scrollWidth <= innerWidth`), for a signed-in staff member and a reviewer. Full-page screenshots go
to artifacts/screens/ (gitignored) so a person can look at them; the plan editor's page size is printed."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from assessments.catalog.models import Indicator
from plans import services, workflow
from tests.browser.conftest import log_in
from tests.plans.conftest import a_task, new_plan
from tests.values.web.conftest import PASSWORD, build_world

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"
HANOI = "000.00.00.H26"
VALUES = (
    "agency_code,indicator_code,value,numerator,denominator\n"
    f"{HANOI},HT.01,\"90,8\",,\n{HANOI},HT.02,,45,50\n{HANOI},HT.03,có,,\n{HANOI},AT.01,3,,\n"
)
SUBMITTED = f"agency_code,indicator_code,value\n{HANOI},AT.02,3\n{HANOI},AT.03,120\n"
LONG_INDICATOR = ("Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dưới hình thức dịch vụ công trực tuyến "
                  "toàn trình "
                  "được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia")
LONG_TASK = "Xây dựng, nâng cấp nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) và kết nối với nền tảng quốc gia"


@pytest.fixture
def scored(transactional_db, tmp_path):
    """The sample catalog with verified values of Hà Nội scored in this process, two submitted values."""
    from govit.celery import app

    app.conf.task_always_eager = True
    try:
        w = build_world()
        for status, rows in (("verified", VALUES), ("submitted", SUBMITTED)):
            (tmp_path / f"{status}.csv").write_text(rows, encoding="utf-8")
            call_command("import_values", str(tmp_path / f"{status}.csv"), "--framework", "SAMPLE", "--period", "2024",
                         "--status", status)
    finally:
        app.conf.task_always_eager = False
    return w


def plans_of(w) -> SimpleNamespace:
    """A five-year plan of 2021 under review after changes (review page and diff), and a draft of 2026 with
    targets on every year (the editor)."""
    w.other_lead = w.lead
    reviewed = new_plan(w, period_start=2021)
    reviewed, _ = services.update_plan(reviewed.pk, w.staff, {"tasks": [
        a_task(2021), a_task(2022, name=LONG_TASK, owner_unit="Văn phòng Ủy ban nhân dân thành phố")]},
        reviewed.version)
    workflow.perform(reviewed.pk, "submit", w.lead)
    workflow.perform(reviewed.pk, "start_review", w.reviewer)
    draft = new_plan(w, period_start=2026)
    Indicator.objects.filter(plan_targets__plan=draft).update(name_vi=LONG_INDICATOR)  # as long as the real catalog's
    return SimpleNamespace(reviewed=reviewed, draft=draft)


def pages_for(role: str, plans) -> dict[str, str]:
    common = {"home": "/", "agencies": "/agencies/", "completeness": "/values/completeness/",
              "scores": "/scores/?framework=SAMPLE&period=2024", "agency-scores": f"/scores/agencies/{HANOI}/",
              "plans": "/plans/", "plan": f"/plans/{plans.reviewed.pk}/",
              "plan-diff": f"/plans/{plans.reviewed.pk}/diff/"}
    if role == "staff":
        return {**common, "values-entry": "/values/entry/", "plan-editor": f"/plans/{plans.draft.pk}/edit/"}
    return {**common, "values-review": "/values/review/", "plan-queue": "/plans/review/",
            "plan-review": f"/plans/{plans.reviewed.pk}/review/"}


def measure(page) -> dict:
    return page.evaluate("() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,"
                         " scrollHeight: document.documentElement.scrollHeight})")


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("role, username", [("staff", "canbo"), ("reviewer", "thamdinh")])
def test_main_pages_have_no_horizontal_overflow(scored, live_server, browser, role, username, width):
    plans = plans_of(scored)
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": width, "height": 900})
    page = log_in(context.new_page(), live_server.url, username, PASSWORD)
    SCREENS.mkdir(parents=True, exist_ok=True)
    overflowing = {}
    for name, path in pages_for(role, plans).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENS / f"{role}-{name}-{width}.png", full_page=True)
        size = measure(page)
        if name == "plan-editor":
            print(f"\nplan editor at {width} px: {size['scrollWidth']} × {size['scrollHeight']} px")
        if size["scrollWidth"] > size["innerWidth"]:
            overflowing[name] = size["scrollWidth"]
    context.close()
    assert overflowing == {}, f"pages wider than {width} px: {overflowing}"


def test_new_plan_form_shows_only_the_field_of_the_chosen_kind(scored, live_server, browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = log_in(context.new_page(), live_server.url, "canbo", PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    form = page.locator("[data-testid=new-plan]")
    form.locator("select[name=kind]").select_option("five_year")
    assert form.locator("input[name=period_start]").is_visible()
    assert not form.locator("input[name=year]").is_visible()
    form.locator("select[name=kind]").select_option("annual")
    assert form.locator("input[name=year]").is_visible()
    assert not form.locator("input[name=period_start]").is_visible()
    context.close()


def test_diff_uses_a_proportional_font_that_has_vietnamese_letters(scored, live_server, browser):
    plan = plans_of(scored).reviewed
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = log_in(context.new_page(), live_server.url, "thamdinh", PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/diff/?from=1&to={plan.version}")
    family = page.locator(".diff-lines").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "monospace" not in family, family
    context.close()

