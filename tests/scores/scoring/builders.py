"""Small constructors for scoring inputs, so each test states only what matters to it."""

import datetime
from decimal import Decimal

from assessments.scores.scoring import (
    AgencySpec,
    FrameworkSpec,
    IndicatorSpec,
    PeriodSpec,
    PillarSpec,
    ValueSpec,
)

D = Decimal
DAY0 = datetime.date(2000, 1, 1)
P2025 = PeriodSpec.calendar_year(2025)
PCT = {"method": "linear", "floor": 0, "target": 100}  # v% -> s = v / 100


def ind(code, pillar="P", type="percent", norm=None, max_points=10, applies_to=(), **kw):
    return IndicatorSpec(code, pillar, type, norm or PCT, max_points, tuple(applies_to), **kw)


def pillar(code, *indicators, weight=None):
    return PillarSpec(code, code.lower(), weight, tuple(indicators))


def framework(*pillars, levels=None):
    return FrameworkSpec("DTI", "1", levels, tuple(pillars))


def one_pillar(*indicators, levels=None):
    return framework(pillar("P", *indicators), levels=levels)


def agency(code, kind="province", parent=None, valid_from=DAY0, valid_to=None):
    return AgencySpec(code, kind, parent, valid_from, valid_to)


def val(agency_code, indicator_code, v=None, status="submitted", num=None, den=None, b=None):
    return ValueSpec(agency_code, indicator_code, status, v, num, den, b)


def by_code(results):
    return {r.agency_code: r for r in results}


def line(score, indicator_code):
    return next(r for r in score.breakdown if r.indicator_code == indicator_code)
