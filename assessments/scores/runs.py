"""Score runs: requested (coalesced per framework version and period), computed, published atomically.

A run replaces the published scores of its (framework version, period) — or of some peer
groups of it, after a single value changed — inside one transaction: readers keep seeing the
previous complete set until the commit. Requests are rows in the database first and Celery
messages second, so a broker outage loses no request (`dispatch_pending` re-sends them).
"""

import contextlib
import datetime
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agencies.models import Agency
from assessments.catalog.models import Framework, Period
from assessments.scores.inputs import (
    framework_spec,
    lineage_specs,
    period_spec,
    previous_indexes,
    scored_agencies,
)
from assessments.scores.models import ACTIVE_RUN_STATUSES, AgencyScore, RunStatus, ScoreRun
from assessments.scores.run_io import ValuesAhead, batches, score_row, write_scores
from assessments.scores.scoring import compute_scores, peer_group, published_groups
from assessments.scores.signals import run_finished

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5


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


# Values derived from other apps, written before a full run reads them: plans registers its plan indicators
# (KH.01, KH.02) from its app config, so a run started from the web, the API or beat scores the current plans.
INPUT_FEEDS: list[Callable[[Framework, Period], object]] = []


def request_run(
    framework: Framework, period: Period, user=None, reason: str = "manual", groups: list[str] | None = None
) -> tuple[ScoreRun, bool]:
    """Ask for a run; returns (run, created). A second request while one is active joins it.

    A run of every peer group first refreshes the values the INPUT_FEEDS derive (only changed ones are written).
    """
    if not groups:
        for feed in INPUT_FEEDS:
            feed(framework, period)
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
    from assessments.scores.tasks import compute_run

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
            run_finished.send(sender=ScoreRun, run=run)
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


def _compute_and_publish(run: ScoreRun) -> dict[str, int]:
    framework, period = run.framework, run.period
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A run's queries are simple index reads: compiling them (JIT) cost more than it saved.
            cursor.execute("SET LOCAL jit = off")
    spec, pspec = framework_spec(framework, period.year), period_spec(period)
    agencies = scored_agencies(framework, period, run.scope_groups)
    groups_of = {a.code: peer_group(a.kind, a.parent_code, a.public_services) for _pk, a in agencies}
    previous, previous_end = previous_indexes(period)
    lineage = lineage_specs(previous_end, period.end_date)

    stale = AgencyScore.objects.filter(framework=framework, period=period)
    if run.scope_groups:
        stale = stale.filter(group__in=published_groups(run.scope_groups))
    stale.delete()

    now = timezone.now()
    done = values = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="score-run-read") as pool:
        reader = ValuesAhead(framework, period, list(batches(agencies, groups_of)), pool)
        for batch, batch_values in reader:
            results = compute_scores(spec, [a for _pk, a in batch], batch_values, pspec, previous, lineage,
                                     previous_period_end=previous_end)
            reader.settle()  # the connection is free again before the COPY
            ids = {a.code: pk for pk, a in batch}
            write_scores(score_row(run, ids[r.agency_code], r, now) for r in results)
            done += len(batch)
            values += len(batch_values)
            cache.set(progress_key(run.pk), done / max(len(agencies), 1), 24 * 3600)
    return {"agencies_count": done, "values_count": values}


