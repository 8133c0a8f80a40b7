"""One parser of days: dd/mm/yyyy whatever the language, or ISO; impossible days are no days."""

import datetime

import pytest

from govit.dates import ISO, parse_day

from .test_agencies_api import make_agency


def test_days_as_people_type_them():
    assert parse_day("05/06/2025") == datetime.date(2025, 6, 5)  # never May 6
    assert parse_day(" 2025-06-05 ") == datetime.date(2025, 6, 5)
    assert parse_day(datetime.date(2025, 6, 5)) == datetime.date(2025, 6, 5)
    assert parse_day("") is None and parse_day(None) is None
    assert parse_day("2025-02-30") is None and parse_day("30/02/2025") is None
    assert parse_day("05/06/2025", ISO) is None  # where a format says ISO only (catalogs, the API)


@pytest.mark.django_db
def test_an_impossible_day_in_the_agency_api_is_a_400_not_a_500(api):
    make_agency("000.00.00.H90")
    client = api("observer")
    assert client.get("/api/v1/agencies/000.00.00.H90/", {"active_on": "2025-02-30"}).status_code == 400
