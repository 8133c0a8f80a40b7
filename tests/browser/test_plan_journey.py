"""An annual plan through its whole workflow in a real browser: staff file it, the lead submits it, a
reviewer of the reviewing authority returns it with a comment on a section, the staff fix that section,
the lead submits again, the reviewer approves it with a decision, and the history lists every step."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import AgencyKind
from agencies.users import create_user
from plans.models import Plan, PlanStatus, cycle_start
from tests.browser.conftest import log_in
from tests.plans.conftest import approved_plan, make_agency, some_indicator

PASSWORD = "Correct-horse-9"
SECTIONS = ("current_state", "objectives", "targets", "tasks_solutions", "investment", "resources", "implementation")


def build_world():
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.province = make_agency("000.00.00.H26", "Thành phố Hà Nội")
    w.authority = make_agency("000.00.00.G06", "Bộ Khoa học và Công nghệ", AgencyKind.MINISTRY)
    for attr, name, role, agency in (("staff", "canbo", "agency_staff", w.province),
                                     ("lead", "lanhdao", "agency_lead", w.province),
                                     ("reviewer", "thamdinh", "reviewer", w.authority)):
        setattr(w, attr, create_user(name, role, agency.code, False, password=PASSWORD)[0])
    return w


def test_annual_plan_filed_returned_fixed_and_approved(transactional_db, live_server, browser):
    world = build_world()
    year = timezone.localdate().year + 1
    five_year = approved_plan(world, period_start=cycle_start(year))  # the annual plan belongs to it
    indicator = some_indicator()
    refused = []  # what the Content-Security-Policy blocked, on any of the three pages

    def signed_in(username):
        page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        return log_in(page, live_server.url, username, PASSWORD)

    def open_plan(page):
        page.goto(f"{live_server.url}/plans/")
        page.click(f"[data-testid=plan-table] a:has-text('Kế hoạch hằng năm {year}')")
        page.wait_for_url(re.compile(r"/plans/\d+/$"))

    def review_from_queue(page, status):
        page.goto(f"{live_server.url}/plans/")
        page.click("a:has-text('Hàng chờ thẩm định')")
        row = page.locator("[data-testid=queue] tbody tr", has_text=f"Kế hoạch hằng năm {year}")
        expect(row.locator("[data-testid=plan-status]")).to_have_text(status)
        row.locator("a:has-text('Thẩm định')").click()
        page.click("[data-testid=plan-actions] button:has-text('Bắt đầu thẩm định')")
        expect(page.locator("ul.messages")).to_contain_text("Đã bắt đầu thẩm định.")
        expect(page.locator("[data-testid=plan-status]")).to_have_text("Đang thẩm định")

    # Staff create the annual plan; the checklist lists what is missing.
    staff = signed_in("canbo")
    staff.goto(f"{live_server.url}/plans/")
    new = staff.locator("[data-testid=new-plan]")
    new.locator("select[name=kind]").select_option("annual")
    new.locator("input[name=year]").fill(str(year))
    new.locator("button:has-text('Tạo dự thảo')").click()
    staff.wait_for_url(re.compile(r"/plans/\d+/edit/$"))
    plan = Plan.objects.get(kind="annual", year=year)
    assert plan.five_year_plan == five_year
    expect(staff.locator("[data-testid=plan-status]")).to_have_text("Bản nháp")
    staff.click("nav.plan-nav a:has-text('Kiểm tra trước khi trình')")
    expect(staff.locator("[data-testid=checklist] li.missing")).to_have_count(len(SECTIONS) + 2)  # + tasks, targets
    staff.click("a:has-text('Hoàn thiện kế hoạch')")

    # ... fill every required section, one task with its budget and a target, and save.
    for key in SECTIONS:
        staff.fill(f"textarea[name=section-{key}]", f"Nội dung mục {key} của kế hoạch năm {year}.")
    staff.click("[data-add-row=task]")
    task = staff.locator("tbody[data-rows=task] tr").last
    task.locator("input[name$=owner_unit]").fill("Trung tâm Công nghệ thông tin")
    task.locator("textarea[name$=-name]").fill("Nâng cấp cổng dịch vụ công")
    task.locator("input[name$=start_date]").fill(f"01/03/{year}")
    task.locator("input[name$=end_date]").fill(f"30/11/{year}")
    task.locator("select[name$=category]").select_option("software")
    task.locator("input[name$=state_budget_local]").fill("2.500.000.000")
    expect(staff.locator("[data-sum-total]")).to_have_text("2.500.000.000")
    staff.click("[data-add-row=target]")
    target = staff.locator("tbody[data-rows=target] tr").last
    target.locator("select[name$=indicator]").select_option(str(indicator.pk))
    target.locator(f"input[name=target-0-{year}]").fill("95,5")
    staff.click("#plan-editor button[type=submit]:has-text('Lưu')")
    expect(staff.locator("ul.messages")).to_contain_text("Đã lưu (phiên bản 2).")
    staff.click("nav.plan-nav a:has-text('Kiểm tra trước khi trình')")
    expect(staff.locator("[data-testid=checklist] li.missing")).to_have_count(0)
    expect(staff.locator("body")).to_contain_text("Kế hoạch đã đủ nội dung; lãnh đạo cơ quan sẽ trình.")
    expect(staff.locator("[data-testid=submit-plan]")).to_have_count(0)  # staff may not submit

    # The lead submits it.
    lead = signed_in("lanhdao")
    open_plan(lead)
    lead.click("[data-testid=plan-actions] a:has-text('Trình…')")
    lead.click("[data-testid=submit-plan]")
    expect(lead.locator("ul.messages")).to_contain_text("Đã trình kế hoạch.")
    expect(lead.locator("dl.facts [data-testid=plan-status]")).to_have_text("Đã gửi")

    # A reviewer of the authority starts the review, comments on a section and returns the plan.
    reviewer = signed_in("thamdinh")
    review_from_queue(reviewer, "Đã gửi")
    section = reviewer.locator("#section-objectives")
    section.locator("textarea[name=body]").fill("Mục tiêu cần định lượng: tỷ lệ hồ sơ trực tuyến toàn trình.")
    section.locator("button:has-text('Thêm ý kiến')").click()
    expect(section.locator("li.comment")).to_contain_text("Mục tiêu cần định lượng")  # swapped in by htmx
    reviewer.fill("textarea[name=comment]", "Bổ sung chỉ tiêu định lượng ở mục Mục tiêu.")
    reviewer.click("button:has-text('Trả về cơ quan')")
    expect(reviewer.locator("ul.messages")).to_contain_text("Đã trả kế hoạch về cơ quan để chỉnh sửa.")
    expect(reviewer.locator("dl.facts [data-testid=plan-status]")).to_have_text("Trả lại để chỉnh sửa")

    # The staff read both comments in the editor, next to what they fix, and save the section.
    open_plan(staff)
    expect(staff.locator("dl.facts [data-testid=plan-status]")).to_have_text("Trả lại để chỉnh sửa")
    staff.click("[data-testid=plan-actions] a:has-text('Chỉnh sửa')")
    expect(staff.locator("[data-testid=return-comment]")).to_have_text("Bổ sung chỉ tiêu định lượng ở mục Mục tiêu.")
    objectives = staff.locator("fieldset.plan-section", has=staff.locator("textarea[name=section-objectives]"))
    expect(objectives.locator("li.comment")).to_contain_text("thamdinh")
    expect(objectives.locator("li.comment")).to_contain_text("Mục tiêu cần định lượng")
    staff.fill("textarea[name=section-objectives]", "Đến cuối năm: 95,5% hồ sơ trực tuyến toàn trình.")
    staff.click("#plan-editor button[type=submit]:has-text('Lưu')")
    expect(staff.locator("ul.messages")).to_contain_text("Đã lưu (phiên bản 6).")

    # The lead submits again (returned → submitted).
    open_plan(lead)
    lead.click("[data-testid=plan-actions] a:has-text('Trình…')")
    lead.click("[data-testid=submit-plan]")
    expect(lead.locator("dl.facts [data-testid=plan-status]")).to_have_text("Đã gửi")

    # The reviewer sees what changed and approves with the decision.
    review_from_queue(reviewer, "Đã gửi")
    expect(reviewer.locator("[data-testid=diff-objectives]")).to_contain_text("95,5% hồ sơ trực tuyến")
    decided = timezone.localdate() - datetime.timedelta(days=1)
    reviewer.fill("input[name=decision_number]", "45/QĐ-UBND")
    reviewer.fill("input[name=decision_date]", decided.strftime("%d/%m/%Y"))
    reviewer.click("button:has-text('Phê duyệt kế hoạch')")
    expect(reviewer.locator("ul.messages")).to_contain_text("Đã phê duyệt kế hoạch.")
    facts = reviewer.locator("dl.facts")
    expect(facts.locator("[data-testid=plan-status]")).to_have_text("Đã phê duyệt")
    expect(facts).to_contain_text(f"45/QĐ-UBND, {decided:%d/%m/%Y}")
    expect(facts).to_contain_text(five_year.title)

    # The staff see it approved, with every step in the history.
    open_plan(staff)
    expect(staff.locator("dl.facts [data-testid=plan-status]")).to_have_text("Đã phê duyệt")
    expect(staff.locator("[data-testid=plan-actions] a:has-text('Chỉnh sửa')")).to_have_count(0)
    staff.click("nav.plan-nav a:has-text('Lịch sử')")
    rows = staff.locator("[data-testid=history] tbody tr")
    steps = [  # newest first: version, who, action, from → to, comment
        ("9", "thamdinh", "Đã phê duyệt", "Đang thẩm định → Đã phê duyệt", ""),
        ("8", "thamdinh", "Bắt đầu thẩm định", "Đã gửi → Đang thẩm định", ""),
        ("7", "lanhdao", "Đã gửi", "Trả lại để chỉnh sửa → Đã gửi", ""),
        ("6", "canbo", "Chỉnh sửa", "Trả lại để chỉnh sửa → Trả lại để chỉnh sửa", ""),
        ("5", "thamdinh", "Trả lại để chỉnh sửa", "Đang thẩm định → Trả lại để chỉnh sửa",
         "Bổ sung chỉ tiêu định lượng ở mục Mục tiêu."),
        ("4", "thamdinh", "Bắt đầu thẩm định", "Đã gửi → Đang thẩm định", ""),
        ("3", "lanhdao", "Đã gửi", "Bản nháp → Đã gửi", ""),
        ("2", "canbo", "Chỉnh sửa", "Bản nháp → Bản nháp", ""),
        ("1", "canbo", "Đã tạo", "Bản nháp", ""),
    ]
    expect(rows).to_have_count(len(steps))
    for i, (version, who, action, move, comment) in enumerate(steps):
        cells = rows.nth(i).locator("td")
        expect(cells.nth(0)).to_have_text(version)
        expect(cells.nth(1)).to_have_text(re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$"))
        expect(cells.nth(2)).to_have_text(who)
        expect(cells.nth(3)).to_have_text(action)
        expect(cells.nth(4)).to_have_text(move)
        expect(cells.nth(5)).to_have_text(comment)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert not refused
