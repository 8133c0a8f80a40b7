"""Self-service password change and reset (Django's views, our templates), and the tokens they revoke."""

import re

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
