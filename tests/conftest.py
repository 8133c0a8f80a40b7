import os
import signal
import socket
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
def wsgi_app():
    """The project's WSGI application for schemathesis, keeping the test's connection (and its transaction) across
    requests as Django's test client does."""
    from django.core import signals
    from django.db import close_old_connections

    from govit.wsgi_test import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


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
def as_user(client):
    """The test client signed in as the given user (web pages)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


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


class CeleryProcesses:
    """Real Celery workers and beat as subprocesses on a given Redis, reading the test database.

    Each is stopped after the test; `kill` sends SIGKILL (a worker lost mid-task).
    """

    QUEUES = "default,scoring,reminders"

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []

    def _env(self, redis_url: str, env: dict | None) -> dict:
        return {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "govit.settings.test",
                "REDIS_URL": redis_url, **(env or {})}

    def _spawn(self, args: list[str], redis_url: str, env: dict | None) -> subprocess.Popen:
        log = open(self.tmp_path / f"celery-{len(self.started)}.log", "wb")  # noqa: SIM115 - closed with the test
        proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "govit", *args], cwd=ROOT,
                                env=self._env(redis_url, env), stdout=log, stderr=subprocess.STDOUT)
        proc.log_path = log.name
        self.started.append(proc)
        return proc

    def output(self, proc: subprocess.Popen) -> str:
        return Path(proc.log_path).read_text(errors="replace")[-3000:]

    def worker(self, redis_url: str | None = None, env: dict | None = None) -> subprocess.Popen:
        """A worker on every queue (solo pool: one process, the one that runs the task); returns once it answers."""
        from celery import Celery

        redis_url = redis_url or settings.REDIS_URL
        node = f"test{os.getpid()}-{len(self.started)}@{socket.gethostname()}"
        proc = self._spawn(["worker", "-Q", self.QUEUES, "--pool", "solo", "--without-heartbeat", "--without-gossip",
                            "--without-mingle", "-n", node, "--loglevel", "WARNING"], redis_url, env)
        probe = Celery(broker=redis_url, set_as_current=False)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"worker exited: {self.output(proc)}")
            try:
                if probe.control.ping(timeout=0.5, destination=[node]):
                    return proc
            except Exception:  # noqa: BLE001 - the broker may not be up yet: ask again
                time.sleep(0.2)
        proc.kill()
        pytest.fail("worker did not answer within 30 s")

    def beat(self, redis_url: str | None = None, env: dict | None = None) -> subprocess.Popen:
        return self._spawn(["beat", "-s", str(self.tmp_path / "beat-schedule"), "--loglevel", "WARNING"],
                           redis_url or settings.REDIS_URL, env)

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.started:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def celery_processes(transactional_db, tmp_path):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.fail("the worker tests need PostgreSQL (run them with bin/test)")
    processes = CeleryProcesses(tmp_path)
    yield processes
    processes.stop_all()


@pytest.fixture
def celery_worker_process(celery_processes):
    """A real Celery worker on the test settings' Redis, reading the test database; stopped after the test."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("the worker tests need REDIS_URL (run them with bin/test)")
    import redis

    # Messages left by other tests (no worker was listening then) are not this test's.
    redis.Redis.from_url(settings.REDIS_URL).delete(*CeleryProcesses.QUEUES.split(","))
    return celery_processes.worker()
