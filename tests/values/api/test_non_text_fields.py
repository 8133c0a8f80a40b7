"""Text fields of values (note, evidence_url, na_reason) refuse a list, an object, a number or true/false
(issue 11, 7b): str() stored "['a', 'b']" before."""

import pytest

from assessments.values.models import IndicatorValue

from .conftest import G12

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["note", "evidence_url", "na_reason"])
@pytest.mark.parametrize("bad", [["a", "b"], {"x": 1}, 123, True])
def test_value_text_fields_must_be_text(staff, draft, field, bad):
    body = {"agency": G12, "framework": "SAMPLE", "period": 2024, "indicator": "HT.01", "version": 1, field: bad}
    if field != "na_reason":
        body["value"] = "50"
    response = staff.post("/api/v1/values/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert "Expected text" in str(response.json()[field])
    assert IndicatorValue.objects.get().version == 1
