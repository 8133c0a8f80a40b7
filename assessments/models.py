"""The models of the app label `assessments`, defined by domain (catalog, values, scores) and re-exported here.

Django registers a model under the app whose package holds its module, so the classes of the three packages
keep the label `assessments`, their tables and their migrations.
"""

from assessments.catalog.models import (  # noqa: F401
    Framework,
    Indicator,
    IndicatorType,
    LegalBasis,
    LegalSource,
    Period,
    PeriodStatus,
    Pillar,
    overlaps_year,
)
from assessments.scores.models import ACTIVE_RUN_STATUSES, AgencyScore, RunStatus, ScoreRun  # noqa: F401
from assessments.values.feeds.models import FeedSource, Observation  # noqa: F401
from assessments.values.models import CONTENT_FIELDS, Evidence, IndicatorValue, ValueStatus  # noqa: F401
