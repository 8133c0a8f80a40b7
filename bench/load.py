"""Load bench: 200 readers of scores and rankings and 20 writers of values and plans, against gunicorn +
PostgreSQL + Redis + a Celery worker.

Sets up a throw-away database with the registry, the catalogs, demo values, scores and a plan;
starts gunicorn on 127.0.0.1:8765 and a worker; runs Locust headless; prints throughput,
p50/p95/p99 and errors against the target (p95 < 300 ms, no errors). Loopback traffic only.
`--short` is the form CI runs (20 readers, 2 writers, 15 s); it exits non-zero on any error.
Usage: .venv/bin/python bench/load.py [--seconds 60] [--readers 200] [--writers 20] [--short]
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, bench_args, bench_database, stop_servers

args = bench_args(
    {"seconds": 60, "readers": 200, "writers": 20, "workers": 4},
    short={"seconds": 15, "readers": 20, "writers": 2},
    what="CI form: 20 readers, 2 writers, 15 s",
)

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["THROTTLE_USER"] = "1000000/minute"
os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as in production (docker-compose.yml)
bench_database("govit_bench_load")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from agencies.users import create_user  # noqa: E402
from plans.models import Plan  # noqa: E402

cache.clear()
call_command("load_registry", verbosity=0)
call_command("load_demo", verbosity=0)
reader_token = create_user("load-reader", "observer", password="Correct-horse-9", with_token=True)[2]
writer_token = create_user("load-writer", "agency_staff", "000.00.00.H26", True, password="Correct-horse-9",
                           with_token=True)[2]
plan_id = Plan.objects.filter(agency__code="000.00.00.H26", status="draft").values_list("pk", flat=True).first()
connection.close()

env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govit.settings.test", "READER_TOKEN": reader_token,
       "WRITER_TOKEN": writer_token, "PLAN_ID": str(plan_id), "CELERY_TASK_ALWAYS_EAGER": "false"}
# --preload: the application is imported once, before the workers fork, as in production.
server = subprocess.Popen([sys.executable, "-m", "gunicorn", "govit.wsgi_test:application", "-b", "127.0.0.1:8765",
                           "-w", str(args.workers), "--preload", "--log-level", "warning"], cwd=ROOT, env=env)
worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "govit", "worker", "-Q", "default,scoring,reminders",
                           "-c", "1", "--loglevel", "WARNING", "-n", f"load{os.getpid()}@%h"], cwd=ROOT, env=env)


def stats(prefix: Path) -> dict:
    """The 'Aggregated' line of Locust's CSV statistics."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        return next(row for row in csv.DictReader(f) if row["Name"] == "Aggregated")


try:
    for _ in range(60):
        try:
            urllib.request.urlopen("http://127.0.0.1:8765/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    # Warm-up, not measured: every worker's first requests fill its caches (the score pages included).
    for path in ("/api/v1/scores/?framework=CNTT-64&period=2024&group=provincial", "/api/v1/agencies/000.00.00.H26/scores/",
                 "/api/v1/agencies/?group=provincial&active_on=2025-07-01") * (2 * args.workers):
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:8765{path}",
                                                      headers={"Authorization": f"Token {reader_token}"}), timeout=30)
    users = args.readers + args.writers
    prefix = Path(tempfile.mkdtemp()) / "govit-load"
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", "50", "-t", f"{args.seconds}s", "-H", "http://127.0.0.1:8765", "--only-summary", "--stop-timeout", "5",
         "--csv", str(prefix)],
        cwd=ROOT, env={**env, "WRITER_SHARE": str(args.writers / users)}, capture_output=True, text=True,
    )
    print(result.stdout[-4000:] or result.stderr[-4000:])
    total = stats(prefix)
    errors, p95 = int(total["Failure Count"]), float(total["95%"])
    print(f"{args.readers} readers + {args.writers} writers, {args.seconds} s, {args.workers} gunicorn workers: "
          f"{float(total['Requests/s']):.1f} req/s, {total['Request Count']} requests, {errors} errors, "
          f"p50 {total['50%']} ms, p95 {p95:.0f} ms, p99 {total['99%']} ms "
          f"(target p95 < 300 ms: {'met' if p95 < 300 else 'NOT met'}; errors: {'none' if not errors else 'SOME'})")
finally:
    stop_servers(server, worker)
sys.exit(1 if errors else 0)
