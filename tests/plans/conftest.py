"""A small world for plan tests: a province with staff and lead, another province, the reviewing
authority with reviewers, an observer, an admin, and a catalog indicator for targets."""

import datetime
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from agencies.models import Agency, AgencyKind
from agencies.services import _set_tree_fields
from agencies.users import create_user
from plans import services
from plans.models import FundingSource, InvestmentCategory, Plan
from plans.sections import Basis, sections_for


def make_agency(code, name, kind=AgencyKind.PROVINCE, parent=None):
    agency = Agency(code=code, name_vi=name, kind=kind, parent=parent, valid_from=datetime.date(2008, 1, 1))
    _set_tree_fields(agency)
    agency.save()
    return agency


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.province = make_agency("000.00.00.H26", "Thành phố Hà Nội")
    w.department = make_agency("000.01.00.H26", "Sở Khoa học và Công nghệ Hà Nội", AgencyKind.DEPARTMENT,
                               parent=w.province)
    w.other = make_agency("000.00.00.H29", "Tỉnh Hà Tĩnh")
    w.authority = make_agency("000.00.00.G06", "Bộ Khoa học và Công nghệ", AgencyKind.MINISTRY)

    def user(name, role, agency=None, descendants=False):
        return create_user(name, role, agency.code if agency else None, descendants, password="Correct-horse-9")[0]

    w.staff = user("canbo", "agency_staff", w.province)
    w.lead = user("lanhdao", "agency_lead", w.province)
    w.dept_staff = user("so.canbo", "agency_staff", w.department)
    w.other_staff = user("hatinh.canbo", "agency_staff", w.other)
    w.other_lead = user("hatinh.lanhdao", "agency_lead", w.other)
    w.reviewer = user("thamdinh", "reviewer", w.authority)
    w.reviewer2 = user("thamdinh2", "reviewer", w.authority)
    w.member_reviewer = user("thamdinh.hanoi", "reviewer", w.province)  # a reviewer who belongs to Hà Nội
    w.admin = user("quantri", "admin")
    w.observer = user("quansat", "observer")
    for u in (w.staff, w.lead, w.dept_staff, w.other_staff, w.other_lead):
        u.email = f"{u.username}@example.gov.vn"
        u.save(update_fields=["email"])
    return w


def some_indicator():
    from assessments.catalog.models import Framework, Indicator, Pillar

    framework, _ = Framework.objects.get_or_create(code="CDS", version="2026.1", defaults={
        "name_vi": "Bộ chỉ số chuyển đổi số", "levels": [{"code": "x"}], "content_hash": "0" * 64})
    pillar, _ = Pillar.objects.get_or_create(framework=framework, code="P1", defaults={"name_vi": "Hạ tầng"})
    indicator, _ = Indicator.objects.get_or_create(framework=framework, code="P1.1", defaults={
        "pillar": pillar, "name_vi": "Tỷ lệ hồ sơ trực tuyến", "type": "percent",
        "normalization": {"method": "linear", "floor": 0, "target": 90}, "max_points": 10})
    return indicator


@pytest.fixture
def indicator(db):
    return some_indicator()


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def full_sections(plan: Plan) -> list[dict]:
    return [{"key": s.key, "body": f"Nội dung mục {s.key}: ứng dụng công nghệ thông tin."}
            for s in sections_for(plan.basis)]


def a_task(year: int, **over) -> dict:
    task = {"owner_unit": "Sở Thông tin và Truyền thông", "name": "Nâng cấp trung tâm dữ liệu",
            "start_date": f"{year}-02-01", "end_date": f"{year}-11-30", "category": InvestmentCategory.INFRASTRUCTURE,
            "budget_lines": [{"source": FundingSource.STATE_BUDGET_LOCAL, "amount": 1_500_000_000},
                             {"source": FundingSource.STATE_BUDGET_CENTRAL, "amount": 500_000_000}]}
    task.update(over)
    return task


def new_plan(world, kind="five_year", period_start=2021, year=None, user=None, fill=True, **kw) -> Plan:
    plan = services.create_plan(user or world.staff, services.NewPlan(
        agency=kw.pop("agency", world.province), kind=kind, period_start=period_start, year=year, **kw))
    if fill:
        content = {"sections": full_sections(plan), "tasks": [a_task(plan.first_year)]}
        if plan.basis == Basis.DIGITAL_TRANSFORMATION:
            content["targets"] = [{"indicator": some_indicator().pk, "year": plan.last_year, "value": "90"}]
        plan, _ = services.update_plan(plan.pk, user or world.staff, content, plan.version)
    return plan


def approved_plan(world, **kw) -> Plan:
    from plans import workflow

    plan = new_plan(world, **kw)
    workflow.perform(plan.pk, "submit", world.lead if plan.agency == world.province else world.other_lead)
    workflow.perform(plan.pk, "start_review", world.reviewer)
    return workflow.perform(plan.pk, "approve", world.reviewer, decision_number="123/QĐ-UBND",
                            decision_date=datetime.date(2021, 6, 30))
