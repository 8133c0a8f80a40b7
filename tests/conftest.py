import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from agencies.users import create_user

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def registry(db):
    from agencies.registry import load_registry

    load_registry()


@pytest.fixture
def make_user(db):
    def make(name="u", role="admin", agency=None, with_descendants=False):
        user, _pw, _tok = create_user(name, role, agency, with_descendants, password="Correct-horse-9")
        return user

    return make


@pytest.fixture
def api(make_user):
    """An API client signed in as a fresh user of the given role."""

    def client(role="admin", agency=None, with_descendants=False, name=None):
        c = APIClient()
        c.force_authenticate(make_user(name or f"{role}-{agency or 'x'}", role, agency, with_descendants))
        return c

    return client


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker on Redis, reading the test database; killed after the test."""
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.fail("the worker tests need REDIS_URL and PostgreSQL (run them with bin/test)")
    import redis

    # Messages left by other tests (no worker was listening then) are not this test's.
    redis.Redis.from_url(settings.REDIS_URL).delete("default", "scoring", "reminders")
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "govit.settings.test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "govit", "worker", "-Q", "default,scoring,reminders",
         "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"test{os.getpid()}@%h",
         "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    from govit.celery import app

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.inspect(timeout=0.5).ping():
            break
        if proc.poll() is not None:
            pytest.fail(f"worker exited: {proc.stdout.read().decode()[-2000:]}")
    else:
        proc.kill()
        pytest.fail("worker did not answer within 30 s")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
