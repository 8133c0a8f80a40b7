"""scoring.md §4 with an agency's N/A claim: pending it is missing (s = 0, in max); accepted by a
reviewer it leaves both points and max."""

import pytest

from assessments.catalog.models import Indicator
from assessments.values.services import claim_not_applicable, import_values, submit_value, verify_value
from tests.values.conftest import VALUES_CSV

from .test_runs import compute, scores

MOF = "000.00.00.G12"


@pytest.mark.django_db(transaction=True)
def test_a_pending_claim_is_missing_and_an_accepted_one_leaves_the_max(agencies, framework, period, make_user, api):
    # Every sample value verified except the ministry's HT.03 (0 points as "không" anyway), which it claims N/A.
    rows = [line for line in VALUES_CSV.decode().splitlines() if not line.startswith(f"{MOF},HT.03,")]
    import_values("\n".join(rows).encode(), "SAMPLE", 2024, status="verified")
    lead = make_user("lead", "agency_lead", MOF)
    ht03 = Indicator.objects.get(framework=framework, code="HT.03")
    claim = submit_value(lead, claim_not_applicable(lead, agencies[MOF], ht03, period, "Dùng cổng của Chính phủ"))
    compute()
    observer, reviewer = api("observer"), api("reviewer")
    pending = scores(observer)[MOF]
    assert (pending["points"], pending["max_points"], pending["index"]) == (20.8333, 30, 0.694444)
    line = {row["indicator"]: row for row in
            reviewer.get(f"/api/v1/scores/{MOF}/2024/breakdown/").json()["breakdown"]}["HT.03"]
    assert (line["status"], line["value_status"], line["points"]) == ("missing", "submitted", 0.0)

    verify_value(make_user("thamdinh", "reviewer"), claim)
    compute()
    accepted = scores(observer)[MOF]
    assert (accepted["points"], accepted["max_points"], accepted["index"]) == (20.8333, 25, 0.833333)
    line = {row["indicator"]: row for row in
            reviewer.get(f"/api/v1/scores/{MOF}/2024/breakdown/").json()["breakdown"]}["HT.03"]
    assert (line["status"], line["reason"], line["max_points"]) == ("not_applicable", "na_accepted", None)
