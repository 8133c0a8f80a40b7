"""POST /api/v1/feeds/{source}/observations/ on real PostgreSQL: idempotency, scope, order, aggregation, review."""

from decimal import Decimal

import pytest

from assessments.catalog.models import Indicator
from assessments.scores import runs
from assessments.scores.models import ScoreRun
from assessments.values.feeds.models import Observation
from assessments.values.feeds.services import rotate_key
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.services import reject_value, save_value, verify_value
from tests.feeds.conftest import MINISTRY, obs

pytestmark = pytest.mark.django_db


def value_of(code):
    return IndicatorValue.objects.get(agency__code=MINISTRY, indicator__code=code)


def test_a_batch_is_saved_and_derives_a_measured_submitted_value(feed, source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = feed([obs("a", value="40"), obs("b", "2024-05-01T08:00:00+07:00", value="60")])
    assert response.status_code == 200, response.json()
    assert response.json() == {"received": 2, "created": 2, "duplicates": 0, "values_written": 1}
    value = value_of("HT.01")
    assert (value.value_decimal, value.status, value.measured_by, value.updated_by) == (
        Decimal(60), ValueStatus.SUBMITTED, source, None)
    assert value.measured_at.isoformat() == "2024-05-01T01:00:00+00:00"
    # Counted like a submitted value: the peer group's recompute was asked for (debounced).
    assert ScoreRun.objects.filter(reason="value_change").exists()


def test_a_batch_writing_several_values_asks_for_one_score_run(feed, django_capture_on_commit_callbacks):
    batch = [obs("p", value="40"), obs("r", indicator="HT.02", numerator=1, denominator=2),
             obs("y", indicator="HT.03", value="true"), obs("c", indicator="AT.01", value="3")]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = feed(batch)
    assert response.json()["values_written"] == 4
    # One request for the batch's (agency, framework, period), not one per value: feeds send thousands a second.
    requests = [c for c in callbacks if getattr(c, "func", None) is runs.request_for_value_change]
    assert len(requests) == 1
    assert ScoreRun.objects.filter(reason="value_change").count() == 1


def test_resending_is_a_no_op(feed):
    batch = [obs("a", value="40"), obs("a", value="40")]  # a duplicate inside the batch too
    assert feed(batch).json()["created"] == 1
    version = value_of("HT.01").version
    again = feed(batch).json()
    assert again == {"received": 2, "created": 0, "duplicates": 2, "values_written": 0}
    assert Observation.objects.count() == 1
    assert value_of("HT.01").version == version


def test_out_of_order_arrivals_keep_the_latest_observed(feed):
    feed([obs("late", "2024-06-01T00:00:00+07:00", value="70")])
    feed([obs("early", "2024-02-01T00:00:00+07:00", value="20")])  # arrives after, observed before
    value = value_of("HT.01")
    assert value.value_decimal == Decimal(70)
    assert value.measured_at.date().isoformat() == "2024-05-31"


def test_the_catalog_aggregation_rule_derives_the_value(feed):
    Indicator.objects.filter(code="AT.01").update(aggregation="sum")
    Indicator.objects.filter(code="HT.02").update(aggregation="sum")
    feed([obs("1", indicator="AT.01", value="2"), obs("2", "2024-04-01T00:00:00+07:00", indicator="AT.01", value="3"),
          obs("3", indicator="HT.02", numerator=1, denominator=4),
          obs("4", "2024-04-01T00:00:00+07:00", indicator="HT.02", numerator=3, denominator=6)])
    assert value_of("AT.01").value_decimal == Decimal(5)
    ratio = value_of("HT.02")
    assert (ratio.numerator, ratio.denominator) == (4, 10)


def test_another_agency_is_403_with_nothing_saved(feed):
    response = feed([obs("a"), {**obs("b"), "agency": "000.00.00.H29"}])
    assert response.status_code == 403
    assert not Observation.objects.exists() and not IndicatorValue.objects.exists()


def test_an_indicator_outside_the_source_is_403_with_nothing_saved(feed):
    response = feed([obs("a"), obs("b", indicator="AT.02", value="2")])
    assert response.status_code == 403
    assert not Observation.objects.exists() and not IndicatorValue.objects.exists()


def test_another_sources_path_or_a_wrong_key_is_refused(feed, source):
    assert feed([obs("a")], code="OTHER").status_code == 403
    assert feed([obs("a")], key="not-a-key").status_code == 401
    old = source.key
    rotate_key(source)
    assert feed([obs("a")], key=old).status_code == 401
    assert not Observation.objects.exists()


def test_bad_items_are_listed_bilingually_with_nothing_saved(feed):
    response = feed([obs("ok"), obs("", value="140"), obs("c", observed_at="yesterday")])
    assert response.status_code == 400
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(1, "idempotency_key"), (1, "value"), (2, "observed_at")}
    first = response.json()["errors"][0]
    assert first["message_vi"] != first["message_en"]
    assert not Observation.objects.exists()


def test_a_reviewer_rejects_a_measured_value_and_the_feed_leaves_the_decision(feed, make_user):
    feed([obs("a", value="40")])
    reviewer = make_user("rev", "reviewer")
    rejected = reject_value(reviewer, value_of("HT.01"), "The portal counts test dossiers")
    assert rejected.status == ValueStatus.REJECTED
    assert feed([obs("b", "2024-07-01T00:00:00+07:00", value="90")]).json()["values_written"] == 0
    value = value_of("HT.01")
    assert (value.status, value.value_decimal) == (ValueStatus.REJECTED, Decimal(40))
    assert Observation.objects.count() == 2  # kept for when the agency or a reviewer acts


def test_a_verified_or_reported_value_is_not_overwritten(feed, make_user, source, period, indicator):
    feed([obs("a", value="40")])
    verify_value(make_user("rev", "reviewer"), value_of("HT.01"))
    staff = make_user("staff", "agency_staff", MINISTRY)
    save_value(staff, source.agency, indicator("AT.01"), period, value="3")
    result = feed([obs("b", "2024-07-01T00:00:00+07:00", value="90"), obs("c", indicator="AT.01", value="8")])
    assert result.json()["values_written"] == 0
    assert value_of("HT.01").value_decimal == Decimal(40) and value_of("AT.01").measured_by is None
