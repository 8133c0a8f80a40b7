"""Browser journeys: Debian's Chromium driven by Playwright against a live server on PostgreSQL."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the test body's ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def live_registry(transactional_db):
    from agencies.registry import load_registry

    load_registry()


def log_in(page, base_url: str, username: str, password: str = "Correct-horse-9"):
    """Sign in through the login form and wait for the home page; returns the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


@pytest.fixture
def sign_in(live_server, page):
    """Open the login page and sign in; returns the page."""

    def go(username: str, password: str = "Correct-horse-9"):
        return log_in(page, live_server.url, username, password)

    return go
