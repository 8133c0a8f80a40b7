"""Sign-in lockout per address across user names (password spraying), beside the per-account lock."""

import base64

import pytest
from axes.utils import reset as reset_axes
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

GOOD = "Correct-horse-9"
NAMES = [f"canbo{i}" for i in range(8)]


@pytest.fixture
def fresh_axes():
    reset_axes()
    yield
    reset_axes()


@pytest.fixture
def users(make_user):
    return [make_user(name, "observer") for name in [*NAMES, "nguoithat"]]


def sign_in(client, username, password=GOOD, **extra):
    client.logout()
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def spray(client, failures: int) -> list[int]:
    """`failures` wrong passwords from one address, spread over the 8 names (fewer than the per-account limit each)."""
    return [sign_in(client, NAMES[i % len(NAMES)], "Wrong-horse-1").status_code for i in range(failures)]


def test_spraying_eight_user_names_from_one_address_locks_the_address(client, users, fresh_axes):
    limit = settings.AXES_IP_FAILURE_LIMIT
    assert limit // len(NAMES) < settings.AXES_FAILURE_LIMIT  # no single account reaches its own limit
    statuses = spray(client, limit)
    assert 429 not in statuses[:-1] and statuses[-1] == 429
    locked = sign_in(client, "nguoithat")  # a right password for a name never tried, from that address
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "Tạm khoá đăng nhập" in page and "nhiều tên đăng nhập" in page
    assert "Sign-in locked" in page and "several user names" in page and "15 minutes" in page
    assert sign_in(client, "nguoithat", REMOTE_ADDR="10.9.8.7").status_code == 302  # from another address


def test_an_offices_typos_followed_by_successes_do_not_lock_its_address(client, users, fresh_axes):
    """Behind one NAT: each person's few typos are cleared by that person's success."""
    typos = settings.AXES_FAILURE_LIMIT - 1
    for name in NAMES:
        assert [sign_in(client, name, "Typo-horse-9").status_code for _ in range(typos)] == [200] * typos
        assert sign_in(client, name).status_code == 302
    assert len(NAMES) * typos >= settings.AXES_IP_FAILURE_LIMIT


def test_a_sprayers_own_account_does_not_reset_the_address_count(client, users, fresh_axes):
    limit = settings.AXES_IP_FAILURE_LIMIT
    assert 429 not in spray(client, limit - 4)
    assert sign_in(client, "nguoithat").status_code == 302  # clears nguoithat's failures only
    assert spray(client, 4)[-1] == 429


def test_the_api_takes_no_passwords(users):
    """Only tokens and sessions: HTTP Basic with a right password is refused, so the API cannot be sprayed."""
    basic = base64.b64encode(f"nguoithat:{GOOD}".encode()).decode()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    assert client.get("/api/v1/agencies/").status_code == 401
