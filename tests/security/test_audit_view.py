"""The administrators' audit log page (/audit/) and its CSV export: every change to values, plans, users
and roles with who, what, before → after, when (dd/mm/yyyy HH:MM, Hà Nội time) and from where."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agencies.models import Role, User
from agencies.users import create_user
from assessments.values.models import IndicatorValue
from assessments.values.services import save_value
from plans.models import Plan, PlanSection
from plans.services import NewPlan, create_plan
from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures

G12 = "000.00.00.G12"
PASSWORD = "Correct-horse-9"

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def token_client(username: str, role: str, agency: str | None = None) -> tuple[User, APIClient]:
    user, _pw, key = create_user(username, role, agency, password=PASSWORD, with_token=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return user, client


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("quantri", "admin"))
    return client


def test_changes_to_values_plans_users_and_roles_are_shown_with_who_before_after_when_where(
        admin_client, agencies, period):  # noqa: F811
    staff, api = token_client("canbo", "agency_staff", G12)
    where = {"REMOTE_ADDR": "10.0.0.7"}

    body = {"agency": G12, "framework": "SAMPLE", "period": 2024, "indicator": "HT.01", "value": "90,8"}
    created = api.post("/api/v1/values/", body, format="json", **where)
    assert created.status_code == 201, created.content
    edited = api.post("/api/v1/values/", {**body, "value": "75", "version": 1}, format="json", **where)
    assert edited.status_code == 200, edited.content

    plan = api.post("/api/v1/plans/", {"agency": G12, "kind": "five_year", "period_start": 2026}, format="json",
                    **where).json()
    renamed = api.patch(f"/api/v1/plans/{plan['id']}/", {"version": plan["version"], "title": "Kế hoạch CĐS Bộ"},
                        format="json", **where)
    assert renamed.status_code == 200, renamed.content

    target = create_user("nguoidung", "observer", password=PASSWORD)[0]
    promoted = admin_client.post(f"/admin/agencies/user/{target.pk}/change/", {
        "username": "nguoidung", "role": "reviewer", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}, REMOTE_ADDR="10.0.0.9")
    assert promoted.status_code == 302

    value = IndicatorValue.objects.get()
    value_entry = LogEntry.objects.get_for_object(value).get(action=LogEntry.Action.UPDATE)
    plan_entry = LogEntry.objects.get_for_object(Plan.objects.get()).get(action=LogEntry.Action.UPDATE)
    role_entry = LogEntry.objects.get_for_object(target).get(action=LogEntry.Action.UPDATE)
    # A token-authenticated API call is attributed to its user, not logged as anonymous.
    assert (value_entry.actor, value_entry.remote_addr) == (staff, "10.0.0.7")
    assert (plan_entry.actor, plan_entry.remote_addr) == (staff, "10.0.0.7")
    assert role_entry.actor.username == "quantri" and role_entry.remote_addr == "10.0.0.9"

    def page(**filters) -> str:
        response = admin_client.get("/audit/", filters)
        assert response.status_code == 200
        return response.content.decode()

    html = page(type=ContentType.objects.get_for_model(IndicatorValue).pk)
    assert f"{G12} · HT.01 · SAMPLE 2024" in html  # a readable name, not the ids of str(value)
    assert "90,8 → 75" in html  # numbers as Vietnamese write them
    assert "assessments.Evidence" not in html  # auditlog's placeholder for a reverse relation is not shown
    assert "canbo" in html and "10.0.0.7" in html and local(value_entry.timestamp) in html

    html = page(type=ContentType.objects.get_for_model(Plan).pk)
    assert "→ Kế hoạch CĐS Bộ" in html and local(plan_entry.timestamp) in html

    html = page(object_id=target.pk, type=ContentType.objects.get_for_model(User).pk)
    with translation.override("vi"):
        before, after = str(Role.OBSERVER.label), str(Role.REVIEWER.label)
    assert f"{before} → {after}" in html and "quantri" in html and "10.0.0.9" in html


def test_only_administrators_read_the_log(client, make_user):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")
    assert client.get("/audit/export.csv")["Location"].startswith("/accounts/login/")
    for role in ("observer", "reviewer"):
        client.force_login(make_user(role, role))
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/export.csv").status_code == 403
        assert 'href="/audit/"' not in client.get("/").content.decode()
    # A superuser made with createsuperuser keeps the default role, and is an administrator all the same.
    client.force_login(User.objects.create_superuser("root", "root@example.gov.vn", PASSWORD))
    assert client.get("/audit/").status_code == 200
    client.force_login(make_user("quantri", "admin"))
    assert 'href="/audit/"' in client.get("/").content.decode()


def log(obj, changes: dict, at: datetime.datetime, actor=None, action=LogEntry.Action.UPDATE) -> LogEntry:
    return LogEntry.objects.log_create(obj, action=action, changes=changes, timestamp=at, actor=actor)


@pytest.fixture
def mixed_log(agencies, framework, period, make_user):  # noqa: F811
    """Rounds of five entries, one of each kind (value, plan, plan section, user, a deleted object), newest first."""
    staff = make_user("canbo", "agency_staff", G12)
    lead = make_user("lanhdao", "agency_lead", G12)
    value = save_value(staff, agencies[G12], framework.indicators.get(code="HT.01"), period, value="50")
    plan = create_plan(staff, NewPlan(agency=agencies[G12], kind="five_year", period_start=2026))
    section = plan.sections.first()
    start = timezone.make_aware(datetime.datetime(2020, 3, 1, 9, 0))
    for i in range(8):
        at = start + datetime.timedelta(days=i)
        log(value, {"value_decimal": [str(i), str(i + 1)], "updated_by": [str(staff.pk), str(lead.pk)]}, at, staff)
        log(plan, {"status": ["draft", "submitted"], "approved_by": ["None", str(lead.pk)]}, at, lead)
        log(section, {"body": ["", f"Nội dung {i}"]}, at, staff)
        log(lead, {"role": ["agency_staff", "agency_lead"], "agency": ["None", str(agencies[G12].pk)]}, at)
        gone = PlanSection(pk=10_000 + i, plan=plan, key="gone", title="Mục đã xoá")
        log(gone, {"title": ["Mục đã xoá", "None"]}, at, staff, LogEntry.Action.DELETE)
    return {"staff": staff, "lead": lead, "value": value, "plan": plan}


def test_query_count_does_not_grow_with_the_page_size(admin_client, mixed_log):
    admin_client.get("/audit/")  # content types and sessions cached

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            # The fixture's rounds only: every page of 5 holds one entry of each kind.
            response = admin_client.get("/audit/", {"page_size": size, "date_to": "31/12/2020"})
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="audit-entry"') == size
        return len(ctx.captured_queries)

    assert queries(5) == queries(40)


def test_filters_by_actor_type_object_and_local_dates(admin_client, mixed_log):
    def count(**filters) -> int:
        return admin_client.get("/audit/", {"page_size": 500, **filters}).content.decode().count(
            'data-testid="audit-entry"')

    plan_type = ContentType.objects.get_for_model(Plan).pk
    assert count(date_from="01/03/2020", date_to="31/03/2020") == 40
    assert count(actor="LANHDAO", date_from="01/03/2020") == 8  # the plan entries; user name case-insensitive
    assert count(type=plan_type, object_id=mixed_log["plan"].pk) == 8 + 1  # and its creation
    assert count(date_from="03/03/2020", date_to="04/03/2020") == 10
    assert count(date_from="2020-03-08", date_to="08/03/2020") == 5  # ISO dates are understood too

    # Days are Hà Nội days: 18:00 UTC on 1 March is already 2 March there.
    log(mixed_log["lead"], {"email": ["", "a@b.vn"]}, datetime.datetime(2020, 2, 20, 18, 0, tzinfo=datetime.UTC))
    html = admin_client.get("/audit/", {"date_from": "21/02/2020", "date_to": "21/02/2020"}).content.decode()
    assert html.count('data-testid="audit-entry"') == 1 and "21/02/2020 01:00" in html
    assert 'data-testid="audit-empty"' not in html
    nothing = admin_client.get("/audit/", {"date_from": "01/01/2019", "date_to": "31/01/2019"}).content.decode()
    assert 'data-testid="audit-empty"' in nothing and "Không có mục nào" in nothing
    assert 'data-testid="audit-log"' not in nothing  # no empty table

    bad = admin_client.get("/audit/", {"date_from": "31/02/2020", "date_to": "x"})
    assert bad.status_code == 200 and 'data-testid="filter-errors"' in bad.content.decode()
    assert 'data-testid="audit-entry"' not in bad.content.decode()
    backwards = admin_client.get("/audit/", {"date_from": "05/03/2020", "date_to": "01/03/2020"}).content.decode()
    assert 'data-testid="filter-errors"' in backwards and 'data-testid="audit-entry"' not in backwards


def test_readable_values_before_after(admin_client, mixed_log):
    html = admin_client.get("/audit/", {"date_from": "08/03/2020", "date_to": "08/03/2020"}).content.decode()
    assert "canbo → lanhdao" in html  # foreign keys by name
    assert "— → lanhdao" in html  # null shown as a dash
    with translation.override("vi"):
        assert f"{Role.AGENCY_STAFF.label} → {Role.AGENCY_LEAD.label}" in html  # choices by label
    assert "Mục đã xoá" in html  # a deleted object keeps the name it was logged with
    assert f"{G12} · HT.01 · SAMPLE 2024" in html


def test_csv_export_of_the_filtered_log_escapes_formulas(admin_client, mixed_log):
    plan = mixed_log["plan"]
    log(plan, {"title": [plan.title, '=HYPERLINK("http://evil.example","x")']},
        timezone.make_aware(datetime.datetime(2020, 4, 1, 8, 30)), mixed_log["staff"])
    response = admin_client.get("/audit/export.csv", {"type": ContentType.objects.get_for_model(Plan).pk,
                                                      "date_from": "01/03/2020", "date_to": "30/04/2020"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, rows = rows[0], rows[1:]
    assert len(header) == 10
    # 8 entries with two changed fields each, and the title change.
    assert len(rows) == 8 * 2 + 1
    title = next(r for r in rows if r[0] == "01/04/2020 08:30")
    assert title[1] == "canbo" and title[8] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert {r[4] for r in rows} == {str(plan.pk)}


def test_fields_are_named_in_the_readers_language(admin_client, mixed_log):
    """Issue 13 item 5: a field declared without a verbose_name showed Django's English default ("updated by")."""
    html = admin_client.get("/audit/", {"date_from": "08/03/2020", "date_to": "08/03/2020"}).content.decode()
    changes = " ".join(part.split("</dl>")[0] for part in html.split('<dl class="changes">')[1:])
    with translation.override("vi"):
        user_label = str(User._meta.verbose_name)
        value_label = str(IndicatorValue._meta.get_field("value_decimal").verbose_name)
    assert f"<dt>{user_label}</dt>" in changes and f"<dt>{value_label}</dt>" in changes
    assert "updated by" not in changes and "value_decimal" not in changes
