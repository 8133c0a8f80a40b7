"""The entry grid's server side (issue 13 item 2): last period's value in one query, "far" from it."""

import datetime
from decimal import Decimal

from assessments.catalog.periods import create_period
from assessments.values import services
from assessments.values.selectors import is_far, previous_values


def test_far_is_half_of_the_larger():
    assert is_far(Decimal(90), Decimal(40))
    assert not is_far(Decimal(90), Decimal(60))
    assert is_far(Decimal(0), Decimal(1))
    assert not is_far(None, Decimal(5))


def test_previous_period_values_by_code(world, django_assert_num_queries):
    previous = create_period("SAMPLE", 2023, deadline=datetime.date(2024, 3, 31)).period
    services.save_value(world.staff, world.province, world.ind["HT.01"], previous, value="80")
    services.save_value(world.staff_other, world.other, world.ind["HT.01"], previous, value="10")  # another agency
    indicators = [world.ind["HT.01"], world.ind["HT.02"]]
    with django_assert_num_queries(1):
        found = previous_values(world.province, world.period, indicators)
    assert {code: v.value_decimal for code, v in found.items()} == {"HT.01": Decimal(80)}


def test_entry_page_shows_last_period_and_warns(world, client):
    previous = create_period("SAMPLE", 2023, deadline=datetime.date(2024, 3, 31)).period
    services.save_value(world.staff, world.province, world.ind["HT.01"], previous, value="80")
    services.save_value(world.staff, world.province, world.ind["HT.01"], world.period, value="20")
    client.force_login(world.staff)
    page = client.get("/values/entry/").content.decode()
    row = page.split('data-indicator="HT.01"')[1].split("<tr ")[0]
    assert 'data-previous="80.000000"' in row
    assert 'data-testid="far-warning">' in row  # shown: not hidden
    assert 'data-testid="pillar-progress">1/3<' in page
