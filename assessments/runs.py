"""Score runs: requested (coalesced per framework version and period), computed, published atomically.

A run replaces the published scores of its (framework version, period) — or of some peer
groups of it, after a single value changed — inside one transaction: readers keep seeing the
previous complete set until the commit. Requests are rows in the database first and Celery
messages second, so a broker outage loses no request (`dispatch_pending` re-sends them).
"""

import contextlib
import datetime
import gc
import json
import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait

import msgspec
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agencies.models import Agency
from govit.pgcopy import copy_rows

from .models import Framework, Period
from .score_inputs import (
    framework_spec,
    lineage_specs,
    period_spec,
    previous_indexes,
    scored_agencies,
    value_query,
    value_specs,
)
from .score_models import ACTIVE_RUN_STATUSES, AgencyScore, RunStatus, ScoreRun
from .scoring import STORED_FIELDS, compute_scores, peer_group
from .scoring import AgencyScore as ComputedScore

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5
# Agencies scored per batch: bounds memory to one batch of values and breakdowns.
BATCH_AGENCIES = 1000


def progress_key(run_id: int) -> str:
    return f"score-run:{run_id}:progress"


def run_progress(run: ScoreRun) -> float:
    if run.status == RunStatus.DONE:
        return 1.0
    if run.status == RunStatus.QUEUED:
        return 0.0
    return float(cache.get(progress_key(run.pk), 0.0))


def _merge_groups(current: list[str], new: list[str] | None) -> list[str]:
    """Union of peer-group scopes; an empty list means every group and absorbs the rest."""
    if not current or not new:
        return []
    return sorted(set(current) | set(new))


def request_run(
    framework: Framework, period: Period, user=None, reason: str = "manual", groups: list[str] | None = None
) -> tuple[ScoreRun, bool]:
    """Ask for a run; returns (run, created). A second request while one is active joins it."""
    with transaction.atomic():
        active = (
            ScoreRun.objects.select_for_update()
            .filter(framework=framework, period=period, status__in=ACTIVE_RUN_STATUSES)
            .first()
        )
        if active is not None:
            if active.status == RunStatus.QUEUED:
                active.scope_groups = _merge_groups(active.scope_groups, groups)
                active.save(update_fields=["scope_groups"])
            else:
                active.rerun_groups = (
                    _merge_groups(active.rerun_groups, groups) if active.rerun_requested else list(groups or [])
                )
                active.rerun_requested = True
                active.save(update_fields=["rerun_requested", "rerun_groups"])
            return active, False
        try:
            with transaction.atomic():
                run = ScoreRun.objects.create(
                    framework=framework, period=period, started_by=user, reason=reason, scope_groups=list(groups or [])
                )
        except IntegrityError:  # another request created the active run a moment ago
            run = ScoreRun.objects.get(framework=framework, period=period, status__in=ACTIVE_RUN_STATUSES)
            return run, False
    # Debounce: runs asked for by value changes wait a little, so a burst of verifications joins one run.
    countdown = DEBOUNCE_SECONDS if reason == "value_change" else 0
    transaction.on_commit(lambda: enqueue(run.pk, countdown))
    return run, True


def enqueue(run_id: int, countdown: float = 0) -> bool:
    """Send the run to a worker; a broker outage is logged, not raised (the row is the request).

    One connection attempt, no retries: the caller may be a user's save, which must not wait
    for the broker (kombu would otherwise keep trying for seconds). The run's state lives in
    its row, so no result is stored, and nothing waits on the result backend either.
    """
    from .tasks import compute_run

    try:
        with compute_run.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            compute_run.apply_async(args=[run_id], countdown=countdown, retry=False, connection=connection)
        return True
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise many kinds; the request stays queued
        log.warning("score run %s not sent to the broker (%s); dispatch_pending will retry", run_id, exc)
        return False


def request_for_value_change(agency: Agency, framework: Framework, period: Period) -> None:
    """After a counted value changed: recompute the agency's peer group. Never fails the caller's save."""
    group = peer_group(agency.kind, agency.parent.code if agency.parent_id else None)
    try:
        request_run(framework, period, reason="value_change", groups=[group])
    except Exception:  # noqa: BLE001 - the nightly run catches up; the user's save must succeed
        log.exception("could not request a score run for %s %s", framework, period)


def dispatch_pending(older_than_seconds: float | None = None) -> int:
    """Re-send runs whose message may have been lost: queued while the broker was down, or running
    on a worker that died (nobody holds the run's lock any more). Run by beat every
    SCORE_RUN_DISPATCH_INTERVAL seconds; a duplicate message is harmless (execute_run skips it).

    A run whose worker died SCORE_RUN_MAX_ATTEMPTS times is marked failed rather than sent to
    kill another worker; the changes it was asked for are requested again by the next run."""
    if older_than_seconds is None:
        older_than_seconds = settings.SCORE_RUN_LOST_AFTER
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    queued = list(ScoreRun.objects.filter(status=RunStatus.QUEUED, requested_at__lt=cutoff))
    orphans = [
        run for run in ScoreRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff)
        if _advisory(run, "pg_try_advisory_lock") and _advisory(run, "pg_advisory_unlock")
    ]
    retried = [run for run in orphans if run.attempts < settings.SCORE_RUN_MAX_ATTEMPTS]
    for run in orphans:
        if run not in retried:
            ScoreRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED, finished_at=timezone.now(),
                error=f"worker lost {run.attempts} times; not retried",
            )
            log.error("score run %s failed: its worker was lost %s times", run.pk, run.attempts)
            _follow_up(run.pk)
    return sum(enqueue(run.pk) for run in queued + retried)


def _lock_key(run: ScoreRun) -> int:
    return (run.framework_id << 20) ^ run.period_id


def _advisory(run: ScoreRun, function: str) -> bool:
    """A session-level advisory lock per (framework, period); PostgreSQL frees it if the worker dies."""
    if connection.vendor != "postgresql":
        return True  # the embedded default runs tasks one at a time, in process
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [_lock_key(run)])
        return cursor.fetchone()[0]


def execute_run(run_id: int) -> ScoreRun:
    """Compute a run and publish it atomically. Safe to call again for the same run (re-delivery)."""
    run = ScoreRun.objects.select_related("framework", "period").get(pk=run_id)
    if run.status not in ACTIVE_RUN_STATUSES:
        return run
    if not _advisory(run, "pg_try_advisory_lock"):
        return run  # a live worker is computing it; this duplicate delivery has nothing to do
    try:
        _execute_locked(run)
    finally:
        _advisory(run, "pg_advisory_unlock")
    _follow_up(run_id)
    run.refresh_from_db()
    return run


def _execute_locked(run: ScoreRun) -> None:
    ScoreRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), attempts=run.attempts + 1, error=""
    )
    cache.set(progress_key(run.pk), 0.0, 24 * 3600)
    started = time.monotonic()
    try:
        with transaction.atomic(), _cyclic_gc_paused():
            counts = _compute_and_publish(run)
            # Marked done in the same transaction as the scores: both appear together.
            ScoreRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, finished_at=timezone.now(), duration_seconds=time.monotonic() - started,
                **counts,
            )
    except Exception as exc:
        ScoreRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), duration_seconds=time.monotonic() - started,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        _follow_up(run.pk)
        raise


@contextlib.contextmanager
def _cyclic_gc_paused():
    """A run allocates millions of small objects and none of them form cycles: the cyclic
    collector's passes over them took half the run time. Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _follow_up(run_id: int) -> None:
    """Start the run that changes during this one asked for."""
    run = ScoreRun.objects.select_related("framework", "period").get(pk=run_id)
    if run.rerun_requested:
        request_run(run.framework, run.period, reason="rerun", groups=run.rerun_groups or None)


def _batches(agencies: list, groups_of: dict) -> Iterable[list]:
    """Agencies ordered by peer group, cut between groups once a batch holds BATCH_AGENCIES."""
    batch: list = []
    current = None
    for item in sorted(agencies, key=lambda item: (groups_of[item[1].code], item[1].code)):
        group = groups_of[item[1].code]
        if batch and group != current and len(batch) >= BATCH_AGENCIES:
            yield batch
            batch = []
        batch.append(item)
        current = group
    if batch:
        yield batch


def _compute_and_publish(run: ScoreRun) -> dict[str, int]:
    framework, period = run.framework, run.period
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A run's queries are simple index reads: compiling them (JIT) cost more than it saved.
            cursor.execute("SET LOCAL jit = off")
    spec, pspec = framework_spec(framework), period_spec(period)
    agencies = scored_agencies(period, run.scope_groups)
    groups_of = {a.code: peer_group(a.kind, a.parent_code) for _pk, a in agencies}
    previous, previous_end = previous_indexes(period)
    lineage = lineage_specs(previous_end, period.end_date)

    stale = AgencyScore.objects.filter(framework=framework, period=period)
    if run.scope_groups:
        stale = stale.filter(group__in=run.scope_groups)
    stale.delete()

    now = timezone.now()
    done = values = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="score-run-read") as pool:
        reader = _ValuesAhead(framework, period, list(_batches(agencies, groups_of)), pool)
        for batch, batch_values in reader:
            results = compute_scores(spec, [a for _pk, a in batch], batch_values, pspec, previous, lineage,
                                     previous_period_end=previous_end)
            reader.settle()  # the connection is free again before the COPY
            ids = {a.code: pk for pk, a in batch}
            write_scores(_score_row(run, ids[r.agency_code], r, now) for r in results)
            done += len(batch)
            values += len(batch_values)
            cache.set(progress_key(run.pk), done / max(len(agencies), 1), 24 * 3600)
    return {"agencies_count": done, "values_count": values}


class _ValuesAhead:
    """Yields each batch with its values, reading the next batch's values while the caller computes.

    On PostgreSQL the read runs in a thread, so the server executes it while Python computes
    the current batch. The thread uses the run's own psycopg connection, so it reads inside
    the run's transaction; the caller calls settle() before it uses the connection itself.
    Elsewhere (the embedded SQLite default) values are read in line.
    """

    def __init__(self, framework: Framework, period: Period, batches: list[list], pool: ThreadPoolExecutor):
        self.framework, self.period, self.batches, self.pool = framework, period, batches, pool
        self.pending: Future | None = None

    def __iter__(self) -> Iterator[tuple[list, list[tuple]]]:
        ahead = self._read(self.batches[0]) if self.batches else None
        for i, batch in enumerate(self.batches):
            rows = ahead.result()
            ahead = self.pending = self._read(self.batches[i + 1]) if i + 1 < len(self.batches) else None
            yield batch, rows

    def settle(self) -> None:
        """Wait until the read ahead is done with the connection."""
        if self.pending is not None:
            wait([self.pending])

    def _read(self, batch: list) -> Future:
        ids = [pk for pk, _agency in batch]
        if connection.vendor != "postgresql":
            done: Future = Future()
            done.set_result(value_specs(self.framework, self.period, ids))
            return done
        sql, params = value_query(self.framework, self.period, ids)
        return self.pool.submit(_fetch, connection.connection, sql, params)


def _fetch(raw_connection, sql: str, params) -> list[tuple]:
    with raw_connection.cursor() as cursor:  # psycopg's lock keeps this from interleaving with others
        cursor.execute(sql, params)
        return cursor.fetchall()


def _num(x) -> float | None:
    return None if x is None else float(x)


_STORED = len(STORED_FIELDS)
# msgspec writes a Decimal as its exact decimal text, in C: json with default=float took four
# times as long, and this runs for every value of a run.
_BREAKDOWN_ENCODER = msgspec.json.Encoder(decimal_format="number")


def breakdown_json(lines) -> str:
    """The stored breakdown: each line's STORED_FIELDS as an array, Decimals as exact JSON numbers.

    s keeps its full precision here; it is rounded when read (score_selectors.breakdown_lines).
    """
    return _BREAKDOWN_ENCODER.encode([line[:_STORED] for line in lines]).decode()


SCORE_COLUMNS = ("framework_id", "period_id", "agency_id", "run_id", "agency_code", "group", "index", "points",
                 "max_points", "rank", "level", "delta", "verified_share", "pillars", "breakdown", "computed_at")
_PILLARS = SCORE_COLUMNS.index("pillars")


def _score_row(run: ScoreRun, agency_id: int, r: ComputedScore, now) -> tuple:
    """One published score in SCORE_COLUMNS order (a tuple: a model instance per agency cost more than its COPY)."""
    pillars = [{"code": p.code, "points": _num(p.points), "max_points": _num(p.max_points), "index": _num(p.index)}
               for p in r.pillars]
    return (run.framework_id, run.period_id, agency_id, run.pk, r.agency_code, r.group, r.index, r.points,
            r.max_points, r.rank, r.level, r.delta, r.verified_share, pillars, breakdown_json(r.breakdown), now)


def write_scores(rows: Iterable[tuple]) -> None:
    """Insert published scores (SCORE_COLUMNS tuples, made as they are sent): COPY on PostgreSQL, else bulk_create."""
    if connection.vendor != "postgresql":
        AgencyScore.objects.bulk_create([AgencyScore(**dict(zip(SCORE_COLUMNS, row, strict=True))) for row in rows],
                                        batch_size=500)
        return
    copy_rows(AgencyScore._meta.db_table, SCORE_COLUMNS,
              (row[:_PILLARS] + (json.dumps(row[_PILLARS]),) + row[_PILLARS + 1:] for row in rows))
