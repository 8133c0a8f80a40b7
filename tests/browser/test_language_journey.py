"""The language switch on several pages: Vietnamese first, English, back to Vietnamese, on the same page
each time, with the diacritics intact; dates dd/mm/yyyy and numbers 1.234,5 in Vietnamese."""

import re

from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from agencies.models import Agency
from assessments.catalog.loader import load_framework
from assessments.catalog.periods import create_period
from assessments.values.models import IndicatorValue
from assessments.values.services import save_value
from plans.services import NewPlan, create_plan
from tests.plans.conftest import a_task
from tests.values.conftest import FRAMEWORK_YAML

DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def switch(page, to: str):
    """Click the switch; the same address comes back in the other language."""
    url = page.url
    page.click("[data-testid=lang-switch]")
    expect(page.locator("html")).to_have_attribute("lang", to)
    assert page.url == url


def test_language_switch_keeps_the_page_and_formats_dates_and_numbers(live_registry, make_user, sign_in, live_server):
    hanoi, finance = Agency.objects.get(code="000.00.00.H26"), Agency.objects.get(code="000.00.00.G12")
    staff = make_user("canbo", "agency_staff", hanoi.code)
    create_plan(staff, NewPlan(agency=hanoi, kind="five_year", period_start=2026), {"tasks": [a_task(2026)]})
    framework = load_framework(FRAMEWORK_YAML).framework
    period = create_period(framework.code, 2024).period
    value = save_value(make_user("bo.canbo", "agency_staff", finance.code), finance,
                       framework.indicators.get(code="HT.01"), period, value="12,5")
    save_value(value.updated_by, finance, value.indicator, period, value="90,8", expected_version=1)
    make_user("quantri", "admin")
    page = sign_in("quantri")
    expect(page.locator("html")).to_have_attribute("lang", "vi")  # whatever the browser asks for
    nav = page.locator("header nav")
    expect(nav).to_contain_text("Cơ quan")
    expect(nav).to_contain_text("Kế hoạch")
    expect(nav).to_contain_text("Điểm đánh giá")

    # The agency page: name and dates.
    page.goto(f"{live_server.url}/agencies/{hanoi.code}/?as_of=2025-07-01")
    expect(page.locator("h1")).to_contain_text("Thành phố Hà Nội")
    expect(page.locator("main")).to_contain_text("Thời gian hiệu lực")
    expect(page.locator("main")).to_contain_text("01/08/2008")
    switch(page, "en")
    expect(page.locator("main")).to_contain_text("01/08/2008")
    expect(page.locator("h1")).to_contain_text(hanoi.name_en)  # English mode names it in English (issue 13)
    expect(page.locator("header nav")).to_contain_text("Agencies")
    switch(page, "vi")
    expect(page.locator("main")).to_contain_text("Thời gian hiệu lực")

    # The plan list: the budget grouped with dots, the date of the last change dd/mm/yyyy.
    page.click("header nav >> text=Kế hoạch")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("2.000.000.000")
    assert DATE.search(row.inner_text())
    switch(page, "en")
    expect(page.locator("table tbody tr").first).to_contain_text("2,000,000,000")
    switch(page, "vi")
    expect(page.locator("table tbody tr").first).to_contain_text("2.000.000.000")

    # The audit log (with filters in the address): a decimal value before → after, with a decimal comma.
    page.click("header nav >> text=Nhật ký kiểm toán")
    page.select_option("select[name=type]", str(ContentType.objects.get_for_model(IndicatorValue).pk))
    page.fill("input[name=object_id]", str(value.pk))
    page.fill("input[name=date_from]", "01/01/2020")
    page.click("form[data-testid=audit-filters] button[type=submit]")
    changes = page.locator("[data-testid=audit-entry] dl.changes").first
    expect(changes).to_contain_text("12,5 → 90,8")
    when = page.locator("[data-testid=audit-entry] td").first.inner_text()
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", when.strip())
    expect(page.locator("h1")).to_have_text("Nhật ký kiểm toán")
    switch(page, "en")
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.locator("[data-testid=audit-entry] dl.changes").first).to_contain_text("12.5 → 90.8")
    expect(page.locator("input[name=date_from]")).to_have_value("01/01/2020")  # dd/mm/yyyy in English too
    switch(page, "vi")
    expect(page.locator("h1")).to_have_text("Nhật ký kiểm toán")
