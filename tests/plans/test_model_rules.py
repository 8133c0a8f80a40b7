"""Model and service rules: periods, years, sections, budgets, totals, atomic edits."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from govit.errors import InputRejected, in_language
from plans import services
from plans.models import BudgetLine, Plan, PlanEvent, PlanKind, PlanStatus, cycle_start
from plans.sections import Basis, required_keys
from plans.selectors import plan_totals, tasks_with_totals

from .conftest import a_task, full_sections, new_plan

pytestmark = pytest.mark.django_db


def wheres(exc) -> set:
    return {e.where for e in exc.value.errors}


def test_cycle_start():
    assert [cycle_start(y) for y in (2021, 2023, 2025, 2026, 2030, 2020, 2016)] == [2021, 2021, 2021, 2026, 2026,
                                                                                    2016, 2016]


def test_five_year_plan_covers_five_calendar_years(world):
    plan = new_plan(world, fill=False)
    assert (plan.first_year, plan.last_year, plan.years_label) == (2021, 2025, "2021–2025")
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.basis == Basis.IT_APPLICATION
    assert [s.key for s in plan.sections.all()] == ["current_state", "objectives", "tasks_solutions", "investment",
                                                    "implementation", "effectiveness"]
    dt = new_plan(world, period_start=2026, fill=False)
    assert dt.basis == Basis.DIGITAL_TRANSFORMATION
    assert {"targets", "resources"} <= set(dt.sections.values_list("key", flat=True))


@pytest.mark.parametrize("start", [2022, 2024, 2020, 1999])
def test_period_start_must_open_a_cycle(world, start):
    with pytest.raises(InputRejected) as exc:
        new_plan(world, period_start=start, fill=False)
    assert "period_start" in wheres(exc)
    assert not Plan.objects.exists()


def test_database_refuses_a_period_outside_the_cycles(world):
    plan = new_plan(world, fill=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(period_start=2022)


def test_annual_plan_year_and_its_five_year_plan(world):
    from .conftest import approved_plan

    five = approved_plan(world)
    annual = new_plan(world, kind="annual", period_start=None, year=2023, fill=False)
    assert annual.period_start == 2021 and annual.five_year_plan == five
    assert annual.years == [2023]
    with pytest.raises(InputRejected) as exc:  # a year outside the five-year plan it refers to
        new_plan(world, kind="annual", period_start=None, year=2027, five_year_plan=five, fill=False)
    assert "year" in wheres(exc)
    messages = [in_language(e.message, "en") for e in exc.value.errors]
    assert any("outside the five-year plan" in m for m in messages)
    assert any("ngoài" in in_language(e.message, "vi") for e in exc.value.errors)


def test_annual_plan_without_an_approved_five_year_plan_has_no_link(world):
    annual = new_plan(world, kind="annual", period_start=None, year=2024, fill=False)
    assert annual.five_year_plan is None and annual.kind == PlanKind.ANNUAL


def test_one_plan_in_progress_per_agency_and_years(world):
    new_plan(world, fill=False)
    with pytest.raises(InputRejected):
        new_plan(world, fill=False)
    new_plan(world, agency=world.other, user=world.other_staff, fill=False)  # another agency may
    assert Plan.objects.count() == 2


def test_required_sections_per_kind():
    assert "effectiveness" in required_keys(Basis.IT_APPLICATION, "five_year")
    assert "effectiveness" not in required_keys(Basis.IT_APPLICATION, "annual")
    assert "targets" in required_keys(Basis.DIGITAL_TRANSFORMATION, "annual")


def test_totals_are_sums_of_budget_lines(world):
    plan = new_plan(world, fill=False)
    plan, _ = services.update_plan(plan.pk, world.staff, {"tasks": [
        a_task(2021),
        a_task(2022, category="software", budget_lines=[{"source": "oda", "amount": "2.000.000"}]),
    ]}, plan.version)
    totals = plan_totals(plan)
    assert totals["total"] == 2_002_000_000
    assert totals["by_source"] == {"state_budget_central": 500_000_000, "state_budget_local": 1_500_000_000,
                                   "oda": 2_000_000, "other": 0}
    assert totals["by_category"]["infrastructure"] == 2_000_000_000 and totals["by_category"]["software"] == 2_000_000
    assert [t.total for t in tasks_with_totals(plan)] == [2_000_000_000, 2_000_000]


@pytest.mark.parametrize("amount", [-1, "-5", "abc", "1,5", 1.5, None, True, "1.23"])
def test_bad_budget_amounts_are_refused(world, amount):
    plan = new_plan(world, fill=False)
    with pytest.raises(InputRejected) as exc:
        services.update_plan(plan.pk, world.staff, {"tasks": [a_task(2021, budget_lines=[
            {"source": "oda", "amount": amount}])]}, plan.version)
    assert wheres(exc) == {"tasks[0].budget_lines[0].amount"}


def test_database_refuses_negative_amounts(world):
    plan = new_plan(world)
    line = BudgetLine.objects.filter(task__plan=plan).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(amount=-1)


def test_task_outside_the_plan_years_is_refused_and_nothing_is_saved(world):
    plan = new_plan(world, fill=False)
    data = {"sections": full_sections(plan), "tasks": [a_task(2021), a_task(2026)]}
    with pytest.raises(InputRejected) as exc:
        services.update_plan(plan.pk, world.staff, data, plan.version)
    assert wheres(exc) == {"tasks[1].start_date", "tasks[1].end_date"}
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.tasks.exists()
    assert not any(plan.sections.values_list("body", flat=True))  # the valid sections were not saved either


def test_task_dates_ordered_and_category_known(world):
    plan = new_plan(world, fill=False)
    with pytest.raises(InputRejected) as exc:
        services.update_plan(plan.pk, world.staff, {"tasks": [
            a_task(2021, start_date="30/06/2022", end_date="01/01/2022", category="rockets")]}, plan.version)
    assert wheres(exc) == {"tasks[0].end_date", "tasks[0].category"}


def test_vietnamese_dates_and_grouped_amounts_are_understood(world):
    plan = new_plan(world, fill=False)
    plan, changed = services.update_plan(plan.pk, world.staff, {"tasks": [a_task(
        2021, start_date="01/03/2021", end_date="31/12/2025",
        budget_lines=[{"source": "other", "amount": "1.234.567"}])]}, plan.version)
    task = plan.tasks.get()
    assert changed and task.start_date == datetime.date(2021, 3, 1) and task.end_date == datetime.date(2025, 12, 31)
    assert task.budget_lines.get().amount == 1_234_567


def test_edits_keep_task_ids_and_record_events(world):
    plan = new_plan(world)
    task = plan.tasks.get()
    row = a_task(2021, id=task.pk, name="Nâng cấp trung tâm dữ liệu (giai đoạn 2)")
    plan, changed = services.update_plan(plan.pk, world.staff, {"tasks": [row, a_task(2022)]}, plan.version)
    assert changed and plan.tasks.count() == 2
    assert plan.tasks.get(pk=task.pk).name.endswith("(giai đoạn 2)")
    assert task.history.count() == 2  # django-simple-history keeps the task's previous state
    assert list(PlanEvent.objects.filter(plan=plan).values_list("version", "action")) == [
        (1, "create"), (2, "edit"), (3, "edit")]
    assert PlanEvent.objects.get(plan=plan, version=3).snapshot["tasks"][0]["name"].endswith("(giai đoạn 2)")


def test_an_edit_that_changes_nothing_keeps_the_version(world):
    plan = new_plan(world)
    same = {"sections": full_sections(plan)}
    plan2, changed = services.update_plan(plan.pk, world.staff, same, plan.version)
    assert not changed and plan2.version == plan.version


def test_plan_events_are_append_only(world):
    plan = new_plan(world, fill=False)
    event = plan.events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_targets_need_catalog_indicators_and_plan_years(world, indicator):
    plan = new_plan(world, fill=False)
    with pytest.raises(InputRejected) as exc:
        services.update_plan(plan.pk, world.staff, {"targets": [
            {"indicator": indicator.pk, "year": 2030, "value": "80"},
            {"indicator": 999999, "year": 2022, "value": "80"},
            {"indicator": indicator.pk, "year": 2022, "value": "many"},
        ]}, plan.version)
    assert wheres(exc) == {"targets[0].year", "targets[1].indicator", "targets[2].value"}
    plan, _ = services.update_plan(plan.pk, world.staff, {"targets": [
        {"indicator": indicator.pk, "year": y, "value": v} for y, v in ((2021, "60"), (2025, "92,5"))]}, plan.version)
    assert [(t.year, str(t.value)) for t in plan.targets.order_by("year")] == [(2021, "60.000000"),
                                                                               (2025, "92.500000")]


def test_missing_parts_list_every_empty_required_section(world):
    plan = new_plan(world, fill=False)
    missing = services.missing_parts(plan)
    assert {e.where for e in missing} == {f"sections.{k}" for k in required_keys(plan.basis, plan.kind)} | {"tasks"}


def test_postgresql_refuses_to_rewrite_plan_events(world):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL")
    plan = new_plan(world, fill=False)
    for sql in ("UPDATE plans_planevent SET comment = 'x' WHERE plan_id = %s",
                "DELETE FROM plans_planevent WHERE plan_id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [plan.pk])
    assert plan.events.count() == 1


def test_targets_and_budget_lines_replaced_in_bulk_reach_the_audit_log(world, indicator):
    from auditlog.models import LogEntry

    from plans.models import BudgetLine, PlanTarget

    plan = new_plan(world, fill=False)
    plan, _ = services.update_plan(plan.pk, world.staff, {
        "targets": [{"indicator": indicator.pk, "year": 2022, "value": "80"}],
        "tasks": [a_task(plan.first_year)]}, plan.version)
    plan, _ = services.update_plan(plan.pk, world.staff, {
        "targets": [{"indicator": indicator.pk, "year": 2022, "value": "85"}],
        "tasks": [{**a_task(plan.first_year), "id": plan.tasks.get().pk,
                   "budget_lines": [{"source": "state_budget_local", "amount": 7}]}]}, plan.version)
    targets = LogEntry.objects.get_for_model(PlanTarget)
    assert targets.filter(action=LogEntry.Action.CREATE).count() == 2
    assert targets.filter(action=LogEntry.Action.DELETE).count() == 1
    assert {e.changes_dict["value"][1] for e in targets.filter(action=LogEntry.Action.CREATE)} == {"80", "85"}
    lines = LogEntry.objects.get_for_model(BudgetLine)
    assert lines.filter(action=LogEntry.Action.CREATE).count() == 3  # two lines, then the one that replaced them
    assert lines.filter(action=LogEntry.Action.DELETE).count() == 2
