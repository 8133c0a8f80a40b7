"""Fixtures of the catalog tests: the sample catalog and period, shared with the values tests; the method page."""

import pytest

from tests.values.conftest import agencies, framework, indicator, period  # noqa: F401 - shared fixtures


@pytest.fixture
def english_method_page(client, make_user):
    """The method page of a catalog code in English, as an observer sees it (HTML; asserts it answers 200)."""
    client.force_login(make_user("xem", "observer"))
    client.cookies["django_language"] = "en"

    def page(code: str) -> str:
        response = client.get("/scores/method/", {"framework": code}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return response.content.decode()

    return page
