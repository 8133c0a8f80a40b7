"""Provenance of a value on the breakdown API and the agency's score page: measured by a source, or reported."""

import re

import pytest

from assessments.scores import runs
from assessments.values.services import save_value
from tests.feeds.conftest import MINISTRY, obs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(feed, framework, period, make_user, indicator, source):
    feed([obs("a", "2024-05-01T08:00:00+07:00", value="40")])
    lead = make_user("lead", "agency_lead", MINISTRY)
    save_value(lead, source.agency, indicator("AT.01"), period, value="2")
    run, _created = runs.request_run(framework, period)
    runs.execute_run(run.pk)
    return lead


def test_the_breakdown_says_measured_by_which_source_or_reported(scored, api):
    response = api("admin").get(f"/api/v1/scores/{MINISTRY}/2024/breakdown/")
    assert response.status_code == 200, response.json()
    lines = {line["indicator"]: line for line in response.json()["breakdown"]}
    assert (lines["HT.01"]["value_source"], lines["HT.01"]["measured_by"]) == ("measured", "MOF-DMS")
    assert lines["HT.01"]["measured_at"].startswith("2024-05-01T")
    assert (lines["AT.01"]["value_source"], lines["AT.01"]["measured_by"]) == ("reported", None)
    assert lines["HT.02"]["value_source"] is None
    assert "reported_by" not in lines["AT.01"]  # a person's name is not in the API


def test_the_agency_page_shows_the_provenance(scored, as_user):
    page = as_user(scored).get(f"/scores/agencies/{MINISTRY}/").content.decode()
    # "đo bởi MOF-DMS lúc 01/05/2024 08:00" in Vietnamese, "measured by ..." in English
    assert re.search(r'class="muted provenance">[^<]*MOF-DMS[^<]*01/05/2024 08:00<', page)


def test_the_entry_page_says_measured_by_which_source_or_reported_by_whom(scored, as_user, source):
    client = as_user(scored)

    def row(pillar: str, code: str) -> str:
        page = client.get(f"/values/entry/?framework=SAMPLE&period=2024&agency={source.agency.pk}&pillar={pillar}")
        return page.content.decode().split(f'data-indicator="{code}" data-testid="row"')[1].split("</tr>")[0]

    assert re.search(r'provenance">[^<]*MOF-DMS[^<]*01/05/2024 08:00<', row("HT", "HT.01"))
    assert re.search(r'provenance">[^<]*lead<', row("AT", "AT.01"))
