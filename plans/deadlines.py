"""Due dates for filing plans.

Administrators set them per kind and first year (PlanDeadline, in the admin). Without a row the
default applies, as (year offset, month, day) from the first year the plan covers:

* annual plan for year Y: 31/12 of Y-1. The annual plan follows the five-year plan (Decree 64 Art. 25)
  and its investment list goes into the state budget estimate of year Y, settled by the end of Y-1;
  the head of the agency approves it before the year starts (Art. 44).
* five-year plan for Y..Y+4: 30/06 of Y. This matches practice in 2021-2025: the national direction
  (Decision 942/QĐ-TTg) came on 15/06/2021, and by 06/2021 more than 50 provinces and 15 ministries had
  issued their plan (MIC's 2021 review report).

Override the defaults with the setting PLANS_DEFAULT_DEADLINES = {"annual": (-1, 12, 31), ...}.
"""

import datetime

from django.conf import settings

from .models import PlanDeadline, PlanKind

DEFAULT_DEADLINES: dict[str, tuple[int, int, int]] = {
    PlanKind.ANNUAL: (-1, 12, 31),
    PlanKind.FIVE_YEAR: (0, 6, 30),
}


def default_due_date(kind: str, year: int) -> datetime.date:
    offset, month, day = {**DEFAULT_DEADLINES, **getattr(settings, "PLANS_DEFAULT_DEADLINES", {})}[kind]
    return datetime.date(year + offset, month, day)


def due_date(kind: str, year: int) -> datetime.date:
    """The due date for plans of `kind` whose first year is `year` (configured, else the default)."""
    row = PlanDeadline.objects.filter(kind=kind, year=year).only("due_date").first()
    return row.due_date if row else default_due_date(kind, year)


def due_dates(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], datetime.date]:
    """Due dates of many (kind, year) pairs in one query."""
    if not pairs:
        return {}
    years = {y for _, y in pairs}
    rows = {(d.kind, d.year): d.due_date for d in PlanDeadline.objects.filter(year__in=years)}
    return {pair: rows.get(pair) or default_due_date(*pair) for pair in pairs}
