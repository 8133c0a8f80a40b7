"""Load bench: 200 readers of scores and rankings, 20 writers of values, against gunicorn + PostgreSQL.

Sets up a throw-away database with the registry, the catalogs, demo values and scores; starts
gunicorn (4 workers) on 127.0.0.1:8765; runs Locust headless for --seconds; prints throughput,
p50/p95/p99 and errors. Traffic goes to the loopback only and stops by itself.
Usage: .venv/bin/python bench/load.py [--seconds 60] [--readers 200] [--writers 20]
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, bench_database

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=int, default=60)
parser.add_argument("--readers", type=int, default=200)
parser.add_argument("--writers", type=int, default=20)
args = parser.parse_args()

os.environ.setdefault("REDIS_URL", "")
os.environ["THROTTLE_USER"] = "1000000/minute"
bench_database("govit_bench_load")

from django.core.management import call_command  # noqa: E402

from agencies.users import create_user  # noqa: E402

call_command("load_registry", verbosity=0)
call_command("load_demo", verbosity=0)
reader_token = create_user("load-reader", "observer", password="Correct-horse-9", with_token=True)[2]
writer_token = create_user("load-writer", "agency_staff", "000.00.00.H26", True, password="Correct-horse-9",
                           with_token=True)[2]

env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govit.settings.test", "READER_TOKEN": reader_token,
       "WRITER_TOKEN": writer_token}
server = subprocess.Popen([sys.executable, "-m", "gunicorn", "govit.wsgi_test:application", "-b", "127.0.0.1:8765",
                           "-w", "4", "--log-level", "warning"], cwd=ROOT, env=env)
try:
    for _ in range(60):
        try:
            urllib.request.urlopen("http://127.0.0.1:8765/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    users = args.readers + args.writers
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", "50", "-t", f"{args.seconds}s", "-H", "http://127.0.0.1:8765", "--only-summary", "--stop-timeout", "5",
         "--csv", str(Path(tempfile.mkdtemp()) / "govit-load")],
        cwd=ROOT, env={**env, "WRITER_SHARE": str(args.writers / users)}, capture_output=True, text=True,
    )
    print(result.stdout[-3000:] or result.stderr[-3000:])
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)
