"""Self-service password change and reset (Django's views, our templates), and the tokens they revoke."""

import re
import uuid

import pytest

from tests.security.conftest import PASSWORD as GOOD
from tests.security.conftest import token_get

pytestmark = pytest.mark.django_db

NEW = "Another-horse-7"


def token_works(key: str) -> bool:
    return token_get(key).status_code == 200


def test_the_header_links_to_the_change_page_and_the_login_page_to_the_reset_page(client, token_holder):
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login and "Quên mật khẩu?" in login
    client.force_login(token_holder[0])
    assert 'href="/accounts/password_change/"' in client.get("/").content.decode()


def test_changing_ones_password_applies_the_policy_and_revokes_the_tokens(client, token_holder):
    user, key = token_holder
    client.force_login(user)
    page = client.get("/accounts/password_change/")
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    weak = client.post("/accounts/password_change/", {"old_password": GOOD, "new_password1": "password123",
                                                      "new_password2": "password123"})
    assert weak.status_code == 200 and weak.context["form"].errors and token_works(key)
    done = client.post("/accounts/password_change/", {"old_password": GOOD, "new_password1": NEW,
                                                      "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "Đã đổi mật khẩu" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not token_works(key)


def test_the_reset_mail_is_bilingual_and_its_link_sets_a_password_under_the_policy(client, token_holder, mailoutbox):
    user, key = token_holder
    sent = client.post("/accounts/password_reset/", {"email": user.email}, follow=True)
    assert sent.redirect_chain[-1][0] == "/accounts/password_reset/done/" and len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email] and "đặt lại mật khẩu" in mail.subject and "password reset" in mail.subject
    assert "Xin chào maychu" in mail.body and "Hello maychu" in mail.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body)[1]

    form = client.get(link, follow=True)  # Django moves the token from the address into the session
    assert form.status_code == 200 and form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "1234567890", "new_password2": "1234567890"})
    assert weak.status_code == 200 and weak.context["form"].errors
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/reset/done/" and "Đăng nhập" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not token_works(key)
    again = client.get(link, follow=True)
    assert not again.context["validlink"] and 'data-testid="reset-link-invalid"' in again.content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, token_holder, mailoutbox):
    sent = client.post("/accounts/password_reset/", {"email": "ai@example.org"}, follow=True)
    assert sent.redirect_chain[-1][0] == "/accounts/password_reset/done/" and mailoutbox == []


RESET = "/accounts/password_reset/"


@pytest.fixture
def fresh_counters(settings):
    """The reset limits count in Redis: each test counts under a key prefix of its own, so that no earlier run's
    counters hold it back and nothing else the tests keep in Redis (the broker's queues) is flushed."""
    cache = dict(settings.CACHES["default"])
    assert cache["BACKEND"] == "govit.cache.TolerantRedisCache"  # the counters are Redis', as in production
    settings.CACHES = {"default": {**cache, "KEY_PREFIX": f"reset-test-{uuid.uuid4().hex}"}}


def test_a_reset_is_limited_per_email_address_and_an_unknown_one_alike(client, token_holder, mailoutbox,
                                                                        fresh_counters):
    user, _key = token_holder
    for _ in range(3):  # PASSWORD_RESET_RATE_EMAIL: 3 an hour
        assert client.post(RESET, {"email": user.email}).status_code == 302
    assert len(mailoutbox) == 3
    refused = client.post(RESET, {"email": f"  {user.email.upper()} "})  # the same address, however it is typed
    html = refused.content.decode()
    assert refused.status_code == 429 and 'data-testid="reset-limited"' in html and "thử lại sau một giờ" in html
    assert len(mailoutbox) == 3  # nothing sent
    for _ in range(3):
        client.post(RESET, {"email": "ai@example.org"})
    client.cookies["django_language"] = "en"
    unknown = client.post(RESET, {"email": "ai@example.org"})
    assert unknown.status_code == 429 and "try again in an hour" in unknown.content.decode()
    assert client.post(RESET, {"email": "khac@example.org"}).status_code == 302  # another address still may


def test_a_reset_is_limited_per_client_address(client, token_holder, mailoutbox, fresh_counters, settings):
    settings.PASSWORD_RESET_RATE_ADDRESS = "2/h"
    assert [client.post(RESET, {"email": f"u{i}@example.org"}).status_code for i in range(3)] == [302, 302, 429]
    other = client.post(RESET, {"email": token_holder[0].email}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302 and len(mailoutbox) == 1  # another network is not held back


def test_the_reset_limits_let_requests_through_while_redis_is_down(client, token_holder, mailoutbox, settings):
    settings.CACHES = {"default": {"BACKEND": "govit.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    settings.PASSWORD_RESET_RATE_EMAIL = "1/h"
    for _ in range(2):
        assert client.post(RESET, {"email": token_holder[0].email}).status_code == 302
    assert len(mailoutbox) == 2
