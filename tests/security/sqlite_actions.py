"""Run by tests/security/test_sqlite_races.py in separate processes against one temporary SQLite file, with
the development settings as `bin/run` uses them (no DATABASE_URL: the embedded database).

    setup                   a plan under review, two reviewers                  prints the plan id
    approve NAME PLAN GO    waits for the file GO, approves through the API     prints status and JSON body
    hold READY RELEASE      holds the write lock (touches READY once it has it) until the file RELEASE exists
"""

import datetime
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from agencies.models import AgencyKind, User  # noqa: E402
from agencies.users import create_user  # noqa: E402
from plans import workflow  # noqa: E402
from plans.models import Plan  # noqa: E402
from tests.plans.conftest import make_agency, new_plan  # noqa: E402


def setup() -> None:
    world = SimpleNamespace(province=make_agency("000.00.00.H26", "Thành phố Hà Nội"))
    authority = make_agency("000.00.00.G06", "Bộ Khoa học và Công nghệ", AgencyKind.MINISTRY)
    for attr, name, role, agency in (("staff", "canbo", "agency_staff", world.province),
                                     ("lead", "lanhdao", "agency_lead", world.province),
                                     ("reviewer", "thamdinh", "reviewer", authority),
                                     ("reviewer2", "thamdinh2", "reviewer", authority)):
        setattr(world, attr, create_user(name, role, agency.code, False, password="Correct-horse-9")[0])
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    workflow.perform(plan.pk, "start_review", world.reviewer)
    print(plan.pk)


def approve(username: str, plan_id: str, go: str) -> None:
    client = Client(raise_request_exception=False)  # a 500 is an answer to report, as a server gives it
    client.force_login(User.objects.get(username=username))
    body = {"decision_number": "5/QĐ-UBND", "decision_date": datetime.date(2021, 9, 1).isoformat()}
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.001)
    response = client.post(f"/api/v1/plans/{plan_id}/approve/", body, content_type="application/json")
    print(json.dumps({"status": response.status_code, "body": response.content.decode()}))


def hold(ready: str, release: str) -> None:
    with transaction.atomic():
        Plan.objects.update(title="Đang giữ khoá")  # takes the write lock
        Path(ready).touch()
        deadline = time.monotonic() + 120  # a test that died does not leave the lock held for ever
        while not Path(release).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        transaction.set_rollback(True)


if __name__ == "__main__":
    {"setup": setup, "approve": approve, "hold": hold}[sys.argv[1]](*sys.argv[2:])
