"""API tokens (django-rest-knox): stored as digests, expiring, revoked on password change and deactivation."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken

from agencies.users import issue_token
from tests.security.conftest import PASSWORD as GOOD
from tests.security.conftest import token_get as get

pytestmark = pytest.mark.django_db



def assert_refused(response, lang: str = "vi") -> None:
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["code"] == "authentication_failed" and body["detail"] == body[f"detail_{lang}"]
    assert "Mã truy cập API không hợp lệ" in body["detail_vi"] and "Invalid API token" in body["detail_en"]


def test_a_token_is_stored_only_as_a_digest_and_expires_after_the_configured_time(token_holder):
    user, key = token_holder
    assert get(key).status_code == 200
    token = AuthToken.objects.get(user=user)
    assert key not in (token.digest, token.token_key) and token.token_key == key[:15]
    lifetime = token.expiry - token.created
    assert abs(lifetime - datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_expired_token_is_refused_in_the_requests_language(token_holder, lang):
    user, key = token_holder
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert_refused(get(key, lang), lang)


def test_set_password_and_save_revokes_the_tokens(token_holder):
    user, key = token_holder
    user.set_password("Another-horse-7")
    user.save()
    assert_refused(get(key))
    assert not AuthToken.objects.filter(user=user).exists()


def test_the_changepassword_command_revokes_the_tokens(token_holder, monkeypatch):
    user, key = token_holder
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: "Another-horse-7")
    call_command("changepassword", "maychu", stdout=io.StringIO())
    assert_refused(get(key))


def test_the_admin_password_form_revokes_the_tokens(token_holder, client, make_user):
    user, key = token_holder
    client.force_login(make_user("quantri", "admin"))
    form = {"password1": "Another-horse-7", "password2": "Another-horse-7"}
    assert client.post(f"/admin/agencies/user/{user.pk}/password/", form).status_code == 302
    assert_refused(get(key))


def test_deactivation_revokes_the_tokens(token_holder):
    user, key = token_holder
    user.is_active = False
    user.save()
    assert_refused(get(key))
    assert not AuthToken.objects.filter(user=user).exists()


def test_other_saves_and_signing_in_keep_the_tokens(token_holder, client):
    user, key = token_holder
    user.first_name = "An"
    user.save()
    assert client.post("/accounts/login/", {"username": "maychu", "password": GOOD}).status_code == 302  # last_login
    assert get(key).status_code == 200


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("quantri", "admin"))
    return client


def test_the_admin_never_shows_a_full_token(token_holder, admin_client):
    user, key = token_holder
    digest = AuthToken.objects.get(user=user).digest
    listing = admin_client.get("/admin/knox/authtoken/")
    change = admin_client.get(f"/admin/knox/authtoken/{digest}/change/")
    assert listing.status_code == change.status_code == 200
    assert key[:15] in listing.content.decode()  # the prefix identifies it
    assert key not in listing.content.decode() and key not in change.content.decode()


def test_a_token_made_in_the_admin_expires_and_is_shown_once(token_holder, admin_client):
    user, _key = token_holder
    AuthToken.objects.all().delete()
    made = admin_client.post("/admin/knox/authtoken/add/", {"user": user.pk, "expiry": ""}, follow=True)
    message = next(str(m) for m in made.context["messages"])
    key = message.rsplit(" ", 1)[-1]
    assert "chỉ hiển thị một lần" in message and get(key).status_code == 200
    assert AuthToken.objects.get(user=user).expiry is not None
    assert key not in admin_client.get("/admin/knox/authtoken/").content.decode()


def test_a_new_token_can_be_issued_after_revocation(token_holder):
    user, key = token_holder
    user.set_password("Another-horse-7")
    user.save()
    assert get(issue_token(user)).status_code == 200 and get(key).status_code == 401
