"""A small world for the values pages: a province with a department, another province, the reviewing
authority, the sample catalog with an open period, and a user of every role."""

import datetime
from types import SimpleNamespace

import pytest

from agencies.models import Agency, AgencyKind
from agencies.services import _set_tree_fields
from agencies.users import create_user
from assessments.catalog.loader import load_framework
from assessments.catalog.periods import create_period
from assessments.values.models import Evidence, IndicatorValue
from tests.values.conftest import FRAMEWORK_YAML

PASSWORD = "Correct-horse-9"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def make_agency(code: str, name: str, kind: str = AgencyKind.PROVINCE, parent: Agency | None = None) -> Agency:
    agency = Agency(code=code, name_vi=name, kind=kind, parent=parent, valid_from=datetime.date(2008, 1, 1))
    _set_tree_fields(agency)
    agency.save()
    return agency


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.province = make_agency("000.00.00.H26", "Thành phố Hà Nội")
    w.department = make_agency("000.00.01.H26", "Sở Khoa học và Công nghệ", AgencyKind.DEPARTMENT, w.province)
    w.other = make_agency("000.00.00.H29", "Thành phố Hồ Chí Minh")
    w.authority = make_agency("000.00.00.G06", "Bộ Khoa học và Công nghệ", AgencyKind.MINISTRY)
    w.framework = load_framework(FRAMEWORK_YAML).framework
    w.period = create_period("SAMPLE", 2024, deadline=datetime.date.today() + datetime.timedelta(days=30)).period
    w.ind = {i.code: i for i in w.framework.indicators.all()}

    def user(name, role, agency=None, wide=False):
        return create_user(name, role, agency.code if agency else None, wide, password=PASSWORD)[0]

    w.staff = user("canbo", "agency_staff", w.province)
    w.lead = user("lanhdao", "agency_lead", w.province)
    w.wide = user("canbo_rong", "agency_staff", w.province, wide=True)
    w.staff_other = user("canbo_hcm", "agency_staff", w.other)
    w.reviewer = user("thamdinh", "reviewer", w.authority)
    w.reviewer_member = user("thamdinh_hn", "reviewer", w.province)
    w.observer = user("nguoixem", "observer")
    w.admin = user("quantri", "admin")
    return w


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def value_of(agency, indicator, period) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(agency=agency, indicator=indicator, period=period).first()


def evidence_count() -> int:
    return Evidence.objects.count()
