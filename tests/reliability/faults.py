"""Tools of the fault tests: a private Redis to stop and start, waiting, and a run held mid-way."""

import contextlib
import shutil
import socket
import subprocess
import time

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from assessments.scores.models import RunStatus, ScoreRun

# Beat sends dispatch_pending_runs every second, which re-sends a run lost for a second.
FAST_DISPATCH = {"SCORE_RUN_DISPATCH_INTERVAL": "1", "SCORE_RUN_LOST_AFTER": "1"}


class RedisServer:
    """A throw-away redis-server without persistence: stopping it loses every message, the worst case."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self.answers(), "private Redis to start", timeout=10)

    def stop(self) -> None:
        """Kill it (no clean shutdown): clients see their connections drop."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False


def wait_for(condition, what: str, timeout: float = 60, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def run_status(run: ScoreRun) -> str:
    return ScoreRun.objects.values_list("status", flat=True).get(pk=run.pk)


def wait_until_done(run: ScoreRun, timeout: float = 60) -> ScoreRun:
    wait_for(lambda: run_status(run) in (RunStatus.DONE, RunStatus.FAILED), f"run {run.pk} to finish", timeout)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


@contextlib.contextmanager
def scores_locked():
    """Hold a write lock on the published scores from another connection: a run that starts publishing
    blocks there, mid-run, for as long as the test wants (readers are not blocked)."""
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"],
                         password=db.get("PASSWORD") or None) as lock:
        lock.execute("LOCK TABLE assessments_agencyscore IN EXCLUSIVE MODE")
        yield
        lock.rollback()


def waiting_for_lock() -> bool:
    """Some backend (the worker's) is waiting for the lock on the published scores."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                       "'assessments_agencyscore'::regclass")
        return cursor.fetchone()[0] > 0


HCM = "000.00.00.H29"


def hcm_published(api_client, *fields: str) -> dict:
    """These fields of the published score of Hồ Chí Minh City (SAMPLE 2024), read through the API."""
    response = api_client.get("/api/v1/scores/", {"framework": "SAMPLE", "period": 2024, "agency": HCM})
    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    return {name: row[name] for name in fields}
