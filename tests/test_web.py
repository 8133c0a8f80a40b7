import re

import pytest

from agencies.models import User


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user("web", "observer"))
    return client


@pytest.mark.django_db
def test_pages_need_sign_in(client):
    response = client.get("/agencies/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def group_counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="group-count">(\d+)<', html)]


@pytest.mark.django_db
def test_directory_as_of_shows_63_or_34_provinces(registry, signed_in):
    before = signed_in.get("/agencies/", {"as_of": "30/06/2025"}).content.decode()
    after = signed_in.get("/agencies/", {"as_of": "2025-07-01"}).content.decode()
    assert group_counts(before)[1] == 63 and group_counts(after)[1] == 34
    assert 'value="30/06/2025"' in before


@pytest.mark.django_db
def test_agency_page_shows_lineage(registry, signed_in):
    html = signed_in.get("/agencies/000.00.00.H26/").content.decode()
    assert "Thành phố Hà Nội" in html
    quang_tri = signed_in.get("/agencies/", {"q": "quang tri", "as_of": "2025-07-01"}).content.decode()
    code = re.search(r'/agencies/([0-9.]+H\d\d)/\?as_of=2025-07-01">Tỉnh Quảng Trị', quang_tri).group(1)
    detail = signed_in.get(f"/agencies/{code}/").content.decode()
    assert "Tỉnh Quảng Bình" in detail and "202/2025/QH15" in detail


@pytest.mark.django_db
def test_children_partial_and_unknown_agency(registry, signed_in):
    assert signed_in.get("/agencies/000.00.00.G12/children/", {"as_of": "2025-06-01"}).status_code == 200
    assert signed_in.get("/agencies/000.00.00.X99/").status_code == 404


@pytest.mark.django_db
def test_language_switch(signed_in):
    vi = signed_in.get("/agencies/").content.decode()
    signed_in.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    en = signed_in.get("/agencies/").content.decode()
    assert 'lang="vi"' in vi and 'lang="en"' in en
    assert "Agency directory" in en and "Agency directory" not in vi


@pytest.mark.django_db
def test_csp_forbids_inline_scripts_and_pages_have_none(signed_in):
    response = signed_in.get("/agencies/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client, make_user):
    make_user("victim", "observer")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "victim", "password": "Correct-horse-9"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="victim").is_active


@pytest.mark.django_db
def test_login_works_with_the_right_password(client, make_user):
    make_user("ok", "observer")
    response = client.post("/accounts/login/", {"username": "ok", "password": "Correct-horse-9"})
    assert response.status_code == 302 and client.session["_auth_user_id"]


@pytest.mark.django_db
def test_pages_are_vietnamese_first_whatever_the_browser_says(signed_in):
    html = signed_in.get("/agencies/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html
    signed_in.post("/i18n/setlang/", {"language": "en", "next": "/agencies/"})
    assert 'lang="en"' in signed_in.get("/agencies/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()


@pytest.mark.parametrize("raw", ["2025-02-30", "31/02/2025", "hôm qua"])
def test_an_impossible_as_of_date_shows_today_with_a_warning(registry, signed_in, raw):
    response = signed_in.get("/agencies/", {"as_of": raw})
    assert response.status_code == 200
    assert f"“{raw}” không phải là ngày" in response.content.decode()


@pytest.mark.django_db
def test_agency_page_names_its_peer_group_and_links_to_scores_plans_values(registry, signed_in):
    """Issue 13 item 5: "Khối: provincial" was the group's code; the page links to the agency's work."""
    html = signed_in.get("/agencies/000.00.00.H26/").content.decode()
    assert 'data-testid="peer-group">Tỉnh, thành phố trực thuộc trung ương<' in html
    assert 'href="/scores/agencies/000.00.00.H26/"' in html and 'href="/plans/?agency=000.00.00.H26"' in html
    assert 'data-testid="entry-link"' not in html  # an observer enters no values


@pytest.mark.django_db
def test_directory_expand_arrows_only_where_sub_units_exist(registry, signed_in):
    html = signed_in.get("/agencies/").content.decode()
    assert re.search(r'<details hx-get="/agencies/000\.00\.00\.G12/children/', html)  # Vietnam Social Security
    assert not re.search(r'<details hx-get="/agencies/000\.00\.00\.H26/children/', html)  # Hà Nội: no sub-unit


@pytest.mark.django_db
def test_directory_and_agency_page_in_english_use_english_names(registry, signed_in):
    signed_in.cookies["django_language"] = "en"
    assert ">Hà Nội City</a>" in signed_in.get("/agencies/").content.decode()
    assert ">Hà Nội City</a>" in signed_in.get("/agencies/", {"q": "ha noi"}).content.decode()
    assert "<h1>Hà Nội City</h1>" in signed_in.get("/agencies/000.00.00.H26/").content.decode()
