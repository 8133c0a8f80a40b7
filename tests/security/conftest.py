"""Shared parts of the security tests: a production environment for fresh processes, and an API client with a
known password and a live token (for the tests of what revokes tokens)."""

import os

import pytest
from rest_framework.test import APIClient

from agencies.users import create_user

PASSWORD = "Correct-horse-9"
TOKEN_URL = "/api/v1/agencies/"


@pytest.fixture
def token_holder(db):
    """(user, token key) of the observer `maychu`, with the password PASSWORD and an e-mail address."""
    user, _pw, key = create_user("maychu", "observer", password=PASSWORD, with_token=True)
    user.email = "maychu@example.gov.vn"
    user.save()
    return user, key


def token_get(key: str, lang: str = "vi"):
    """A GET of a token-only read with `key`, in `lang`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(TOKEN_URL, HTTP_ACCEPT_LANGUAGE=lang)


def production_environment(**env: str | None) -> dict:
    """This machine's environment without the test process's own settings (pytest's, Celery's, or
    DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests), then production's minimum (its settings module, a secret
    key, an allowed host), then `env`; None removes a variable."""
    own = ("DJANGO_", "THROTTLE_", "SESSION_", "AXES_", "TRUSTED_PROXY", "CELERY_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    minimum = {
        "DJANGO_SETTINGS_MODULE": "govit.settings.prod",
        "SECRET_KEY": "k3y-for-the-production-tests-" + "x7Qp" * 10,
        "ALLOWED_HOSTS": "govit.example.gov.vn",
    }
    return {k: v for k, v in {**clean, **minimum, **env}.items() if v is not None}
