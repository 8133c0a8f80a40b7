"""Score pages: the ranking with its chart, an agency's scores with "what to fix next"."""

import pytest

from .test_runs import compute


@pytest.mark.django_db(transaction=True)
def test_ranking_page_shows_chart_and_localised_index(verified_values, client, make_user):
    compute()
    client.force_login(make_user("xem", "observer"))
    html = client.get("/scores/", {"framework": "SAMPLE", "period": 2024, "group": "provincial"}).content.decode()
    assert 'data-testid="ranking-chart"' in html
    assert "Thành phố Hồ Chí Minh" in html and "95,7 %" in html  # 0.957143 shown the Vietnamese way


@pytest.mark.django_db(transaction=True)
def test_agency_page_lists_what_to_fix_next_with_its_legal_basis(verified_values, client, make_user):
    compute()
    client.force_login(make_user("xem", "observer"))
    html = client.get("/scores/agencies/000.00.00.G12/").content.decode()
    assert 'data-testid="score-panel"' in html and "69,4 %" in html
    # HT.03 (không → 0 of 5 points) is the biggest gain for the ministry.
    assert "HT.03" in html and "5,00" in html
    assert client.get("/scores/agencies/000.00.00.X99/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_what_to_fix_next_lists_the_largest_gains_first(verified_values, make_user):
    from assessments.scores.selectors import published_scores, what_to_fix_next

    compute()
    score = published_scores().get(agency_code="000.00.00.G12")
    gains = what_to_fix_next(score, make_user("xem", "observer"), limit=2)
    assert gains[0]["indicator"] == "HT.03" and gains[0]["gain"] == 5 and gains[0]["name"]
    assert len(gains) <= 2 and all(a["gain"] >= b["gain"] > 0 for a, b in zip(gains, gains[1:], strict=False))


@pytest.mark.django_db(transaction=True)
def test_agency_scores_page_labels_chart_and_legal_titles(verified_values, client, make_user):
    """Issue 13 item 5: the peer group by its name, a one-period chart with axes and a bar, pillar bars by level,
    legal bases by the act's short title (the breakdown API keeps the codes: it is a contract)."""
    compute()
    client.force_login(make_user("xem", "observer"))
    html = client.get("/scores/agencies/000.00.00.G12/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'data-testid="peer-group">Cơ quan trung ương<' in html
    assert 'data-testid="ranked-in">· Cơ quan trung ương<' in html
    assert html.count('data-testid="y-tick"') == 5 and "100 %" in html
    assert 'data-testid="single-period"' in html and 'data-testid="x-label">2024<' in html
    assert 'data-level="' in html and 'data-testid="level-legend"' in html
    assert "Nghị định số 64/2007/NĐ-CP" in html and "ND-64-2007 Đ." not in html


@pytest.mark.django_db(transaction=True)
def test_ranking_shows_the_group_name_and_english_names(verified_values, client, make_user):
    compute()
    client.force_login(make_user("xem", "observer"))
    query = {"framework": "SAMPLE", "period": 2024, "group": "provincial"}
    from agencies.models import Agency

    Agency.objects.filter(name_vi="Thành phố Hồ Chí Minh").update(name_en="Ho Chi Minh City")
    client.cookies["django_language"] = "en"
    html = client.get("/scores/", query).content.decode()
    assert 'data-testid="ranking-group">Peer group: Provinces and centrally-run cities<' in html
    assert "Ho Chi Minh City" in html
