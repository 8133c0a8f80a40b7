"""Completeness per agency and pillar: counts by status, missing and late, in one grouped query (the
number of queries does not grow with the agencies); scope for staff, folded counts for observers."""

import datetime

from django.urls import reverse

from assessments.values.models import ValueStatus
from assessments.values.selectors import FULL_BUCKETS, MISSING, UNVERIFIED, completeness, pillars_of
from assessments.values.services import (
    mark_not_applicable,
    reject_value,
    save_value,
    submit_value,
    verify_value,
)

from .conftest import make_agency

PAGE = reverse("values-completeness") + "?framework=SAMPLE&period=2024"


def report(w, agency):
    """HT.01 verified, HT.02 submitted, HT.03 draft, AT.01 rejected, AT.02 not applicable, AT.03 missing."""
    from agencies.users import create_user

    lead = create_user(f"lead-{agency.pk}", "agency_lead", agency.code, password="Correct-horse-9")[0]
    period, ind = w.period, w.ind

    def submit(code, **fields):
        value = save_value(lead, agency, ind[code], period, **fields)
        return submit_value(lead, value, value.version)

    verify_value(w.reviewer, submit("HT.01", value="80"))
    submit("HT.02", numerator=4, denominator=5)
    save_value(lead, agency, ind["HT.03"], period, value="không")
    reject_value(w.reviewer, submit("AT.01", value="1"), "Sai số liệu")
    mark_not_applicable(w.reviewer, agency, ind["AT.02"], period, "Không có hệ thống cấp độ")


def counts(tally):
    return {str(k): v for k, v in tally.counts.items() if v}


def test_counts_per_pillar_and_late_after_the_deadline(world):
    report(world, world.province)
    pillars = pillars_of(world.framework)
    before = completeness([world.province], world.framework, world.period, pillars, full=True)
    total, per_pillar = before[world.province.pk]
    assert {p.code: counts(t) for p, t in per_pillar} == {
        "HT": {"verified": 1, "submitted": 1, "draft": 1},
        "AT": {"rejected": 1, "not_applicable": 1, MISSING: 1},
    }
    assert (total.applicable, total.late) == (6, 0)
    after = completeness([world.province], world.framework, world.period, pillars, full=True,
                         today=world.period.deadline + datetime.timedelta(days=1))
    total, per_pillar = after[world.province.pk]
    assert total.late == 3 and [t.late for _p, t in per_pillar] == [1, 2]  # draft; rejected + missing
    folded = completeness([world.province], world.framework, world.period, pillars, full=False)
    assert counts(folded[world.province.pk][0]) == {"verified": 1, UNVERIFIED: 5}


def test_department_counts_only_what_applies_to_its_kind(world):
    total, _ = completeness([world.department], world.framework, world.period, pillars_of(world.framework),
                            full=True)[world.department.pk]
    assert (total.applicable, counts(total)) == (5, {MISSING: 5})  # AT.03 is for provinces only


def test_page_shows_counts_chart_and_drill_down(world, as_user):
    report(world, world.province)
    page = as_user(world.reviewer).get(PAGE).content.decode()
    block = page.split('data-agency="000.00.00.H26"')[1].split("</tbody>")[0]
    total_row = block.split('data-testid="agency-total"')[1].split("</tr>")[0]
    cells = [c.split(">")[1].split("<")[0] for c in total_row.split('data-bucket="')[1:]]
    assert cells == ["1", "1", "1", "1", "1", "1"]  # in the order of FULL_BUCKETS
    assert len(FULL_BUCKETS) == 6
    assert f"agency={world.province.pk}" in block and 'data-testid="drill-down"' in block
    chart = page.split('data-testid="completeness-chart"')[1].split("</svg>")[0]
    assert 'data-bucket="verified" data-count="1"' in chart and 'data-bucket="missing" data-count="1"' in chart
    assert "style=" not in chart
    assert 'data-agency="000.00.00.H29"' in page and 'data-agency="000.00.00.G06"' in page  # reviewers: all


def test_staff_see_their_scope_only(world, as_user):
    page = as_user(world.staff).get(PAGE).content.decode()
    assert 'data-agency="000.00.00.H26"' in page and 'data-agency="000.00.00.H29"' not in page
    assert 'data-agency="000.00.01.H26"' not in page
    wide = as_user(world.wide).get(PAGE).content.decode()
    assert 'data-agency="000.00.01.H26"' in wide and 'data-agency="000.00.00.H29"' not in wide


def test_observers_see_only_verified_against_the_rest(world, as_user):
    report(world, world.province)
    page = as_user(world.observer).get(PAGE).content.decode()
    block = page.split('data-agency="000.00.00.H26"')[1].split("</tbody>")[0]
    assert 'data-testid="drill-down"' not in block and 'data-testid="late"' not in block
    chart = page.split('data-testid="completeness-chart"')[1].split("</svg>")[0]
    assert 'data-bucket="verified" data-count="1"' in chart and 'data-bucket="unverified" data-count="5"' in chart
    for status in (ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.REJECTED):
        assert f'data-bucket="{status}"' not in page


def test_group_and_search_filters(world, as_user):
    client = as_user(world.admin)
    central = client.get(PAGE + "&group=central").content.decode()
    assert 'data-agency="000.00.00.G06"' in central and 'data-agency="000.00.00.H26"' not in central
    found = client.get(PAGE + "&q=ho chi minh").content.decode()
    assert 'data-agency="000.00.00.H29"' in found and 'data-agency="000.00.00.H26"' not in found


def test_query_count_does_not_grow_with_the_agencies(world, as_user, django_assert_num_queries):
    client = as_user(world.reviewer)
    report(world, world.province)
    client.get(PAGE)
    # session, user, periods, framework, agencies (count, page), whether the user sees their unverified values,
    # pillars, indicators, the grouped counts, the header's agency of the signed-in reviewer and their unread
    # notifications
    with django_assert_num_queries(12):
        few = client.get(PAGE)
    for i in range(4):
        report(world, make_agency(f"000.00.00.H{40 + i}", f"Tỉnh {i}"))
    with django_assert_num_queries(12):
        many = client.get(PAGE)
    assert many.content.decode().count('data-testid="agency-total"') == few.content.decode().count(
        'data-testid="agency-total"') + 4


def test_each_agency_collapses_with_its_totals_in_the_summary(world, as_user):
    """Issue 13 item 5: one <details> per agency, its pillars inside, the totals on the summary line."""
    report(world, world.province)
    page = as_user(world.reviewer).get(PAGE).content.decode()
    block = page.split('<details class="agency-block" data-testid="agency-block" data-agency="000.00.00.H26"')[1]
    summary = block.split('data-testid="agency-summary">')[1].split("</summary>")[0]
    assert "6 " in summary and "Đã xác minh 1" in summary
    assert 'data-testid="pillar-row"' in block.split("</details>")[0]
