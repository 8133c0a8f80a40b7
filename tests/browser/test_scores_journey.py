"""A reviewer starts a score run from the ranking, watches it go, and sees the ranking change in place
after a verified value moved an agency up; a real Celery worker computes the run."""

from playwright.sync_api import expect

from agencies.services import AgencyRow, upsert_agencies
from agencies.users import create_user
from assessments.catalog.loader import load_framework
from assessments.catalog.periods import create_period
from assessments.scores.models import ACTIVE_RUN_STATUSES, ScoreRun
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values, submit_value, verify_value
from tests.reliability.faults import scores_locked, wait_for, waiting_for_lock
from tests.values.conftest import FRAMEWORK_YAML

HANOI, HCM = "000.00.00.H26", "000.00.00.H29"
VERIFIED = (
    "agency_code,indicator_code,value,numerator,denominator\n"
    # HCM: 10 + 5 + 5 + 3.5 + 5 + 5 = 33.5 / 35 (AT.02 and AT.03 equal in the group: s = 1 for both).
    f"{HCM},HT.01,\"90,8\",,\n{HCM},HT.02,,45,50\n{HCM},HT.03,có,,\n{HCM},AT.01,3,,\n{HCM},AT.02,3,,\n"
    f"{HCM},AT.03,120,,\n"
    # Hà Nội: 10 + 5 + (HT.03) + 4 + 5 + 5 = 29 / 35 while HT.03 is a draft, 34 / 35 once it is verified.
    f"{HANOI},HT.01,100,,\n{HANOI},HT.02,,45,50\n{HANOI},AT.01,2,,\n{HANOI},AT.02,3,,\n{HANOI},AT.03,120,,\n"
)
DRAFT = f"agency_code,indicator_code,value\n{HANOI},HT.03,có\n"


def scored_world():
    upsert_agencies([AgencyRow(code, name, "", "province", "", "2008-08-01", "", row=i)
                     for i, (code, name) in enumerate([(HANOI, "Thành phố Hà Nội"), (HCM, "Thành phố Hồ Chí Minh")])])
    framework = load_framework(FRAMEWORK_YAML).framework
    create_period("SAMPLE", 2024)
    import_values(VERIFIED.encode(), "SAMPLE", 2024, status="verified")
    import_values(DRAFT.encode(), "SAMPLE", 2024, status="draft")
    wait_for(lambda: ScoreRun.objects.exists() and not ScoreRun.objects.filter(
        status__in=ACTIVE_RUN_STATUSES).exists(), "the import's runs to be published")
    return framework


def test_reviewer_starts_a_run_watches_it_and_the_ranking_updates(
        celery_worker_process, live_server, sign_in, make_user):
    scored_world()
    make_user("thamdinh", "reviewer")
    lead = create_user("lanhdao", "agency_lead", HANOI, password="Correct-horse-9")[0]
    page = sign_in("thamdinh")
    page.goto(f"{live_server.url}/scores/?framework=SAMPLE&period=2024&group=provincial")
    first_row = page.locator("[data-testid=ranking-table] tbody tr").first
    expect(first_row).to_contain_text("Thành phố Hồ Chí Minh")
    expect(page.locator("[data-testid=run-status]")).to_have_attribute("data-status", "done")

    # Hà Nội's lead submits the missing value and a reviewer verifies it: a recomputation is queued.
    value = IndicatorValue.objects.get(agency__code=HANOI, indicator__code="HT.03")
    verify_value(make_user("reviewer2", "reviewer"), submit_value(lead, value, value.version))
    queued = ScoreRun.objects.get(status__in=ACTIVE_RUN_STATUSES)
    with scores_locked():  # the run will stop at publication until the test lets it go
        page.click("[data-testid=start-run]")
        expect(page.locator(".messages")).to_contain_text(str(queued.pk))  # the reviewer joined the queued run
        status = page.locator("[data-testid=run-status]")
        expect(status).to_have_attribute("data-status", "running", timeout=20_000)  # after the 5 s debounce
        expect(status.locator("progress")).to_be_visible()
        expect(status.locator("[data-testid=run-progress]")).to_contain_text("%")
        wait_for(waiting_for_lock, "the run to reach the publication")
        page.evaluate("window.notReloaded = true")
        expect(first_row).to_contain_text("Thành phố Hồ Chí Minh")  # the previous ranking, until the run commits

    # The status poll sees the run done and the ranking is fetched again, in place.
    expect(status).to_have_attribute("data-status", "done", timeout=20_000)
    expect(page.locator("[data-testid=ranking-table] tbody tr").first).to_contain_text("Thành phố Hà Nội")
    assert status.get_attribute("hx-get") is None  # polling stopped
    assert page.evaluate("window.notReloaded") is True
