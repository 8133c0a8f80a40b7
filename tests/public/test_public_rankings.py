"""Public rankings (issue 14 item 4): anonymous, read-only, published scores only, cached, rate-limited."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agencies.models import Agency
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values, reject_value
from plans.services import NewPlan, create_plan
from tests.scores.test_runs import compute

DEPARTMENT = "000.00.01.H29"
PAGES = ("/public/rankings/", "/public/rankings/SAMPLE/2024/", "/public/method/SAMPLE/")
DOWNLOADS = ("/public/rankings/SAMPLE/2024.csv", "/public/rankings/SAMPLE/2024.json")
# What each private object would show if it leaked: its numbers, notes, reason, file name and title.
SECRETS = ("17,4321", "17.4321", "GHI-CHU-NHAP", "17432", "21119", "GHI-CHU-NOP", "31246", "LY-DO-TU-CHOI",
           "bang-chung-mat.pdf", "Kế hoạch nháp bí mật", "breakdown")


def _rows(text: str) -> str:
    return f"agency_code,indicator_code,value,numerator,denominator,note\n{text}\n".encode()


@pytest.fixture
def private_objects(verified_values, make_user):
    """Besides the verified sample values: the department's draft HT.01 with an evidence file, submitted HT.02
    (counted in its published score) and rejected AT.01, and a draft plan of the province."""
    import_values(_rows(f'{DEPARTMENT},HT.01,"17,4321",,,GHI-CHU-NHAP'), "SAMPLE", 2024, status="draft")
    import_values(_rows(f"{DEPARTMENT},HT.02,,17432,21119,GHI-CHU-NOP\n{DEPARTMENT},AT.01,31246,,,"),
                  "SAMPLE", 2024, status="submitted")
    draft = IndicatorValue.objects.get(agency__code=DEPARTMENT, indicator__code="HT.01")
    name = default_storage.save("evidence/bang-chung-mat.pdf", ContentFile(b"%PDF secret"))
    draft.evidence.create(file=name, original_name="bang-chung-mat.pdf", content_type="application/pdf", size=11,
                          sha256="0" * 64)
    admin = make_user("duyet", "admin")
    reject_value(admin, IndicatorValue.objects.get(agency__code=DEPARTMENT, indicator__code="AT.01"), "LY-DO-TU-CHOI")
    province = Agency.objects.filter(code="000.00.00.H29").order_by("-valid_from").first()
    create_plan(make_user("lanh-dao", "agency_lead", province.code),
                NewPlan(agency=province, kind="five_year", period_start=2026, title="Kế hoạch nháp bí mật"))
    compute()
    cache.clear()


def public_texts(client) -> dict[str, str]:
    api = APIClient()
    texts = {url: client.get(url).content.decode() for url in (*PAGES, *DOWNLOADS)}
    for group in ("provincial", "central", "department:000.00.00.H29"):
        texts[f"page {group}"] = client.get("/public/rankings/SAMPLE/2024/", {"group": group}).content.decode()
        texts[f"api {group}"] = api.get("/api/v1/public/scores/", {"group": group}).content.decode()
    return texts


@pytest.mark.django_db(transaction=True)
def test_public_routes_show_published_scores_and_nothing_private(public_on, private_objects, client):
    texts = public_texts(client)
    department = json.loads(texts["api department:000.00.00.H29"])["results"]
    # The department's published score (its submitted HT.02 counted) is public as totals ...
    assert [row["agency"]["code"] for row in department] == [DEPARTMENT] and department[0]["verified_share"] == 0
    assert "Thành phố Hồ Chí Minh" in texts["page provincial"] and 'data-testid="ranking-chart"' in texts[
        "page provincial"]
    # ... but no value, note, reason, evidence file or draft plan appears anywhere, nor any breakdown line.
    leaks = {(url, secret) for url, text in texts.items() for secret in SECRETS if secret in text}
    assert not leaks


@pytest.mark.django_db(transaction=True)
def test_public_routes_are_404_while_the_setting_is_off(verified_values, client):
    compute()
    for url in (*PAGES, *DOWNLOADS, "/api/v1/public/scores/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [None, "agency_staff", "agency_lead", "reviewer", "observer", "admin"])
def test_public_pages_are_read_by_anyone_and_refuse_writes(public_on, verified_values, client, make_user, role):
    compute()
    if role:
        client.force_login(make_user("u", role, "000.00.00.G12" if role.startswith("agency") else None))
    for url in (*PAGES, *DOWNLOADS, "/api/v1/public/scores/"):
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


@pytest.mark.django_db(transaction=True)
def test_downloads_escape_formula_cells(public_on, verified_values, client):
    Agency.objects.filter(code="000.00.00.G12").update(name_vi="=HYPERLINK(\"http://x\")")
    compute()
    body = client.get("/public/rankings/SAMPLE/2024.csv").content.decode("utf-8-sig")
    names = {row["agency_code"]: row["agency_name"] for row in csv.DictReader(io.StringIO(body))}
    assert names["000.00.00.G12"] == "'=HYPERLINK(\"http://x\")" and names["000.00.00.H29"] == "Thành phố Hồ Chí Minh"
    rows = client.get("/public/rankings/SAMPLE/2024.json").json()
    assert {r["agency"]["code"] for r in rows} == set(names) and all("breakdown" not in r for r in rows)
    assert client.get("/public/rankings/SAMPLE/2023.json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_public_api_is_cached_until_the_next_run(public_on, verified_values):
    compute()
    cache.clear()
    api = APIClient()
    with CaptureQueriesContext(connection) as first:
        assert api.get("/api/v1/public/scores/", {"framework": "SAMPLE", "period": 2024}).status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = api.get("/api/v1/public/scores/", {"framework": "SAMPLE", "period": 2024})
    # The second answer comes from the cache: only the publication stamp (the newest finished run) is read.
    assert len(first) > 1 and len(second) == 1 and "scorerun" in second[0]["sql"].lower()
    assert again.status_code == 200 and again.json()["results"]


@pytest.mark.django_db(transaction=True)
def test_public_api_is_rate_limited_per_address(public_on, verified_values, settings):
    from rest_framework.throttling import SimpleRateThrottle

    compute()
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    SimpleRateThrottle.THROTTLE_RATES = rates  # DRF read them at import
    try:
        api = APIClient()
        assert [api.get("/api/v1/public/scores/").status_code for _ in range(3)] == [200, 200, 200]
        refused = api.get("/api/v1/public/scores/", HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        body = refused.json()
        assert body["code"] == "throttled" and body["detail_vi"].startswith("Quá nhiều") and body["detail_en"]
        other = APIClient(REMOTE_ADDR="10.0.0.9")
        assert other.get("/api/v1/public/scores/").status_code == 200  # another address has its own count
    finally:
        SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


@pytest.mark.django_db
def test_public_api_is_in_the_schema_with_its_filters(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/public/scores/"]["get"]
    assert {"framework", "period", "group", "agency", "level"} <= {p["name"] for p in operation["parameters"]}
