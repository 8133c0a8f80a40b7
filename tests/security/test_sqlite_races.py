"""The embedded SQLite database (no DATABASE_URL, as `bin/run`): two reviewers approving one plan at the same
moment, in two processes, give one 200 and one 409, never a 500 "database is locked"; a write lock held for
longer than SQLITE_TIMEOUT is a bilingual 503 with Retry-After. (pytest itself runs on PostgreSQL, so these
run tests/security/sqlite_actions.py in subprocesses against a temporary SQLite file.)"""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

SCRIPT = ["-m", "tests.security.sqlite_actions"]


def _env(database, **extra) -> dict:
    own = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "SQLITE_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    return {**clean, "DJANGO_SETTINGS_MODULE": "govit.settings.dev", "DATABASE_URL": f"sqlite:///{database}",
            "DEBUG": "false", **extra}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file, copied for each test (migrating takes seconds)."""
    template = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(template),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return template


@pytest.fixture
def database(migrated, tmp_path):
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated, path)
    done = subprocess.run([sys.executable, *SCRIPT, "setup"], cwd=ROOT, env=_env(path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return path, done.stdout.split()[-1]


def _approvers(path, plan_id, go, names, **env) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, *SCRIPT, "approve", name, plan_id, str(go)], cwd=ROOT,
                              env=_env(path, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in names]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return procs


def _answers(procs) -> list[dict]:
    outs = [proc.communicate(timeout=120) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), [err for _out, err in outs]
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in outs]


def _state(path) -> tuple:
    done = subprocess.run([sys.executable, "-c", (
        "import django; django.setup(); from plans.models import Plan, PlanEvent; p = Plan.objects.get(); "
        "print(p.status, p.version, p.decision_number, PlanEvent.objects.filter(action='approve').count())")],
        cwd=ROOT, env=_env(path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return tuple(done.stdout.split())


@pytest.mark.parametrize("round_", range(3))
def test_two_approvals_at_once_on_sqlite_one_wins_the_other_is_409(database, tmp_path, round_):
    path, plan_id = database
    go = tmp_path / "go"
    procs = _approvers(path, plan_id, go, ["thamdinh", "thamdinh2"])
    go.touch()
    answers = _answers(procs)
    assert sorted(a["status"] for a in answers) == [200, 409], answers
    conflict = json.loads(next(a["body"] for a in answers if a["status"] == 409))
    assert conflict["code"] == "invalid_state" and conflict["status"] == "approved"
    status, version, number, approvals = _state(path)
    assert (status, number, approvals) == ("approved", "5/QĐ-UBND", "1")
    assert int(version) == conflict["current_version"]


def test_a_lock_held_past_the_timeout_is_a_bilingual_503(database, tmp_path):
    path, plan_id = database
    ready, go, release = tmp_path / "ready", tmp_path / "go", tmp_path / "release"
    procs = _approvers(path, plan_id, go, ["thamdinh"], SQLITE_TIMEOUT="0.5")
    holder = subprocess.Popen([sys.executable, *SCRIPT, "hold", str(ready), str(release)], cwd=ROOT, env=_env(path),
                              stderr=subprocess.PIPE, text=True)
    while not ready.exists():
        assert holder.poll() is None, holder.stderr.read()
        time.sleep(0.01)
    go.touch()
    [answer] = _answers(procs)
    release.touch()
    holder.wait(timeout=30)
    assert answer["status"] == 503, answer
    body = json.loads(answer["body"])
    assert body["code"] == "database_busy" and "busy" in body["detail_en"]
    assert _state(path)[0] == "under_review"  # nothing of the refused approval was saved
