"""The method page is generated from the framework and the scoring core, so it follows both."""

import re
from decimal import Decimal

import pytest

from assessments.scores.scoring import COUNTED_STATUSES, DEFAULT_LEVELS, compute_scores
from assessments.scores.scoring.numbers import INDEX_QUANTUM

URL = "/scores/method/"


def page(client, lang="vi", **params) -> str:
    client.cookies["django_language"] = lang
    response = client.get(URL, {"framework": "SAMPLE", **params}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, attribute: str, code: str) -> str:
    match = re.search(rf'<tr {attribute}="{re.escape(code)}".*?</tr>', html, re.S)
    assert match, f"no row {attribute}={code}"
    return match.group(0)


def max_points(html: str, code: str) -> str:
    return re.search(r'data-testid="max-points">([^<]*)<', row(html, "data-indicator", code)).group(1)


@pytest.fixture
def reader(client, make_user):
    client.force_login(make_user("xem", "observer"))
    return client


@pytest.mark.django_db(transaction=True)
def test_every_indicator_with_its_type_formula_points_kinds_and_legal_basis(framework, reader):
    html = page(reader)
    ht01 = row(html, "data-indicator", "HT.01")
    assert "s = clamp((v − 0) / (90 − 0), 0, 1)" in ht01 and ">10<" in ht01
    assert "ND-64-2007" not in ht01 and "Nghị định số 64/2007/NĐ-CP, Điều 10 khoản 3" in ht01  # short title, not code
    assert "s = clamp((v − 10) / (0 − 10), 0, 1)" in row(html, "data-indicator", "AT.01")  # lower is better
    assert "0,5 (v ≥ 50)" in row(html, "data-indicator", "HT.02")  # bands, with the Vietnamese decimal comma
    assert "Tỉnh / thành phố trực thuộc trung ương" in row(html, "data-indicator", "AT.03")  # applies_to
    assert "s = (v − min(v)) / (max(v) − min(v))" in row(html, "data-indicator", "AT.02")


@pytest.mark.django_db(transaction=True)
def test_english_switch_translates_the_page(framework, reader):
    html = page(reader, "en")
    assert "How the scores are computed" in html and "Share of officials with a computer" in html
    assert "Lower is better: s is 0 at or above 10 and 1 at or below 0" in row(html, "data-indicator", "AT.01")
    assert "Higher is better" in row(html, "data-indicator", "HT.01")
    assert "Decree 64/2007/ND-CP, Article 10(3)" in row(html, "data-indicator", "HT.01")
    assert "The pillars are unweighted" in html  # SAMPLE's pillars have no weight
    assert "every kind of agency" in row(html, "data-indicator", "HT.01")


@pytest.mark.django_db(transaction=True)
def test_changing_an_indicator_or_the_weights_changes_the_page(framework, reader):
    before = page(reader)
    assert max_points(before, "HT.01") == "10"
    example_before = re.search(r'data-testid="example-result">(.*?)</p>', before, re.S).group(1)

    framework.indicators.filter(code="HT.01").update(max_points=Decimal("7.5"))
    after = page(reader)
    assert max_points(after, "HT.01") == "7,5"
    assert re.search(r'data-testid="example-result">(.*?)</p>', after, re.S).group(1) != example_before

    framework.pillars.filter(code="HT").update(weight=3)
    framework.pillars.filter(code="AT").update(weight=1)
    weighted = page(reader, "en")
    assert "Σ(w × pillar index) / Σw" in weighted and "Weight 3 (75.0 % of the index)" in weighted
    assert re.search(r"\(3 × [\d.]+ \+ 1 × [\d.]+\) / \(3 \+ 1\)", weighted)


@pytest.mark.django_db(transaction=True)
def test_rules_come_from_the_core_constants(framework, reader):
    framework.levels = []  # no levels in the catalog: the default ones
    framework.save()
    html = page(reader)
    shown = re.findall(r'<tr data-level="(\w+)" data-below="([^"]*)"', html)
    assert shown == [(level["code"], str(level.get("below", ""))) for level in DEFAULT_LEVELS]
    assert "&lt; 0,25 (25,0 %)" in html
    statuses = re.search(r'data-testid="method-statuses">.*?<li>(.*?)</li>', html, re.S).group(1)
    labels = {"submitted": "Đã gửi", "verified": "Đã xác minh"}
    assert all(labels[s] in statuses for s in COUNTED_STATUSES) and "Bản nháp" not in statuses
    decimals = -INDEX_QUANTUM.as_tuple().exponent
    assert f"rounded to {decimals} decimals" in page(reader, "en")
    ties = re.findall(r"<tr><td>(\w)</td><td class=\"num\">[\d,]+</td><td class=\"num\">(\d)</td></tr>", html)
    assert ties == [("A", "1"), ("B", "2"), ("C", "2"), ("D", "4")]


@pytest.mark.django_db(transaction=True)
def test_worked_example_is_what_the_core_computes(framework, reader):
    from assessments.catalog.method import EXAMPLE_FRACTIONS, example_value
    from assessments.scores.inputs import framework_spec
    from assessments.scores.scoring import AgencySpec, PeriodSpec, plan_framework

    html = page(reader, "en")
    plan = plan_framework(framework_spec(framework))
    applicable = [i for i in plan.indicators if i.applies("province")]
    values = [example_value(code, ind, fraction, "draft" if (code, ind.code) == ("A", applicable[-1].code)
                            else "verified")
              for code, fraction in EXAMPLE_FRACTIONS.items() for ind in applicable]
    import datetime

    agencies = [AgencySpec(c, "province", None, datetime.date(2000, 1, 1)) for c in EXAMPLE_FRACTIONS]
    a = next(s for s in compute_scores(plan.framework, agencies, values, PeriodSpec.calendar_year(2024))
             if s.agency_code == "A")
    result = re.search(r'data-testid="example-result">(.*?)</p>', html, re.S).group(1)
    assert f"{float(a.index) * 100:.1f} %" in result
    assert "only a draft" in row(html, "data-example", "AT.03")  # the last applicable indicator
    assert a.breakdown[-1].points == 0


@pytest.mark.django_db(transaction=True)
def test_unknown_framework_or_version_is_404(framework, reader):
    assert reader.get(URL, {"framework": "NOPE"}).status_code == 404
    assert reader.get(URL, {"framework": "SAMPLE", "version": "9.9"}).status_code == 404
    assert reader.get(URL, {"framework": "SAMPLE", "version": "2024.1"}).status_code == 200
