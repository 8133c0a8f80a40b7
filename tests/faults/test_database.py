"""The database connection dropped during a request (the server process killed with pg_terminate_backend
from another connection, as a restart or failover would): the user gets a clear answer (an error page in
Vietnamese and English, or a bilingual JSON 503 from the API; never a traceback), nothing is half-saved,
and the next request works with no manual step.

The requests run through a client that starts and ends them as a WSGI server does: Django's test client
leaves out the closing of broken or expired connections, and that closing is part of the recovery.
"""

import contextlib
import json
from decimal import Decimal

import psycopg
import pytest
from auditlog.models import LogEntry
from django.db import close_old_connections, connection
from django.db.models.signals import post_save
from django.test import Client

from agencies.users import create_user
from assessments.values.models import IndicatorValue
from plans.models import Plan, PlanSection
from plans.services import NewPlan, create_plan
from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db(transaction=True)

G12 = "000.00.00.G12"
PASSWORD = "Correct-horse-9"


class ServerClient(Client):
    def __init__(self, **defaults):
        super().__init__(raise_request_exception=False, **defaults)

    def request(self, **request):
        close_old_connections()  # request_started
        try:
            return super().request(**request)
        finally:
            close_old_connections()  # request_finished


def terminate(pid: int) -> None:
    """Kill a PostgreSQL server process from another connection, and wait until it is gone."""
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
                         host=db["HOST"], port=db["PORT"] or None, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


def backend_pid() -> int:
    return connection.connection.info.backend_pid


@contextlib.contextmanager
def connection_dropped_after_saving(model):
    """The first save of `model` is written (inside its transaction), then the connection dies."""
    fired = []

    def drop(sender, **kwargs):
        if not fired:
            fired.append(True)
            terminate(backend_pid())

    post_save.connect(drop, sender=model, weak=False)
    try:
        yield fired
    finally:
        post_save.disconnect(drop, sender=model)
    assert fired, f"no {model.__name__} was saved: the fault was not injected"


def assert_database_unavailable_json(response):
    assert response.status_code == 503 and response["Retry-After"]
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert "cơ sở dữ liệu" in body["detail_vi"] and "database" in body["detail_en"]
    assert "Traceback" not in response.content.decode()


def test_api_value_save_cut_off_mid_transaction_saves_nothing_and_the_next_request_works(agencies, period):  # noqa: F811
    key = create_user("canbo", "agency_staff", G12, password=PASSWORD, with_token=True)[2]
    api = ServerClient(HTTP_AUTHORIZATION=f"Token {key}")
    body = {"agency": G12, "framework": "SAMPLE", "period": 2024, "indicator": "HT.01", "value": "90,8"}

    def save(**fields):
        return api.post("/api/v1/values/", json.dumps({**body, **fields}), content_type="application/json")

    assert save().status_code == 201
    value = IndicatorValue.objects.get()
    history, audit = value.history.count(), LogEntry.objects.count()

    with connection_dropped_after_saving(IndicatorValue):
        assert_database_unavailable_json(save(value="75", version=1))

    value.refresh_from_db()  # a new connection: Django closed the broken one at the end of the request
    assert (value.value_decimal, value.version) == (Decimal("90.8"), 1)
    assert value.history.count() == history and LogEntry.objects.count() == audit  # no trace of the lost save

    retried = save(value="75", version=1)  # the same request again, nothing done in between
    assert retried.status_code == 200, retried.content
    value.refresh_from_db()
    assert (value.value_decimal, value.version) == (75, 2)


def test_web_plan_edit_cut_off_shows_a_bilingual_page_and_keeps_the_plan_whole(agencies):  # noqa: F811
    staff = create_user("canbo", "agency_staff", G12, password=PASSWORD)[0]
    plan = create_plan(staff, NewPlan(agency=agencies[G12], kind="five_year", period_start=2026))
    section = plan.sections.order_by("order").first()
    web = ServerClient()
    web.force_login(staff)
    edit = {"version": plan.version, "title": "Kế hoạch mới", f"section-{section.key}": "Nội dung mới"}

    with connection_dropped_after_saving(PlanSection):
        response = web.post(f"/plans/{plan.pk}/autosave/", edit)
    assert response.status_code == 503 and response["Retry-After"]
    page = response.content.decode()
    assert "Tạm thời gián đoạn" in page and "Temporarily unavailable" in page and "Traceback" not in page
    assert 'lang="en"' in page  # the English half is marked as English

    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.title, stored.version) == (plan.title, plan.version)
    assert PlanSection.objects.get(pk=section.pk).body == section.body

    assert web.post(f"/plans/{plan.pk}/autosave/", edit).status_code == 200
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.title == "Kế hoạch mới" and stored.version == plan.version + 1
    assert web.get("/plans/").status_code == 200


@pytest.fixture
def kept_connections(monkeypatch):
    """Connections kept between requests, as in production (CONN_MAX_AGE=60 in docker-compose)."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    yield
    connection.close()


def test_a_kept_connection_killed_between_requests_is_replaced_without_an_error(kept_connections, make_user):
    web = ServerClient()
    web.force_login(make_user("nguoixem", "observer"))
    assert web.get("/agencies/").status_code == 200
    killed = backend_pid()
    terminate(killed)

    assert web.get("/agencies/").status_code == 200  # CONN_HEALTH_CHECKS: checked, found dead, replaced
    assert backend_pid() != killed


def test_without_health_checks_the_user_gets_the_page_then_the_next_request_works(
        kept_connections, make_user, monkeypatch):
    """What CONN_HEALTH_CHECKS saves: the first query of the request (the session) fails, and even then
    the user reads a clear page and the request after it works."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    web = ServerClient()
    web.force_login(make_user("nguoixem", "observer"))
    assert web.get("/agencies/").status_code == 200
    terminate(backend_pid())

    failed = web.get("/agencies/")
    assert failed.status_code == 503 and "Tạm thời gián đoạn" in failed.content.decode()
    api = web.get("/api/v1/agencies/")
    assert api.status_code == 200  # the broken connection was closed at the end of the failed request
