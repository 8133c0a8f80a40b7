import pytest

from plans import workflow
from tests.plans.conftest import indicator, new_plan, world  # noqa: F401 - the plans' small world, reused


@pytest.fixture
def returned_plan(world, django_capture_on_commit_callbacks):  # noqa: F811
    """A plan of Hà Nội the reviewer returned, with its notifications written (after commit)."""
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    workflow.perform(plan.pk, "start_review", world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        return workflow.perform(plan.pk, "return", world.reviewer, comment="Bổ sung mục tiêu năm 2025")
