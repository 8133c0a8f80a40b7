"""Readiness scoring (shared/spec/scoring.md): pure Python, no Django, no ORM.

    from assessments.scores.scoring import compute_scores, FrameworkSpec, ...

See core.py for the entry point and the edge-case decisions, numbers.py for the arithmetic
(Decimal, 34 digits; index stored to 6 decimals, points to 4, half up).
"""

from . import core, data, normalization, numbers
from .core import *  # noqa: F403 (each module's __all__ is its public part)
from .data import *  # noqa: F403
from .normalization import *  # noqa: F403
from .numbers import *  # noqa: F403

__all__ = [*core.__all__, *data.__all__, *normalization.__all__, *numbers.__all__]
