import pytest

from tests.values.conftest import agencies, framework, indicator, period  # noqa: F401 - shared fixtures

G12 = "000.00.00.G12"  # Bộ Tài chính: one version, so the user's agency is the one of the 2024 values
H90 = "000.00.00.H90"


@pytest.fixture
def staff(api, agencies, period):  # noqa: F811
    return api("agency_staff", G12)


@pytest.fixture
def draft(staff):
    """A draft value of G12 for HT.01 (percent), version 1."""
    response = staff.post("/api/v1/values/", {"agency": G12, "framework": "SAMPLE", "period": 2024,
                                              "indicator": "HT.01", "value": "90,8"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()
