"""The pure scoring core spells the value statuses itself (no Django); they must be the model's."""

from assessments.scores.scoring import data
from assessments.values.models import ValueStatus


def test_the_cores_statuses_are_the_value_statuses():
    core = {data.DRAFT, data.SUBMITTED, data.VERIFIED, data.REJECTED, data.NOT_APPLICABLE}
    assert core == set(ValueStatus.values)
    assert {ValueStatus.SUBMITTED, ValueStatus.VERIFIED} == data.COUNTED_STATUSES
