"""Plain data in and out of the scoring engine (scoring.md). No Django, no ORM.

Inputs mirror the catalog and the rows a run reads; outputs are what a run stores.
Numbers in the inputs may be ``Decimal``, ``int`` or ``float`` (floats are read through
their shortest ``repr``, so ``0.1`` means exactly ``Decimal("0.1")``); numbers in the
outputs are ``Decimal`` (see ``numbers.py`` for why).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

# The public part, re-exported by the package (__init__.py).
__all__ = [
    "CENTRAL", "CENTRAL_NO_PUBLIC_SERVICES", "COUNTED_STATUSES", "DEFAULT_LEVELS", "PROVINCIAL", "STORED_FIELDS",
    "AgencyScore", "AgencySpec", "FrameworkError", "FrameworkSpec", "IndicatorResult", "IndicatorSpec",
    "InvalidValue", "LineageSpec", "PeriodSpec", "PillarScore", "PillarSpec", "Reason", "ResultStatus", "ValueSpec"
]

Number = Decimal | int | float

# Value statuses (assessments.models.ValueStatus, repeated here to keep this package ORM-free).
DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
REJECTED = "rejected"
NOT_APPLICABLE = "not_applicable"
# scoring.md §4: only these statuses count.
COUNTED_STATUSES = frozenset({SUBMITTED, VERIFIED})

# Indicator value types (scoring.md §2).
PERCENT = "percent"
RATIO = "ratio"
BOOLEAN = "boolean"
COUNT = "count"
LEVEL = "level"
VALUE_TYPES = frozenset({PERCENT, RATIO, BOOLEAN, COUNT, LEVEL})

# Peer groups (scoring.md §5); sub-unit groups are "<kind>:<parent code>".
CENTRAL = "central"
# Central agencies without online public services, ranked apart where the catalog names its public service
# indicators (the DTI ranks ministries with and without public services apart).
CENTRAL_NO_PUBLIC_SERVICES = "central_no_public_services"
PROVINCIAL = "provincial"
CENTRAL_KINDS = frozenset({"ministry", "ministerial_agency", "government_agency"})
PROVINCIAL_KINDS = frozenset({"province"})

# Default readiness levels (scoring.md §6).
DEFAULT_LEVELS: tuple[Mapping[str, Any], ...] = (
    {"below": 0.25, "code": "starting"},
    {"below": 0.5, "code": "developing"},
    {"below": 0.75, "code": "advanced"},
    {"code": "leading"},
)


class FrameworkError(ValueError):
    """The framework cannot be scored (what the catalog loader rejects at load time)."""


class InvalidValue(ValueError):
    """A counted value that cannot be turned into a number v (it is then scored as missing)."""


class ResultStatus(StrEnum):
    COUNTED = "counted"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


class Reason(StrEnum):
    """Why an indicator is missing or not applicable (stable codes, translated by the UI)."""

    COUNTED = ""
    NO_VALUE = "no_value"  # nothing reported for an applicable indicator
    DRAFT = "draft_not_counted"  # only a draft exists
    REJECTED = "rejected_not_counted"  # the reviewer rejected the value
    OTHER_STATUS = "status_not_counted"  # a status this engine does not know
    INVALID = "invalid_value"  # counted status, but no usable number (see IndicatorResult.detail)
    KIND_NOT_ASSESSED = "kind_not_assessed"  # the agency's kind is not in applies_to
    NA_ACCEPTED = "na_accepted"  # a reviewer accepted the agency's N/A claim


# ---------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    code: str
    pillar_code: str
    type: str  # percent | ratio | boolean | count | level
    normalization: Mapping[str, Any]  # {"method": ..., params...} as in the catalog
    max_points: Number
    applies_to: tuple[str, ...] = ()  # agency kinds; empty = every kind
    min_level: int | None = None
    max_level: int | None = None
    legal_basis: tuple[str, ...] = ()  # e.g. ("ND-45/2026 art. 12 cl. 3",), copied to the breakdown


@dataclass(frozen=True, slots=True)
class PillarSpec:
    code: str
    name: str
    weight: Number | None
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class FrameworkSpec:
    code: str
    version: str
    levels: Sequence[Mapping[str, Any]] | None = None  # None or empty = DEFAULT_LEVELS
    pillars: tuple[PillarSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class AgencySpec:
    code: str
    kind: str
    parent_code: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    public_services: bool = True  # False: a central agency ranked in CENTRAL_NO_PUBLIC_SERVICES


class ValueSpec(NamedTuple):
    """The current value of (agency, indicator, period).

    A NamedTuple, not a frozen dataclass: a run builds one per value (millions), and a frozen
    dataclass's __init__ costs three times as much.
    """

    agency_code: str
    indicator_code: str
    status: str
    # percent, count, level; or its decimal text ("84.600000"), which a run reads instead: exact like a
    # Decimal, and far cheaper to hash when agencies that reported the same value share an entry.
    value: Number | str | None = None
    numerator: int | None = None  # ratio
    denominator: int | None = None  # ratio
    bool_value: bool | None = None  # boolean


@dataclass(frozen=True, slots=True)
class LineageSpec:
    predecessor_code: str
    successor_code: str
    date: datetime.date
    weight: Number | None = None  # None weighs 1

    def __post_init__(self) -> None:
        if self.weight is not None and self.weight < 0:
            raise ValueError(f"lineage {self.predecessor_code}->{self.successor_code}: weight must be >= 0")


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    year: int
    start: datetime.date
    end: datetime.date

    @classmethod
    def calendar_year(cls, year: int) -> PeriodSpec:
        return cls(year, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


# --------------------------------------------------------------------------------------- outputs


class IndicatorResult(NamedTuple):
    """One line of an agency's breakdown.

    counted: ``v``, ``s`` (full precision), ``points`` (4 dp) and ``max_points`` (4 dp) are set.
    missing: ``v`` is None, ``s`` = 0, ``points`` = 0, ``max_points`` = the indicator's max.
    not_applicable: ``v``, ``s``, ``points`` and ``max_points`` are None (excluded from both sums).
    ``value_status`` is the status of the reported value, or None when nothing was reported.

    A NamedTuple, like ValueSpec: a run builds one per value. The first nine fields are what a
    run stores (``STORED_FIELDS``); pillar and legal basis are the catalog's, looked up again on reading.
    """

    indicator_code: str
    status: ResultStatus
    value_status: str | None
    v: Decimal | None
    s: Decimal | None
    points: Decimal | None
    max_points: Decimal | None
    reason: Reason
    detail: str = ""  # for invalid values: what is wrong with it
    pillar_code: str = ""
    legal_basis: tuple[str, ...] = ()


# The stored part of a breakdown line, in order (IndicatorResult[:len(STORED_FIELDS)]).
STORED_FIELDS = ("indicator", "status", "value_status", "value", "s", "points", "max_points", "reason", "detail")


@dataclass(frozen=True, slots=True)
class PillarScore:
    code: str
    points: Decimal  # 4 dp
    max_points: Decimal  # 4 dp; applicable indicators only
    index: Decimal  # 6 dp; 0 when max_points is 0


@dataclass(frozen=True, slots=True)
class AgencyScore:
    """The score of one agency for one (framework version, period).

    ``verified_share`` = verified counted values / applicable indicators, and 0 when no
    indicator is applicable to the agency (an invalid verified value is not counted).
    ``level`` and ``rank`` are taken on the stored 6-decimal ``index``, so they agree with
    the number on screen; ``index_exact`` keeps the unrounded value for audits.
    """

    agency_code: str
    group: str
    index: Decimal  # 6 dp, what is stored, ranked and levelled
    points: Decimal  # 4 dp, total points whichever formula gave the index
    max_points: Decimal  # 4 dp, sum of applicable max_points
    rank: int  # "1224" within the group
    level: str
    delta: Decimal | None  # 6 dp; None when there is no previous index
    verified_share: Decimal  # 6 dp; 0 when no indicator is applicable
    pillars: tuple[PillarScore, ...] = ()
    breakdown: tuple[IndicatorResult, ...] = ()
    index_exact: Decimal = field(default=Decimal(0), compare=False)  # before rounding
    previous_index: Decimal | None = None  # what delta was taken against (a weighted mean after a merger)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.indicator_code for r in self.breakdown if r.status is ResultStatus.MISSING)
