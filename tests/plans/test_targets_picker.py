"""The targets picker offers what the plan's years assess (issue 15 item 2): catalogs in force in one of them,
and indicators the agency's kind reports then."""

from pathlib import Path

import pytest
from django.core.management import call_command

from agencies.models import Agency, AgencyKind
from plans.selectors import catalog_indicators

pytestmark = pytest.mark.django_db
FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks"


@pytest.fixture
def catalogs():
    for name in ("cntt-64.yaml", "dti-bo-tinh.yaml"):
        call_command("load_framework", str(FRAMEWORKS / name), verbosity=0)


def offered(kind, years, include_ids=()):
    return {(i.framework.code, i.code) for i in catalog_indicators(Agency(kind=kind), include_ids, years)}


def test_a_plan_is_offered_the_catalogs_in_force_in_its_years(catalogs):
    assert {code for code, _i in offered(AgencyKind.PROVINCE, range(2021, 2026))} == {"CNTT-64", "DTI-BO-TINH"}
    # Decree 64 is repealed from 1/7/2026 and the DTI of Decision 922 ended in 2025: nothing of them after.
    assert offered(AgencyKind.PROVINCE, range(2027, 2031)) == set()
    assert {code for code, _i in offered(AgencyKind.PROVINCE, [2026])} == {"CNTT-64"}


def test_indicators_follow_the_kinds_dated_scope(catalogs):
    # HT.04 ends on 30/6/2025; HT.02 is the districts' until then and the communes' after.
    assert ("CNTT-64", "HT.04") in offered(AgencyKind.PROVINCE, range(2021, 2026))
    assert ("CNTT-64", "HT.04") not in offered(AgencyKind.PROVINCE, [2026])
    assert ("CNTT-64", "HT.02") in offered(AgencyKind.DISTRICT, [2025])
    assert ("CNTT-64", "HT.02") not in offered(AgencyKind.DISTRICT, [2026])
    assert ("CNTT-64", "HT.02") not in offered(AgencyKind.COMMUNE, [2024])
    assert ("CNTT-64", "HT.02") in offered(AgencyKind.COMMUNE, [2026])


def test_a_target_already_chosen_stays_offered(catalogs):
    from assessments.catalog.models import Indicator

    chosen = Indicator.objects.get(framework__code="DTI-BO-TINH", code="CQS.01")
    assert ("DTI-BO-TINH", "CQS.01") in offered(AgencyKind.PROVINCE, [2028], include_ids={chosen.pk})
