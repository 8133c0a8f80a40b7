"""What a score run reads and writes in bulk: batches of agencies, their values (read one batch
ahead), and the published rows (written with COPY)."""

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait

import msgspec
from django.db import connection

from assessments.catalog.models import Framework, Period
from assessments.scores.inputs import value_query, value_specs
from assessments.scores.models import AgencyScore, ScoreRun
from assessments.scores.scoring import STORED_FIELDS
from assessments.scores.scoring import AgencyScore as ComputedScore
from govit.pgcopy import copy_rows

# Agencies scored per batch: bounds memory to one batch of values and breakdowns (two while reading ahead).
BATCH_AGENCIES = 1000


def batches(agencies: list, groups_of: dict) -> Iterable[list]:
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


class ValuesAhead:
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

    s keeps its full precision here; it is rounded when read (selectors.breakdown_lines).
    """
    return _BREAKDOWN_ENCODER.encode([line[:_STORED] for line in lines]).decode()


SCORE_COLUMNS = ("framework_id", "period_id", "agency_id", "run_id", "agency_code", "group", "index", "points",
                 "max_points", "rank", "level", "delta", "verified_share", "pillars", "breakdown", "computed_at")
_PILLARS = SCORE_COLUMNS.index("pillars")


def score_row(run: ScoreRun, agency_id: int, r: ComputedScore, now) -> tuple:
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
