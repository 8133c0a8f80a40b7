"""Two reviewers (two PostgreSQL connections, two threads) acting on one plan at the same moment:
exactly one transition wins, the other gets a conflict, and nothing half-done is saved."""

import datetime
import threading

import pytest
from django.db import connection, connections

from plans import services, workflow
from plans.errors import PlanConflict
from plans.models import Plan, PlanEvent, PlanStatus

from .conftest import client_for, new_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (run with bin/test)")


def race(*calls):
    """Run the calls in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def under_review(world) -> Plan:
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    return workflow.perform(plan.pk, "start_review", world.reviewer)


DECISION = {"decision_number": "77/QĐ-UBND", "decision_date": datetime.date(2021, 8, 1)}


@pytest.mark.parametrize("round_", range(3))
def test_two_reviewers_approve_at_once_exactly_one_wins(world, round_):
    plan = under_review(world)
    results = race(lambda: workflow.perform(plan.pk, "approve", world.reviewer, **DECISION),
                   lambda: workflow.perform(plan.pk, "approve", world.reviewer2, **DECISION))
    wins = [r for r in results if isinstance(r, Plan)]
    conflicts = [r for r in results if isinstance(r, PlanConflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    assert conflicts[0].code == "invalid_state"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.version == wins[0].version
    assert PlanEvent.objects.filter(plan=plan, action="approve").count() == 1


def test_approve_and_return_at_once_exactly_one_wins(world):
    plan = under_review(world)
    results = race(lambda: workflow.perform(plan.pk, "approve", world.reviewer, **DECISION),
                   lambda: workflow.perform(plan.pk, "return", world.reviewer2, comment="Thiếu dự toán"))
    assert sorted(type(r).__name__ for r in results) == ["Plan", "PlanConflict"], results
    plan.refresh_from_db()
    winner = next(r for r in results if isinstance(r, Plan))
    assert plan.status == winner.status
    assert PlanEvent.objects.filter(plan=plan, action__in=["approve", "return"]).count() == 1
    if plan.status == PlanStatus.RETURNED:
        assert plan.decision_number == ""  # the losing approval left nothing behind


def test_two_edits_on_the_same_version_one_conflicts(world):
    plan = new_plan(world)
    results = race(
        lambda: services.update_plan(plan.pk, world.staff, {"title": "Bản A"}, plan.version),
        lambda: services.update_plan(plan.pk, world.lead, {"title": "Bản B"}, plan.version),
    )
    conflicts = [r for r in results if isinstance(r, PlanConflict)]
    assert len(conflicts) == 1 and conflicts[0].code == "stale_version", results
    plan.refresh_from_db()
    assert plan.version == 3 and plan.title in ("Bản A", "Bản B")


def test_racing_approvals_through_the_api(world):
    plan = under_review(world)
    body = {"decision_number": "5/QĐ-UBND", "decision_date": "2021-09-01"}
    a, b = client_for(world.reviewer), client_for(world.reviewer2)
    results = race(lambda: a.post(f"/api/v1/plans/{plan.pk}/approve/", body, format="json").status_code,
                   lambda: b.post(f"/api/v1/plans/{plan.pk}/approve/", body, format="json").status_code)
    assert sorted(results) == [200, 409]
