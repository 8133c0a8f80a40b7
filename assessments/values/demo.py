"""Demo data for `load_demo`: the shipped catalogs, a period of each, plausible values, and their scores."""

import csv
import io
import random
from pathlib import Path

from agencies.models import Agency
from assessments.catalog.loader import load_framework_file
from assessments.catalog.models import IndicatorType
from assessments.catalog.periods import create_period
from assessments.catalog.selectors import latest_framework
from assessments.values.models import ValueStatus
from assessments.values.services import import_values

CATALOGS = Path(__file__).resolve().parents[1] / "catalog" / "frameworks"  # assessments/catalog/frameworks
# (framework code, year of the demo period)
DEMO_PERIODS = (("CNTT-64", 2024), ("CDS", 2025), ("DTI-BO-TINH", 2024))


def load_catalogs() -> list[str]:
    loaded = [load_framework_file(path) for path in sorted(CATALOGS.glob("*.yaml"))]
    return [f"{r.framework.code} {r.framework.version}" for r in loaded]


def _demo_cell(indicator, rng: random.Random) -> dict:
    if indicator.type == IndicatorType.RATIO:
        denominator = rng.randint(20, 120)
        return {"numerator": rng.randint(denominator // 3, denominator), "denominator": denominator}
    if indicator.type == IndicatorType.BOOLEAN:
        return {"value": "có" if rng.random() < 0.75 else "không"}
    if indicator.type == IndicatorType.LEVEL:
        return {"value": rng.randint(indicator.min_level, indicator.max_level)}
    if indicator.type == IndicatorType.COUNT:
        return {"value": rng.randint(0, 40)}
    return {"value": f"{rng.uniform(35, 100):.1f}".replace(".", ",")}


def demo_values_csv(framework, period) -> bytes:
    """Values for every level-1 agency active in the period (a decimal comma, as people type them)."""
    rng = random.Random(f"{framework.code}-{period.year}")
    agencies = Agency.objects.active_on(period.end_date).filter(parent__isnull=True).order_by("code")
    indicators = list(framework.indicators.order_by("order"))
    out = io.StringIO()
    writer = csv.DictWriter(out, ["agency_code", "indicator_code", "value", "numerator", "denominator", "note"])
    writer.writeheader()
    for agency in agencies:
        skill = rng.uniform(0.5, 1.0)
        for indicator in indicators:
            if not indicator.applies_to_kind(agency.kind, period) or rng.random() > skill:
                continue  # some indicators stay unreported, as in real life
            writer.writerow({"agency_code": agency.code, "indicator_code": indicator.code,
                             **_demo_cell(indicator, rng), "note": "Dữ liệu minh họa"})
    return out.getvalue().encode()


def load_demo_assessments() -> list[str]:
    lines = [f"catalog {name}" for name in load_catalogs()]
    for code, year in DEMO_PERIODS:
        framework = latest_framework(code)
        period = create_period(code, year).period
        # The import asks for the score run itself (in process on the embedded default).
        counts = import_values(demo_values_csv(framework, period), code, year, status=ValueStatus.VERIFIED)
        lines.append(f"{code} {year}: values {counts}")
    return lines
