"""Read-side queries on frameworks and periods."""

import re

from assessments.catalog.models import Framework, Period


def version_key(version: str) -> tuple:
    """Natural order of version strings: "2021.2" < "2021.10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|[^\d.]+", version))


def latest_framework(code: str) -> Framework | None:
    """The newest version of a framework code (by version number, not by load time)."""
    versions = list(Framework.objects.filter(code=code))
    return max(versions, key=lambda f: version_key(f.version)) if versions else None


def period_of(framework_code: str, year: int) -> Period | None:
    return Period.objects.filter(framework_code=framework_code, year=year).first()
