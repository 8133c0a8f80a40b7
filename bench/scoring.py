"""Score-run bench: 15,000 agencies × 120 indicators × 2 periods (≈ 3.6 M values) in PostgreSQL.

Prints, measured in the same run: the full run; the same arithmetic as one plain SQL query and
the ratio; a naive per-agency ORM loop (on a sample, extrapolated) and the ratio; an incremental
recompute after one value changes; median and p95 of GET /api/v1/scores/?page_size=500; peak memory.
Usage: .venv/bin/python bench/scoring.py [--agencies 15000] [--indicators 120]
"""

import argparse
import datetime
import os
import random
import resource
import statistics
import time

from _setup import bench_database

parser = argparse.ArgumentParser()
parser.add_argument("--agencies", type=int, default=15000)
parser.add_argument("--indicators", type=int, default=120)
args = parser.parse_args()

os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as in production
bench_database("govit_bench_scoring")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyKind  # noqa: E402
from agencies.users import create_user  # noqa: E402
from assessments.catalog.models import Framework, Indicator, Period, Pillar  # noqa: E402
from assessments.scores import runs  # noqa: E402
from assessments.scores.models import AgencyScore, RunStatus, ScoreRun  # noqa: E402
from assessments.values.models import IndicatorValue  # noqa: E402

START = datetime.date(2008, 1, 1)
rng = random.Random(64)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_agencies(n: int) -> list[int]:
    """63 provinces, 30 central agencies, and departments/communes under the provinces up to n."""
    top = [Agency(code=f"000.00.00.H{p:02d}", name_vi=f"Tỉnh {p}", kind=AgencyKind.PROVINCE, valid_from=START,
                  path="/", search_text=f"tinh {p}") for p in range(1, 64)]
    top += [Agency(code=f"000.00.00.G{g:02d}", name_vi=f"Bộ {g}", kind=AgencyKind.MINISTRY, valid_from=START,
                   path="/", search_text=f"bo {g}") for g in range(1, 31)]
    top = Agency.objects.bulk_create(top)
    provinces = [a for a in top if a.kind == AgencyKind.PROVINCE]
    subs, i = [], 0
    while len(top) + len(subs) < n:
        parent = provinces[i % len(provinces)]
        kind = AgencyKind.DEPARTMENT if (i // len(provinces)) % 5 == 0 else AgencyKind.COMMUNE
        serial = i // len(provinces)
        subs.append(Agency(code=f"{serial // 100:03d}.{serial % 100:02d}.01.{parent.code[-3:]}", name_vi=f"Đơn vị {i}",
                           kind=kind, parent=parent, path=f"/{parent.pk}/", depth=1, valid_from=START,
                           search_text=f"don vi {i}"))
        i += 1
    Agency.objects.bulk_create(subs, batch_size=5000)
    return list(Agency.objects.values_list("pk", flat=True))


def build_framework(n: int) -> tuple[Framework, list[Indicator]]:
    fw = Framework.objects.create(code="BENCH", version="1", name_vi="Bench", levels=[], content_hash="x" * 64)
    pillars = [Pillar.objects.create(framework=fw, code=f"P{k}", name_vi=f"Trụ cột {k}", order=k) for k in range(6)]
    indicators = []
    for j in range(n):
        kind = ("percent", "boolean", "count")[j % 3]
        norm = ({"method": "linear", "floor": 0, "target": 90} if kind == "percent" else
                {"method": "boolean"} if kind == "boolean" else {"method": "linear", "floor": 0, "target": 50})
        indicators.append(Indicator(framework=fw, pillar=pillars[j % 6], code=f"I.{j:03d}", name_vi=f"Chỉ tiêu {j}",
                                    type=kind, normalization=norm, max_points=10, order=j))
    return fw, Indicator.objects.bulk_create(indicators)


def build_values(periods, agency_ids, indicators) -> int:
    now = timezone.now().isoformat()
    columns = ("agency_id", "indicator_id", "period_id", "value_decimal", "value_bool", "note", "evidence_url",
               "status", "na_reason", "reject_reason", "created_at", "updated_at", "version")
    total = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY assessments_indicatorvalue ({', '.join(columns)}) FROM STDIN") as copy:
            for period in periods:
                for agency_id in agency_ids:
                    for ind in indicators:
                        status = "verified" if rng.random() < 0.9 else "draft"
                        if ind.type == "boolean":
                            row = (agency_id, ind.pk, period.pk, None, rng.random() < 0.7)
                        elif ind.type == "count":  # whole numbers: a fractional count is an invalid value
                            row = (agency_id, ind.pk, period.pk, rng.randint(0, 60), None)
                        else:
                            row = (agency_id, ind.pk, period.pk, round(rng.uniform(0, 100), 2), None)
                        copy.write_row((*row, "", "", status, "", "", now, now, 1))
                        total += 1
        cursor.execute("ANALYZE")
    return total


SQL_INDEX = """
WITH s AS (
  SELECT v.agency_id, i.max_points,
         CASE WHEN v.status NOT IN ('submitted', 'verified') THEN 0
              WHEN i.normalization->>'method' = 'boolean' THEN CASE WHEN v.value_bool THEN 1 ELSE 0 END
              ELSE LEAST(GREATEST((v.value_decimal - (i.normalization->>'floor')::numeric)
                   / ((i.normalization->>'target')::numeric - (i.normalization->>'floor')::numeric), 0), 1)
         END AS s
  FROM assessments_indicatorvalue v JOIN assessments_indicator i ON i.id = v.indicator_id
  WHERE v.period_id = %s AND i.framework_id = %s
), a AS (
  SELECT agency_id, SUM(s * max_points) / NULLIF(SUM(max_points), 0) AS idx FROM s GROUP BY agency_id
)
SELECT count(*), max(rnk) FROM (
  SELECT a.agency_id, RANK() OVER (PARTITION BY CASE WHEN ag.kind IN ('ministry','ministerial_agency','government_agency')
         THEN 'central' WHEN ag.kind = 'province' THEN 'provincial' ELSE ag.kind || ':' || ag.parent_id END
         ORDER BY ROUND(a.idx, 6) DESC) AS rnk
  FROM a JOIN agencies_agency ag ON ag.id = a.agency_id) ranked
"""


def naive_loop(framework, period, agency_ids) -> None:
    """What one would write first: for each agency, query its values and sum in Python."""
    indicators = {i.pk: i for i in Indicator.objects.filter(framework=framework)}
    for agency_id in agency_ids:
        points = maximum = 0.0
        for value in IndicatorValue.objects.filter(agency_id=agency_id, period=period):
            ind = indicators[value.indicator_id]
            maximum += float(ind.max_points)
            if value.status in ("submitted", "verified"):
                if ind.type == "boolean":
                    s = 1.0 if value.value_bool else 0.0
                else:
                    norm = ind.normalization
                    s = min(max((float(value.value_decimal) - norm["floor"]) / (norm["target"] - norm["floor"]), 0), 1)
                points += s * float(ind.max_points)


def main() -> None:
    t = time.perf_counter()
    agency_ids = build_agencies(args.agencies)
    framework, indicators = build_framework(args.indicators)
    periods = [Period.objects.create(framework_code="BENCH", year=y, deadline=datetime.date(y + 1, 3, 31))
               for y in (2024, 2025)]
    total = build_values(periods, agency_ids, indicators)
    print(f"generated {len(agency_ids)} agencies × {len(indicators)} indicators × {len(periods)} periods "
          f"= {total:,} values in {time.perf_counter() - t:.1f} s")

    timings = []
    for period in periods:
        t = time.perf_counter()
        run, _ = runs.request_run(framework, period, reason="bench")
        runs.execute_run(run.pk)
        timings.append(time.perf_counter() - t)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, run.error
    full = timings[-1]
    print(f"full run (period with a previous period, delta included): {full:.2f} s "
          f"(first period {timings[0]:.2f} s); peak RSS so far {peak_mb():.0f} MB")

    period = periods[-1]
    with connection.cursor() as cursor:
        t = time.perf_counter()
        cursor.execute(SQL_INDEX, [period.pk, framework.pk])
        scored, _ = cursor.fetchone()
        sql = time.perf_counter() - t
    print(f"same arithmetic as one SQL query: {sql:.2f} s for {scored} agencies; run / SQL = {full / sql:.1f}x")

    sample = agency_ids[:300]
    t = time.perf_counter()
    naive_loop(framework, period, sample)
    naive = (time.perf_counter() - t) * len(agency_ids) / len(sample)
    print(f"naive per-agency ORM loop (300 agencies, extrapolated): {naive:.1f} s; naive / run = {naive / full:.1f}x")

    value = IndicatorValue.objects.filter(period=period, agency__kind=AgencyKind.COMMUNE).first()
    value.value_decimal = 12
    value.save()
    t = time.perf_counter()
    runs.request_for_value_change(value.agency, framework, period)
    run = ScoreRun.objects.filter(status=RunStatus.QUEUED).first() or ScoreRun.objects.latest("requested_at")
    runs.execute_run(run.pk)
    incremental = time.perf_counter() - t
    run.refresh_from_db()
    print(f"incremental recompute after one value change: {incremental * 1000:.0f} ms "
          f"({run.agencies_count} agencies of group {run.scope_groups})")

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a run wrote its scores
    user = create_user("bench", "observer", password="Correct-horse-9")[0]
    client = Client()
    client.force_login(user)
    url = "/api/v1/scores/?page_size=500&framework=BENCH&period=2025"
    for label, cache_seconds in (("uncached (every request built)", 0), ("served (page cache until next run)", 300)):
        settings.SCORES_PAGE_CACHE_SECONDS = cache_seconds
        samples = []
        for _ in range(40):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200 and len(response.json()["results"]) == 500
        samples.sort()
        print(f"GET {url} {label}: median {statistics.median(samples):.0f} ms, "
              f"p95 {samples[int(len(samples) * 0.95) - 1]:.0f} ms")
    print(f"scores stored: {AgencyScore.objects.count():,}; peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
