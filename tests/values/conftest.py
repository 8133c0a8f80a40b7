"""Fixtures of the values tests, shared by the catalog and scores tests: the sample catalog, a few agencies
with the registry's codes, a period."""

import datetime
from pathlib import Path

import pytest

from agencies.models import Agency
from agencies.services import AgencyRow, upsert_agencies
from assessments.catalog.loader import load_framework
from assessments.catalog.periods import create_period

SAMPLES = Path(__file__).parent / "samples"
FRAMEWORK_YAML = (SAMPLES / "framework.yaml").read_bytes()
VALUES_CSV = (SAMPLES / "values.csv").read_bytes()

AGENCIES = [
    # code, name, kind, parent, valid_from, valid_to
    ("000.00.00.G12", "Bộ Tài chính", "ministry", "", "2008-01-01", ""),
    ("000.00.00.H29", "Thành phố Hồ Chí Minh", "province", "", "2008-08-01", "2025-06-30"),
    ("000.00.00.H29", "Thành phố Hồ Chí Minh", "province", "", "2025-07-01", ""),
    ("000.00.01.H29", "Sở Khoa học và Công nghệ", "department", "000.00.00.H29", "2008-08-01", "2025-06-30"),
    ("000.00.00.H90", "Tỉnh Mới", "province", "", "2025-07-01", ""),
]


@pytest.fixture
def agencies(db) -> dict[str, Agency]:
    upsert_agencies([AgencyRow(code, name, "", kind, parent, start, end, row=i)
                     for i, (code, name, kind, parent, start, end) in enumerate(AGENCIES)])
    day = datetime.date(2024, 12, 31)
    return {a.code: a for a in Agency.objects.active_on(day)} | {"H90": Agency.objects.get(code="000.00.00.H90")}


@pytest.fixture
def framework(db):
    return load_framework(FRAMEWORK_YAML).framework


@pytest.fixture
def period(framework):
    return create_period("SAMPLE", 2024).period


@pytest.fixture
def indicator(framework):
    return lambda code: framework.indicators.get(code=code)
