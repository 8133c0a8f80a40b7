"""Ingesting a source's observations and deriving the period's values from them (issue 14).

A batch is checked as a whole (nothing saved if one item is wrong: 400 with every problem, or 403 when an item
is outside the source's agency or indicators), then inserted in one transaction; an idempotency key already
seen is skipped, so resending is a no-op. Every series a batch added to is re-derived from all its observations
by the indicator's `aggregation`, so arrival order does not matter (`last` is the latest observed_at).

A derived value is `submitted` with `measured_by`/`measured_at`: it skips the submit step and counts like any
submitted value (scoring.md §4), and a reviewer verifies or rejects it as usual. A value a person reported, or
one a reviewer decided (verified, rejected, not applicable), is not overwritten by a feed: the decision stands
until the agency or a reviewer acts on it; its observations are still kept.
"""

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from assessments.catalog.models import Indicator, Period
from assessments.catalog.selectors import latest_framework
from assessments.scores import runs
from assessments.values.feeds.aggregate import Point, aggregate
from assessments.values.feeds.models import FeedSource, Observation
from assessments.values.fields import clean_value
from assessments.values.services import check_target, save_measured
from govit.errors import InputError, InputRejected
from govit.i18n import _

MAX_BATCH = 5000
MAX_KEY = 100


def ingest(source: FeedSource, items: Any) -> dict[str, int]:
    """Save a batch of observations; returns {received, created, duplicates, values_written}."""
    rows = _checked(source, items)
    with transaction.atomic():
        new = _insert_new(source, rows)
        series = {(o.indicator_id, o.period_id): (o.indicator, o.period) for o in new}
        changed = [series[key] for key in sorted(series) if derive(source, *series[key])]
        for framework, period in {(indicator.framework, period) for indicator, period in changed}:
            # One score request per period for the whole batch, not one per value written.
            transaction.on_commit(partial(runs.request_for_value_change, source.agency, framework, period))
    return {"received": len(rows), "created": len(new), "duplicates": len(rows) - len(new),
            "values_written": len(changed)}


def _first_per_key(rows: Iterable[Observation]) -> list[Observation]:
    unique: dict[str, Observation] = {}
    for row in rows:
        unique.setdefault(row.idempotency_key, row)
    return list(unique.values())


INSERTED = ("source_id", "agency_id", "indicator_id", "period_id", "observed_at", "value_decimal", "numerator",
            "denominator", "value_bool", "idempotency_key")
INSERT_SQL = """
    INSERT INTO assessments_observation (source_id, agency_id, indicator_id, period_id, observed_at, value_decimal,
                                         numerator, denominator, value_bool, idempotency_key, received_at)
    SELECT *, now() FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::timestamptz[],
                                %s::numeric[], %s::bigint[], %s::bigint[], %s::boolean[], %s::text[])
    ON CONFLICT (source_id, idempotency_key) DO NOTHING RETURNING idempotency_key
"""


def _insert_new(source: FeedSource, rows: list[Observation]) -> list[Observation]:
    """Insert the observations whose key the source has not sent yet (a concurrent resend included); returns them.

    On PostgreSQL one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING RETURNING: the ORM's bulk_create
    compiles SQL per row, which cost more than the whole rest of a batch."""
    unique = _first_per_key(rows)
    if connection.vendor != "postgresql":
        seen = set(Observation.objects.filter(source=source, idempotency_key__in=[r.idempotency_key for r in unique])
                   .values_list("idempotency_key", flat=True))
        new = [row for row in unique if row.idempotency_key not in seen]
        Observation.objects.bulk_create(new, ignore_conflicts=True)
        return new
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [[getattr(row, name) for row in unique] for name in INSERTED])
        inserted = {key for (key,) in cursor.fetchall()}
    return [row for row in unique if row.idempotency_key in inserted]


def _checked(source: FeedSource, items: Any) -> list[Observation]:
    if not isinstance(items, list) or not items:
        raise InputRejected([InputError(_("Send a non-empty list of observations."), where="observations")])
    if len(items) > MAX_BATCH:
        raise InputRejected([InputError(_("A batch holds at most %(n)s observations; split it.") % {"n": MAX_BATCH},
                                        where="observations")])
    _check_scope(source, items)
    targets = _Targets(source)
    rows, errors = [], []
    for index, item in enumerate(items):
        row = _observation(source, targets, index, item, errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise InputRejected(errors)
    return rows


def _check_scope(source: FeedSource, items: list) -> None:
    """An item for another agency or indicator is the source overstepping its credential: 403, nothing saved."""
    allowed = set(source.indicator_codes)
    for item in items:
        if not isinstance(item, dict):
            continue
        agency = item.get("agency")
        if agency is not None and str(agency).strip().upper() != source.agency.code.upper():
            raise PermissionDenied(_("This source may only send observations of its own agency."))
        if item.get("indicator") not in allowed:
            raise PermissionDenied(_("This source may not send observations of indicator “%(code)s”.")
                                   % {"code": item.get("indicator")})


class _Targets:
    """The indicators and periods of a batch, looked up once each and checked once per (indicator, year)."""

    def __init__(self, source: FeedSource):
        self.agency = source.agency
        self.framework = latest_framework(source.framework_code)
        fed = Indicator.objects.select_related("framework").filter(framework=self.framework,
                                                                   code__in=source.indicator_codes)
        self.indicators = {i.code: i for i in fed}
        self.periods = {p.year: p for p in Period.objects.filter(framework_code=source.framework_code)}
        self.problems: dict[tuple[str, int], list[InputError]] = {}

    def problems_of(self, indicator: Indicator, year: int) -> list[InputError]:
        if (indicator.code, year) not in self.problems:
            self.problems[indicator.code, year] = self._check(indicator, year)
        return self.problems[indicator.code, year]

    def _check(self, indicator: Indicator, year: int) -> list[InputError]:
        period = self.periods.get(year)
        if period is None:
            return [InputError(_("There is no period %(year)s for %(code)s; open it first.")
                               % {"year": year, "code": self.framework.code}, where="observed_at")]
        if not period.is_open:
            return [InputError(_("The period is closed; its values can no longer change."), where="observed_at")]
        try:
            check_target(self.agency, indicator, period)
        except InputRejected as exc:
            return exc.errors
        return []


def _observation(source: FeedSource, targets: _Targets, index: int, item: Any,
                 errors: list[InputError]) -> Observation | None:
    def problem(message, field: str) -> None:
        errors.append(InputError(message, row=index, where=field))

    if not isinstance(item, dict):
        problem(_("An observation is an object."), "observations")
        return None
    indicator = targets.indicators.get(item["indicator"])
    if indicator is None:
        problem(_("Indicator “%(code)s” is not in the current catalog.") % {"code": item["indicator"]}, "indicator")
        return None
    key = item.get("idempotency_key")
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY:
        problem(_("idempotency_key is a text of 1 to %(n)s characters.") % {"n": MAX_KEY}, "idempotency_key")
    observed_at = _moment(item.get("observed_at"))
    if observed_at is None:
        problem(_("observed_at is a date and time with its time zone (ISO 8601)."), "observed_at")
    elif observed_at > timezone.now() + datetime.timedelta(minutes=5):
        problem(_("observed_at is in the future."), "observed_at")
    clean, field_problems = clean_value(indicator, item.get("value"), item.get("numerator"), item.get("denominator"))
    for p in field_problems:
        problem(p.message, p.column)
    if observed_at is None or clean is None or not isinstance(key, str):
        return None
    year = timezone.localtime(observed_at).year
    target_problems = targets.problems_of(indicator, year)
    for p in target_problems:
        problem(p.message, p.where or "indicator")
    if target_problems or len(errors):
        return None
    return Observation(source=source, agency=source.agency, indicator=indicator, period=targets.periods[year],
                       observed_at=observed_at, idempotency_key=key.strip(), value_decimal=clean.value_decimal,
                       numerator=clean.numerator, denominator=clean.denominator, value_bool=clean.value_bool)


def _moment(raw: Any) -> datetime.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def derive(source: FeedSource, indicator: Indicator, period: Period) -> bool:
    """Write the period's value of the source's agency from all its observations; False when left as it is."""
    points = [Point(*row) for row in Observation.objects.filter(
        agency=source.agency, indicator=indicator, period=period,
    ).values_list("observed_at", "id", "value_decimal", "numerator", "denominator", "value_bool")]
    fields = aggregate(indicator.type, indicator.aggregation, points)
    measured_at = max(p.observed_at for p in points)
    return save_measured(source, indicator, period, fields, measured_at)


def create_source(code: str, name: str, agency, framework_code: str, indicator_codes: list[str]) -> tuple[FeedSource,
                                                                                                           str]:
    """A new source and its key (to be shown once)."""
    framework = latest_framework(framework_code)
    if framework is None:
        raise InputRejected([InputError(_("No framework with code “%(code)s” is loaded.") % {"code": framework_code},
                                        where="framework")])
    unknown = sorted(set(indicator_codes) - set(framework.indicators.values_list("code", flat=True)))
    if unknown:
        raise InputRejected([InputError(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)},
                                        where="indicators")])
    source = FeedSource(code=code, name=name or code, agency=agency, framework_code=framework_code,
                        indicator_codes=sorted(set(indicator_codes)))
    key = source.new_key()
    source.save()
    return source, key


def rotate_key(source: FeedSource) -> str:
    key = source.new_key()
    source.save(update_fields=["key_hash"])
    return key
