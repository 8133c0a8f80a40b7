"""The seven hardening items of issue 11, tried against the app as production runs it: gunicorn with the
production settings (collected static files, secure cookies, HTTPS behind one trusted proxy, Redis cache
and throttling), on the test database. Requests come as the TLS proxy forwards them."""

import datetime
import http.client
import io
import json
import socket
import subprocess
import sys
import time
import zipfile
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone
from knox.models import AuthToken

from agencies.models import User
from agencies.users import issue_token
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values
from plans.content import MAX_SECTION
from plans.models import Plan
from tests.conftest import ROOT, _database_url
from tests.plans.conftest import new_plan, world  # noqa: F401 - shared fixtures
from tests.scores.conftest import tasks_in_process  # noqa: F401 - score runs at commit, in this process
from tests.security.conftest import production_environment
from tests.values.conftest import VALUES_CSV, agencies, framework, period  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Correct-horse-9"
# The tests' own hasher (MD5, for speed) is not one production accepts: sign-ins store a production hash first.
PRODUCTION_HASH = PBKDF2PasswordHasher().encode(PASSWORD, "productionrunsalt")

H29, G12 = "000.00.00.H29", "000.00.00.G12"
CLIENT_ADDRESS = "203.0.113.7"
# Production's settings with this machine's test services, behind one proxy, with limits a load of tests passes.
PRODUCTION = {
    "ALLOWED_HOSTS": "127.0.0.1",
    "TRUSTED_PROXY_COUNT": "1",
    "THROTTLE_ANON": "100000/minute",
    "THROTTLE_USER": "100000/minute",
    "CONN_MAX_AGE": "0",  # the test flushes its tables between tests: no connection may stay open
}


def _environment() -> dict:
    return production_environment(**PRODUCTION, DATABASE_URL=_database_url(), REDIS_URL=settings.REDIS_URL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """gunicorn under the production settings, as docker-compose's web service runs it behind the proxy."""
    env = _environment()
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                               env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    log = open(tmp_path_factory.mktemp("gunicorn") / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "govit.wsgi:application", "-b", f"127.0.0.1:{port}",
                             "-w", "2", "--timeout", "30"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        for _ in range(120):
            try:
                if Web(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


class Web:
    """A client as the TLS proxy forwards it: X-Forwarded-Proto https and the client's address; cookies
    kept by hand, since they are Secure and this hop is plain HTTP."""

    def __init__(self, port: int, token: str | None = None, address: str = CLIENT_ADDRESS, language: str = "vi"):
        self.port, self.token, self.address, self.language = port, token, address, language
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                https: bool = True) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-For": self.address, "Accept-Language": self.language}
        if https:
            head["X-Forwarded-Proto"] = "https"
        if self.token:
            head["Authorization"] = f"Token {self.token}"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers={**head, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(value).items()})
        conn.close()
        return response.status, dict(response.headers), data

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def json(self, method: str, path: str, payload) -> tuple[int, dict]:
        status, _h, data = self.request(method, path, json.dumps(payload).encode(),
                                        {"Content-Type": "application/json"})
        return status, json.loads(data)

    def upload(self, path: str, fields: dict, filename: str, content: bytes) -> tuple[int, dict]:
        boundary = "govit-boundary-7c1f"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        kind = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        status, _h, data = self.request("POST", path, body, kind)
        return status, json.loads(data)

    def sign_in(self, username: str, password: str = PASSWORD) -> int:
        """The sign-in form with its CSRF token; HTTPS requests need a same-origin Referer too."""
        User.objects.filter(username=username).update(password=PRODUCTION_HASH)
        _s, _h, page = self.get("/accounts/login/")
        token = page.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
        status, _h, _b = self.request("POST", "/accounts/login/", form, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{self.port}/accounts/login/"})
        return status


def as_user(server_port: int, make_user, role: str, agency: str | None = None, name: str | None = None) -> Web:
    return Web(server_port, issue_token(make_user(name or f"{role}-{agency or 'x'}", role, agency)))


def bulk_fields(status: str = "draft") -> dict:
    return {"framework": "SAMPLE", "period": "2024", "status": status}


# 1. Every parse is linear and capped: a header of 40,000 columns is refused at once.

def test_1_a_header_of_40000_columns_is_refused_by_the_column_cap(server, agencies, period, make_user):  # noqa: F811
    lead = as_user(server, make_user, "agency_lead", H29)
    lead.language = "en"
    header = ",".join(f"c{i}" for i in range(40_000)).encode()
    status, body = lead.upload("/api/v1/values/bulk/", bulk_fields(), "wide.csv", header + b"\n" + b"x\n")
    assert status == 400 and body["errors"] == [
        {**body["errors"][0], "row": 1, "message": "The header has 40000 columns, more than 100."}], body
    rows = [{f"k{i}": "1" for i in range(40_000)}]
    status, body = lead.json("POST", "/api/v1/values/bulk/", {**bulk_fields(), "rows": rows})
    assert status == 400 and len(body["errors"]) == 1 and "more than 100" in body["errors"][0]["message"], body
    assert IndicatorValue.objects.count() == 0


# 2. Reviewers verify and reject; they never write values.

def test_2_a_reviewers_verified_bulk_write_is_403_and_changes_nothing(server, agencies, period, make_user):  # noqa: F811
    import_values(VALUES_CSV, "SAMPLE", 2024, status="draft")
    before = sorted(IndicatorValue.objects.values_list("pk", "version", "status", "updated_by_id"))
    reviewer = as_user(server, make_user, "reviewer")
    status, body = reviewer.upload("/api/v1/values/bulk/", bulk_fields("verified"), "values.csv", VALUES_CSV)
    assert status == 403, body
    assert "thẩm định" in body["detail"] or "xác minh" in body["detail"], body
    assert sorted(IndicatorValue.objects.values_list("pk", "version", "status", "updated_by_id")) == before


# 3. Nothing derived from an unverified value is shown outside its scope.

def test_3_breakdown_hides_s_and_points_of_submitted_values_from_an_observer(server, agencies, period,  # noqa: F811
                                                                              make_user):
    import_values(VALUES_CSV, "SAMPLE", 2024, status="submitted")
    observer = as_user(server, make_user, "observer")
    status, _h, data = observer.get(f"/api/v1/scores/{G12}/2024/breakdown/")
    assert status == 200, data
    lines = json.loads(data)["breakdown"]
    counted = [line for line in lines if line["value_status"] == "submitted" and line["status"] == "counted"]
    assert counted and all(line["value"] is None and line["s"] is None and line["points"] is None
                           for line in counted), counted
    lead = as_user(server, make_user, "agency_lead", G12)  # the scope: sees what the observer may not
    own = json.loads(lead.get(f"/api/v1/scores/{G12}/2024/breakdown/")[2])["breakdown"]
    assert any(line["s"] is not None for line in own if line["value_status"] == "submitted")


# 4. The 500s that were left.

def test_4_csv_cells_too_long_or_with_nul_are_row_errors(server, agencies, period, make_user):  # noqa: F811
    lead = as_user(server, make_user, "agency_lead", H29)
    head = b"agency_code,indicator_code,value,note\n"
    for row in (f"{H29},HT.01,5,{'x' * 140_000}\n".encode(), f"{H29},HT.01,5,a\x00b\n".encode()):
        status, body = lead.upload("/api/v1/values/bulk/", bulk_fields(), "values.csv", head + row)
        assert status == 400, body
        assert body["errors"][0]["row"] == 2, body
    assert IndicatorValue.objects.count() == 0


def test_4_a_huge_diff_version_is_a_400_page(server, world):  # noqa: F811
    plan = new_plan(world)
    web = Web(server)
    assert web.sign_in("canbo") == 302
    status, _h, page = web.get(f"/plans/{plan.pk}/diff/?to={'9' * 400}")
    assert status == 400 and "<html" in page.decode().lower()


def test_4_an_oversized_api_body_is_a_json_413(server, make_user):
    observer = as_user(server, make_user, "observer")
    body = json.dumps({"rows": ["x" * 1024] * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 + 10)}).encode()
    status, headers, data = observer.request("POST", "/api/v1/values/bulk/", body,
                                             {"Content-Type": "application/json"})
    assert status == 413 and headers["Content-Type"].startswith("application/json")
    answer = json.loads(data)
    assert answer["code"] == "too_large" and answer["detail_vi"] != answer["detail_en"]


# 5. Expensive files: shared strings capped before reading; sections capped.

def _xlsx_declaring_shared_strings(count: int) -> bytes:
    """A real workbook (header and one row) whose shared-strings part declares `count` distinct texts,
    as a workbook that would expand to millions of strings declares them."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["agency_code", "indicator_code", "value"])
    book.active.append([G12, "HT.01", 5])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                     f'spreadsheetml/2006/main" count="{count}" uniqueCount="{count}"><si><t>a</t></si></sst>')
    return out.getvalue()


def test_5_a_workbook_declaring_too_many_shared_strings_is_refused_before_reading(server, agencies, period,  # noqa: F811
                                                                                  make_user):
    lead = as_user(server, make_user, "agency_lead", G12)
    lead.language = "en"
    status, body = lead.upload("/api/v1/values/bulk/", bulk_fields(), "bomb.xlsx",
                               _xlsx_declaring_shared_strings(4_000_000))
    assert status == 400 and "distinct texts" in body["errors"][0]["message"], body
    status, body = lead.upload("/api/v1/values/bulk/", bulk_fields(), "fine.xlsx", _xlsx_declaring_shared_strings(1))
    assert status == 200, body


def test_5_a_section_over_the_cap_is_refused(server, world):  # noqa: F811
    plan = new_plan(world)
    staff = Web(server, issue_token(world.staff))
    key = plan.sections.first().key
    status, body = staff.json("PATCH", f"/api/v1/plans/{plan.pk}/", {
        "version": plan.version, "sections": [{"key": key, "body": "x" * (MAX_SECTION + 1)}]})
    assert status == 400, body
    assert Plan.objects.get(pk=plan.pk).version == plan.version


# 6. Sign-in and tokens.

def test_6_spraying_user_names_from_one_address_locks_it(server, make_user):
    make_user("nguoithat", "observer")
    web = Web(server, address="198.51.100.23")
    names = [f"ten{i}" for i in range(8)]
    statuses = [web.sign_in(names[i % len(names)], "Wrong-horse-1") for i in range(settings.AXES_IP_FAILURE_LIMIT)]
    assert statuses[-1] == 429, statuses
    assert web.sign_in("nguoithat") == 429  # the right password, from the sprayer's address
    assert Web(server, address="198.51.100.99").sign_in("nguoithat") == 302


def test_6_tokens_expire_and_die_with_a_password_change(server, make_user):
    user = make_user("khach", "observer")
    expired, fresh = Web(server, issue_token(user)), Web(server, issue_token(user))
    AuthToken.objects.filter(pk=AuthToken.objects.filter(user=user).order_by("created").first().pk).update(
        expiry=timezone.now() - datetime.timedelta(minutes=1))
    status, _h, data = expired.get("/api/v1/agencies/")
    assert status == 401 and json.loads(data)["detail_en"] != json.loads(data)["detail_vi"]
    assert fresh.get("/api/v1/agencies/")[0] == 200
    user.set_password("Another-horse-77")
    user.save()
    assert fresh.get("/api/v1/agencies/")[0] == 401


def test_6_error_pages_and_drf_messages_are_bilingual(server):
    status, _h, page = Web(server).get("/khong-co-trang-nay/")
    assert status == 404 and "Không tìm thấy trang" in page.decode() and "Page not found" in page.decode()
    for language, word in (("vi", "đăng nhập"), ("en", "sign-in required")):
        status, _h, data = Web(server, language=language).get("/api/v1/agencies/")
        assert status == 401 and word in json.loads(data)["detail"].lower()
    assert Web(server).get("/accounts/password_reset/")[0] == 200


# 7. The production shape: HTTPS only through the proxy; text fields are text; 409 says where things are.

def test_7_plain_http_is_redirected_and_the_forwarded_proto_is_believed(server):
    status, headers, _b = Web(server).get("/accounts/login/", https=False)
    assert status == 301 and headers["Location"].startswith("https://")
    assert Web(server).get("/accounts/login/")[0] == 200


def test_7_a_decision_number_must_be_text_and_409_carries_version_and_status(server, world):  # noqa: F811
    from plans import workflow

    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    plan = workflow.perform(plan.pk, "start_review", world.reviewer)
    reviewer = Web(server, issue_token(world.reviewer))
    status, body = reviewer.json("POST", f"/api/v1/plans/{plan.pk}/approve/",
                                 {"decision_number": ["1", "QĐ"], "decision_date": "2021-06-30"})
    assert status == 400 and "decision_number" in json.dumps(body), body
    status, body = reviewer.json("POST", f"/api/v1/plans/{plan.pk}/approve/",
                                 {"decision_number": "12/QĐ-UBND", "decision_date": "2021-06-30"})
    assert status == 200, body
    status, body = reviewer.json("POST", f"/api/v1/plans/{plan.pk}/approve/",
                                 {"decision_number": "12/QĐ-UBND", "decision_date": "2021-06-30"})
    stored = Plan.objects.get(pk=plan.pk)
    assert status == 409 and body["current_version"] == stored.version and body["status"] == stored.status == "approved"
    assert stored.decision_number == "12/QĐ-UBND"
