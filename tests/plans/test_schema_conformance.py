"""Schemathesis on the plan endpoints with real plans and every kind of caller: no 500s, every
status documented, every response matching the OpenAPI schema.

The "schema-valid request rejected" check is left out: a request can be valid by the schema and
still be refused by a rule the schema cannot express (an unknown agency code, a task outside the
plan's years), and 400 is the documented answer to that.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from agencies.users import issue_token

from .conftest import approved_plan, new_plan


def checker(operation, pk: int, key: str):
    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        if case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = pk
        case.call_and_validate(headers={"Authorization": f"Token {key}"}, excluded_checks=[positive_data_acceptance])

    return check


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "lead", "reviewer", "observer"])
def test_plan_operations_match_the_schema(wsgi_app, world, who):
    plans = [new_plan(world).pk, approved_plan(world, agency=world.other, user=world.other_staff).pk]
    key = issue_token(getattr(world, who))
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().path.startswith("/api/v1/plans")]
    assert len(operations) == 13
    for operation in operations:
        for pk in plans:
            checker(operation, pk, key)()
