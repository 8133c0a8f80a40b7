"""Feeds bench (issue 14 item 2): 1,000,000 observations from 3,400 sources, in batches from 8 concurrent
clients, against gunicorn + PostgreSQL + Redis + a Celery worker.

Sets up a throw-away database with the registry down to the communes, the CDS catalog and its 2026 period; one
source per agency (communes first) feeding the CDS indicators that apply to it among DM.03 (ratio), MLN.02 and
DDL.05 (percent, mean); starts gunicorn on 127.0.0.1:8766 and a worker; sends every batch (built before the clock
starts) over keep-alive connections; prints observations/s, p50/p95 of a batch, and the score lag: from a
batch's answer to the first published score of its agency computed after it (sampled batches, p50/p95), and
from the last answer to the moment no score run is left to do. Target: >= 5,000 observations/s, lag p95 < 10 s.
`--short` (50,000 observations from 200 sources) runs in under a minute.
Usage: .venv/bin/python bench/feeds.py [--observations 1000000] [--sources 3400] [--batch 1000] [--clients 8]
"""

import datetime
import http.client
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from _setup import ROOT, bench_args, bench_database, stop_servers

args = bench_args(
    {"observations": 1_000_000, "sources": 3400, "batch": 1000, "clients": 8, "workers": 3},
    short={"observations": 50_000, "sources": 200},
    what="50,000 observations from 200 sources",
)

PORT = 8766
YEAR = 2026
INDICATORS = ("DM.03", "MLN.02", "DDL.05")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("CONN_MAX_AGE", "60")
bench_database("govit_bench_feeds")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from agencies.models import Agency  # noqa: E402
from assessments.catalog.periods import create_period  # noqa: E402
from assessments.catalog.selectors import latest_framework  # noqa: E402
from assessments.scores.models import ACTIVE_RUN_STATUSES, AgencyScore, ScoreRun  # noqa: E402
from assessments.values.feeds.models import FeedSource  # noqa: E402

cache.clear()
call_command("load_registry", level="commune", verbosity=0)
call_command("load_framework", str(ROOT / "assessments/catalog/frameworks/cds.yaml"), verbosity=0)
period = create_period("CDS", YEAR).period
indicators = {i.code: i for i in latest_framework("CDS").indicators.filter(code__in=INDICATORS)}
day = datetime.date(YEAR, 11, 30)
agencies = sorted(Agency.objects.active_on(day).select_related("parent"), key=lambda a: (a.kind != "commune", a.code))
sources, keys = [], {}
for agency in agencies:
    codes = [code for code in INDICATORS if indicators[code].applies_to_kind(agency.kind, period)]
    if not codes:
        continue
    source = FeedSource(code=f"S{len(sources):05d}", name=agency.code, agency=agency, framework_code="CDS",
                        indicator_codes=codes)
    keys[source.code] = source.new_key()
    sources.append(source)
    if len(sources) == args.sources:
        break
FeedSource.objects.bulk_create(sources)
connection.close()


def observation(source: FeedSource, n: int, rng: random.Random) -> dict:
    code = source.indicator_codes[n % len(source.indicator_codes)]
    at = datetime.datetime(YEAR, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=rng.randrange(480_000))
    item = {"indicator": code, "observed_at": at.isoformat(), "idempotency_key": f"{source.code}-{n}"}
    if indicators[code].type == "ratio":
        den = rng.randrange(1, 500)
        return {**item, "numerator": rng.randrange(den + 1), "denominator": den}
    return {**item, "value": f"{rng.uniform(0, 100):.2f}"}


# Every batch is built before the clock starts: the clients only send.
rng = random.Random(14)
per_source = args.observations // len(sources)
batches = []  # (source, agency id, body)
for source in sources:
    items = [observation(source, n, rng) for n in range(per_source)]
    for start in range(0, len(items), args.batch):
        body = json.dumps({"observations": items[start:start + args.batch]}).encode()
        batches.append((source, source.agency_id, body))
rng.shuffle(batches)
total = per_source * len(sources)

env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govit.settings.test", "CELERY_TASK_ALWAYS_EAGER": "false"}
server = subprocess.Popen([sys.executable, "-m", "gunicorn", "govit.wsgi_test:application", "-b", f"127.0.0.1:{PORT}",
                           "-w", str(args.workers), "--preload", "--log-level", "warning"], cwd=ROOT, env=env)
worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "govit", "worker", "-Q", "default,scoring,reminders",
                           "-c", "1", "--loglevel", "WARNING", "-n", f"feeds{os.getpid()}@%h"], cwd=ROOT, env=env)

SAMPLE_EVERY = 20
latencies: list[float] = []
sampled: dict[int, float] = {}  # agency id -> wall time of its sampled batch's answer (the latest one)
lags: list[float] = []
errors: list[str] = []
lock = threading.Lock()


def client(work: queue.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    while True:
        try:
            n, (source, agency_id, body) = work.get_nowait()
        except queue.Empty:
            return
        began = time.perf_counter()
        conn.request("POST", f"/api/v1/feeds/{source.code}/observations/", body,
                     {"Content-Type": "application/json", "Authorization": f"Source {keys[source.code]}"})
        response = conn.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - began
        with lock:
            latencies.append(elapsed)
            if response.status != 200:
                errors.append(f"{response.status} {answer[:200]!r}")
            elif n % SAMPLE_EVERY == 0:
                sampled.setdefault(agency_id, time.time())


def poll_scores(stop: threading.Event) -> None:
    """The first score of each sampled agency computed after its batch's answer gives that batch's lag."""
    while not stop.is_set() or sampled:
        with lock:
            waiting = dict(sampled)
        if waiting:
            for agency_id, computed in AgencyScore.objects.filter(
                    agency_id__in=list(waiting), period=period).values_list("agency_id", "computed_at"):
                if computed.timestamp() >= waiting[agency_id]:
                    with lock:
                        lags.append(computed.timestamp() - sampled.pop(agency_id))
        if stop.is_set() and time.time() > stop.deadline:
            break
        time.sleep(0.25)
    connection.close()


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else (values[0] if values else float("nan"))


try:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    work: queue.Queue = queue.Queue()
    for item in enumerate(batches):
        work.put(item)
    stop = threading.Event()
    poller = threading.Thread(target=poll_scores, args=(stop,))
    poller.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(work,)) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    last_answer = time.time()
    # Drained: no run left queued or running (the debounced runs of the last batches have published).
    while ScoreRun.objects.filter(status__in=ACTIVE_RUN_STATUSES).exists() and time.time() - last_answer < 300:
        time.sleep(0.25)
    drained = time.time() - last_answer
    stop.deadline = time.time() + 5
    stop.set()
    poller.join()
    rate = total / elapsed
    lag95 = pct(lags, 95)
    print(f"{total:,} observations from {len(sources):,} sources in {len(batches):,} batches of <= {args.batch}, "
          f"{args.clients} clients, {args.workers} gunicorn workers, 1 Celery worker: {elapsed:.1f} s, "
          f"{rate:,.0f} observations/s (target >= 5,000: {'met' if rate >= 5000 else 'NOT met'}); "
          f"batch p50 {pct(latencies, 50) * 1000:.0f} ms, p95 {pct(latencies, 95) * 1000:.0f} ms; "
          f"score lag over {len(lags)} sampled batches p50 {pct(lags, 50):.1f} s, p95 {lag95:.1f} s "
          f"(target < 10 s: {'met' if lag95 < 10 else 'NOT met'}), {len(sampled)} never scored; "
          f"last answer to no run left {drained:.1f} s; {len(errors)} errors")
    for line in errors[:5]:
        print("error:", line)
finally:
    stop_servers(server, worker)
sys.exit(1 if errors else 0)
