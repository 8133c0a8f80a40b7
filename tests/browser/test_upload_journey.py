"""In Chromium: upload a file, watch the check run (htmx), read the preview, confirm; no CSP violation."""

from playwright.sync_api import expect

from assessments.values.models import IndicatorValue
from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures
from tests.values.files.conftest import G12, G12_CSV, upload_dir  # noqa: F401 - uploads in a temporary MEDIA_ROOT


def test_upload_preview_confirm_journey(transactional_db, agencies, period, make_user, sign_in,  # noqa: F811
                                        live_server):
    make_user("canbo", "agency_staff", G12)
    page = sign_in("canbo")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in
            message.text else None)
    page.goto(f"{live_server.url}/values/files/upload/")
    form = page.locator("[data-testid=upload-form]")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "gia-tri.csv", "mimeType": "text/csv", "buffer": G12_CSV}])
    form.locator("button[type=submit]").click()
    summary = page.locator("[data-testid=upload-summary]")
    expect(summary.locator("[data-count=created]")).to_have_text("5")
    expect(page.locator("[data-testid=upload-changes] tbody tr")).to_have_count(5)
    assert not IndicatorValue.objects.exists()
    page.locator("[data-testid=upload-confirm]").click()
    expect(page.locator("[data-testid=upload-applied]")).to_be_visible()
    assert IndicatorValue.objects.filter(agency__code=G12).count() == 5
    assert not violations
