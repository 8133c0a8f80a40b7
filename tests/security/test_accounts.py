"""Password policy wherever a password is set, session expiry, and the lock after repeated failed sign-ins."""

import datetime
import io

import pytest
from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from agencies.models import User
from agencies.users import create_user
from govit.errors import InputRejected

pytestmark = pytest.mark.django_db

GOOD = "Correct-horse-9"
WEAK = {
    "too short": "Kx7#pq2",
    "common": "password123",
    "only digits": "8406251937",
    "like the user name": "nguyenvanan1",
}


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_create_user_refuses_weak_passwords(password):
    with pytest.raises(InputRejected) as refused:
        create_user("nguyenvanan", "observer", password=password)
    errors = refused.value.errors
    assert errors and all(e.where == "password" and str(e.message) for e in errors)
    assert not User.objects.filter(username="nguyenvanan").exists()


def test_minimum_length_is_ten():
    with pytest.raises(InputRejected):
        create_user("a", "observer", password="Kx7#pq2wZ")  # 9
    assert create_user("b", "observer", password="Kx7#pq2wZ!")[0].check_password("Kx7#pq2wZ!")  # 10


def test_govit_user_command_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("nguyenvanan1\n"))
    with pytest.raises(CommandError, match="password|mật khẩu"):
        call_command("govit_user", "create", "nguyenvanan", "--role", "observer", "--password-stdin",
                     stdout=io.StringIO())
    assert not User.objects.filter(username="nguyenvanan").exists()


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("quantri", "admin"))
    return client


def test_admin_user_creation_and_password_forms_apply_the_policy(admin_client, make_user):
    added = admin_client.post("/admin/agencies/user/add/", {
        "username": "moi", "usable_password": "true", "password1": "password123", "password2": "password123"})
    assert added.status_code == 200 and added.context["adminform"].form.errors
    assert not User.objects.filter(username="moi").exists()

    target = make_user("canbo", "observer")
    url = f"/admin/agencies/user/{target.pk}/password/"
    weak = admin_client.post(url, {"password1": "1234567890", "password2": "1234567890"})
    assert weak.status_code == 200 and weak.context["form"].errors
    target.refresh_from_db()
    assert target.check_password(GOOD)
    assert admin_client.post(url, {"password1": "Another-horse-7", "password2": "Another-horse-7"}).status_code == 302
    target.refresh_from_db()
    assert target.check_password("Another-horse-7")


def test_changing_ones_own_password_applies_the_policy(admin_client):
    form = {"old_password": GOOD, "new_password1": "quantri123", "new_password2": "quantri123"}
    refused = admin_client.post("/admin/password_change/", form)
    assert refused.status_code == 200 and refused.context["form"].errors["new_password2"]
    assert User.objects.get(username="quantri").check_password(GOOD)


def sign_in(client, username, password=GOOD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_session_ends_with_the_browser_and_after_eight_hours(client, make_user):
    make_user("canbo", "observer")
    before = timezone.now()
    assert sign_in(client, "canbo").status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    lifetime = session.expire_date - before
    assert abs(lifetime - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)) < datetime.timedelta(minutes=1)


def test_an_expired_session_goes_back_to_the_login_page(client, make_user):
    make_user("canbo", "observer")
    sign_in(client, "canbo")
    assert client.get("/agencies/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/agencies/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/agencies/"
    assert client.get("/api/v1/agencies/").status_code in (401, 403)


@pytest.fixture
def fresh_axes():
    reset_axes()
    yield
    reset_axes()


def test_repeated_failures_lock_the_account_from_that_address_with_a_bilingual_page(client, make_user, fresh_axes):
    make_user("canbo", "observer")
    make_user("khac", "observer")
    for i in range(settings.AXES_FAILURE_LIMIT):
        # A forged X-Forwarded-For is not a new address (no trusted proxy): it does not reset the count.
        response = sign_in(client, "canbo", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert response.status_code == 429
    locked = sign_in(client, "canbo")  # even the right password
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "Tạm khoá đăng nhập" in page and "Sign-in locked" in page
    assert f"{settings.AXES_FAILURE_LIMIT} lần" in page and "15 phút" in page and "15 minutes" in page
    assert sign_in(client, "khac").status_code == 302  # another account from the same address
    client.logout()
    assert sign_in(client, "canbo", REMOTE_ADDR="10.9.8.7").status_code == 302  # the account from elsewhere

    reset_axes(username="canbo")
    client.logout()
    assert sign_in(client, "canbo").status_code == 302


def test_the_lock_counts_from_zero_in_each_test(client, make_user, fresh_axes):
    make_user("canbo", "observer")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "canbo", "wrong").status_code == 200
    assert sign_in(client, "canbo").status_code == 302


def test_password_objections_are_given_in_vietnamese_and_english():
    with pytest.raises(InputRejected) as refused:
        create_user("nguyenvanan", "observer", password="8406251937")
    messages = [e.as_dict() for e in refused.value.errors]
    assert any("entirely numeric" in m["message_en"] for m in messages)
    assert all(m["message_vi"] != m["message_en"] for m in messages)
