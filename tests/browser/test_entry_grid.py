"""The entry grid in a real browser (issue 13 item 2): the 8 indicators of the CNTT-64 "HT" pillar at 1366
and 390 px, one line each, keyboard moves, last period's value and its warning, details on demand, the
pillar tabs' progress. Prints the page height (compared with the old table's in the report)."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.catalog.loader import load_framework_file
from assessments.catalog.periods import create_period
from assessments.values import services
from assessments.values.models import IndicatorValue
from tests.browser.conftest import log_in
from tests.values.web.conftest import PASSWORD, build_world

FRAMEWORK = Path(__file__).resolve().parents[2] / "assessments/catalog/frameworks/cntt-64.yaml"
SCREENS = Path(__file__).resolve().parents[2] / "artifacts/screens"


def cntt_world():
    world = build_world()
    framework = load_framework_file(FRAMEWORK).framework
    world.previous = create_period("CNTT-64", 2023, deadline=datetime.date(2024, 3, 31)).period
    world.current = create_period("CNTT-64", 2024,
                                  deadline=datetime.date.today() + datetime.timedelta(days=30)).period
    world.ind = {i.code: i for i in framework.indicators.all()}
    services.save_value(world.staff, world.province, world.ind["HT.01"], world.previous, value="80")
    return world


def open_entry(browser, live_server, width: int):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": width, "height": 800})
    page = log_in(context.new_page(), live_server.url, "canbo", PASSWORD)
    page.goto(f"{live_server.url}/values/entry/?framework=CNTT-64&period=2024&pillar=HT")
    expect(page.locator("[data-testid=pillar-form]")).to_be_visible()
    return page


@pytest.mark.parametrize("width", [1366, 390])
def test_entry_height(transactional_db, live_server, browser, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path
    cntt_world()
    page = open_entry(browser, live_server, width)
    rows = page.locator("[data-testid=row]")
    expect(rows).to_have_count(8)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nentry page height at {width} px with 8 indicators: {height} px")
    # Before the grid: rows of 300-450 px, pages of 3,617 px (1366) and 6,495 px (390) for these 8 indicators.
    tallest = max(rows.nth(i).bounding_box()["height"] for i in range(8))
    assert (tallest < 120 if width == 1366 else tallest < 300), tallest
    assert height < {1366: 1800, 390: 3300}[width], height


def row(page, code: str):
    return page.locator(f"[data-testid=row][data-indicator='{code}']")


@pytest.mark.parametrize("width", [1366, 390])
def test_entry_grid(transactional_db, live_server, browser, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path
    world = cntt_world()
    page = open_entry(browser, live_server, width)
    tab = page.locator("[data-testid=pillar-tab]").first
    expect(tab.locator("[data-testid=pillar-progress]")).to_have_text("0/8")
    first, second = row(page, "HT.01"), row(page, "HT.02")
    # One line per indicator: the row is about as tall as its input.
    box = first.bounding_box()
    assert box["height"] < (60 if width > 700 else 130), box

    # Last period's value beside the input; typing one far from it warns (and does not block).
    expect(first.locator("[data-testid=previous]")).to_contain_text("80")
    value = first.locator("[data-testid=value]")
    value.fill("20")
    expect(first.locator("[data-testid=far-warning]")).to_be_visible()
    value.fill("85")
    expect(first.locator("[data-testid=far-warning]")).to_be_hidden()
    value.fill("30")
    expect(first.locator("[data-testid=far-warning]")).to_be_visible()

    # Keyboard: Enter and the arrows move between the indicators' inputs without submitting.
    value.press("Enter")
    expect(second.locator("[data-testid=value]")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(value).to_be_focused()
    page.keyboard.press("ArrowDown")
    second.locator("[data-testid=value]").fill("100")
    assert not IndicatorValue.objects.filter(period=world.current).exists()

    # Details on demand: the English name, evidence and the file picker appear once opened.
    details = first.locator("[data-testid=details]")
    expect(details).to_be_hidden()
    first.locator("label[for^=more-]").click()
    expect(details).to_be_visible()
    expect(details).to_contain_text("Share of officials and public employees provided with a computer")
    first.locator("[data-testid=file]").set_input_files(
        files=[{"name": "kiem-ke.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%\xe2\xe3\n"}])
    expect(first.locator("[data-testid=file-name]")).to_have_text("kiem-ke.pdf")
    page.screenshot(path=str(SCREENS / f"entry-grid-{width}.png"), full_page=True)

    page.click("[data-testid=save]")
    expect(first.locator("[data-testid=status]")).to_have_attribute("data-status", "draft")
    expect(page.locator("[data-testid=pillar-tab]").first.locator("[data-testid=pillar-progress]")).to_have_text("2/8")
    # Saved far from last period: the page (without typing) still says so.
    expect(first.locator("[data-testid=far-warning]")).to_be_visible()
    expect(first.locator("[data-testid=evidence-count]")).to_contain_text("1")
