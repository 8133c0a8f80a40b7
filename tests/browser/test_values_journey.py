"""Values in a real browser: agency staff enter a pillar with an evidence file and save it as a draft,
the lead submits it, a reviewer verifies one value and rejects another with a reason, and the staff
read the reason on their entry page."""

from playwright.sync_api import expect

from assessments.values.models import Evidence, IndicatorValue
from tests.browser.conftest import log_in
from tests.values.web.conftest import PASSWORD, PDF, build_world


def signed_in(browser, live_server, username: str):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    return log_in(context.new_page(), live_server.url, username, PASSWORD)


def row(page, code: str):
    return page.locator(f"[data-testid=row][data-indicator='{code}']")


def test_enter_submit_verify_reject(transactional_db, live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()

    staff = signed_in(browser, live_server, "canbo")
    refused = []  # what the Content-Security-Policy blocked (a 400 answer is logged too, and expected)
    staff.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    staff.click("[data-testid=nav-values]")
    expect(staff.locator("[data-testid=pillar-form]")).to_be_visible()
    # A percentage above 100 is refused next to its field (a 400 swapped in by htmx), the text kept.
    row(staff, "HT.01").locator("[data-testid=value]").fill("120")
    staff.click("[data-testid=save]")
    expect(row(staff, "HT.01").locator("[data-testid=problems]")).to_be_visible()
    expect(row(staff, "HT.01").locator("[data-testid=value]")).to_have_value("120")
    assert not IndicatorValue.objects.exists()
    row(staff, "HT.01").locator("[data-testid=value]").fill("90,5")
    row(staff, "HT.01").locator("[data-testid=file]").set_input_files(
        files=[{"name": "bien-ban-kiem-ke.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    row(staff, "HT.02").locator("[data-testid=numerator]").fill("45")
    row(staff, "HT.02").locator("[data-testid=denominator]").fill("50")
    row(staff, "HT.02").locator("label[for^=more-]").click()  # the note is among the details, shown on demand
    row(staff, "HT.02").locator("[data-testid=note]").fill("Theo hệ thống quản lý văn bản")
    row(staff, "HT.03").locator("[data-testid=value]").select_option("true")
    expect(staff.locator("[data-testid=submit-pillar]")).to_be_disabled()  # staff may not submit
    staff.click("[data-testid=save]")
    expect(row(staff, "HT.01").locator("[data-testid=evidence-files]")).to_contain_text("bien-ban-kiem-ke.pdf")
    expect(row(staff, "HT.01").locator("[data-testid=status]")).to_have_attribute("data-status", "draft")
    expect(row(staff, "HT.01").locator("[data-testid=value]")).to_have_value("90,5")
    assert Evidence.objects.get().value.indicator.code == "HT.01"

    lead = signed_in(browser, live_server, "lanhdao")
    lead.goto(f"{live_server.url}/values/entry/")
    lead.click("[data-testid=submit-pillar]")
    expect(row(lead, "HT.02").locator("[data-testid=status]")).to_have_attribute("data-status", "submitted")
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"submitted"}

    reviewer = signed_in(browser, live_server, "thamdinh")
    reviewer.click("[data-testid=nav-values]")
    queue_row = reviewer.locator("[data-testid=queue-row][data-indicator='HT.01']")
    expect(queue_row.locator("a", has_text="bien-ban-kiem-ke.pdf")).to_be_visible()
    queue_row.locator("[data-testid=verify]").click()
    expect(reviewer.locator("[data-testid=outcome][data-ok=true]")).to_contain_text("HT.01")
    reject_row = reviewer.locator("[data-testid=queue-row][data-indicator='HT.02']")
    reject_row.locator("[data-testid=reason]").fill("Thiếu biên bản thống kê văn bản điện tử")
    reject_row.locator("[data-testid=reject]").click()
    expect(reviewer.locator("[data-testid=outcome][data-ok=true]")).to_contain_text("HT.02")
    expect(reviewer.locator("[data-testid=queue-row]")).to_have_count(1)  # HT.03 still waits

    staff.reload()
    expect(row(staff, "HT.02").locator("[data-testid=reject-reason]")).to_contain_text(
        "Thiếu biên bản thống kê văn bản điện tử")
    expect(row(staff, "HT.01").locator("[data-testid=status]")).to_have_attribute("data-status", "verified")
    expect(row(staff, "HT.02").locator("[data-testid=numerator]")).to_have_value("45")  # editable again
    assert world.period.values.get(indicator__code="HT.02").status == "rejected"
    assert not refused
