"""The plan editor in a real browser: autosave through htmx carrying the version, live sums, and a
conflict that keeps the user's text."""

from playwright.sync_api import expect

from plans import services
from plans.models import Plan
from tests.plans.conftest import new_plan, world  # noqa: F401 - shared fixtures


def test_editor_autosaves_sums_and_keeps_text_on_conflict(world, sign_in, live_server, transactional_db):  # noqa: F811
    plan = new_plan(world, fill=False)
    page = sign_in("canbo")
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    status = page.locator("[data-testid=autosave-status]")

    page.fill("textarea[name=section-current_state]", "Hiện trạng: 95% cán bộ có máy tính.")
    expect(status).to_contain_text("phiên bản 2", timeout=15000)
    assert Plan.objects.get(pk=plan.pk).sections.get(key="current_state").body == "Hiện trạng: 95% cán bộ có máy tính."
    expect(page.locator("#plan-version")).to_have_value("2")

    page.click("[data-add-row=task]")
    row = page.locator("tbody[data-rows=task] tr").last
    row.locator("input[name$=owner_unit]").fill("Sở Khoa học và Công nghệ")
    row.locator("textarea[name$=-name]").fill("Nâng cấp trung tâm dữ liệu")
    row.locator("input[name$=start_date]").fill("01/03/2022")
    row.locator("input[name$=end_date]").fill("30/11/2022")
    row.locator("select[name$=category]").select_option("infrastructure")
    row.locator("input[name$=state_budget_local]").fill("1.200.000.000")
    row.locator("input[name$=-oda]").fill("300000000")
    expect(row.locator("[data-row-total]")).to_have_text("1.500.000.000")  # summed in the browser
    expect(page.locator("[data-sum-total]")).to_have_text("1.500.000.000")
    expect(status).to_contain_text("phiên bản 3", timeout=15000)
    task = Plan.objects.get(pk=plan.pk).tasks.get()
    expect(row.locator("input[name$=-id]")).to_have_value(str(task.pk))  # the next autosave keeps this task

    # Someone else saves meanwhile: the next autosave is refused and the text stays in the form.
    current = Plan.objects.get(pk=plan.pk)
    services.update_plan(plan.pk, world.lead, {"title": "Lãnh đạo sửa tên"}, current.version)
    page.fill("textarea[name=section-objectives]", "Mục tiêu mà cán bộ đang gõ")
    expect(status).to_contain_text("lanhdao", timeout=15000)
    expect(page.locator("textarea[name=section-objectives]")).to_have_value("Mục tiêu mà cán bộ đang gõ")
    assert Plan.objects.get(pk=plan.pk).sections.get(key="objectives").body == ""
    # A full save now shows the conflict page with the typed text, still saving nothing.
    page.click("button[type=submit]:has-text('Lưu')")
    expect(page.locator("[data-testid=conflict]")).to_be_visible()
    expect(page.locator("textarea[name=section-objectives]")).to_have_value("Mục tiêu mà cán bộ đang gõ")
    assert Plan.objects.get(pk=plan.pk).title == "Lãnh đạo sửa tên"
