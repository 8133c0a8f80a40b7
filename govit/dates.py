"""Days as people type them here: dd/mm/yyyy whatever the language (so 05/06 is never read as May 6), or ISO."""

import datetime
from collections.abc import Sequence
from typing import Any

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
ISO = ("%Y-%m-%d",)


def parse_day(raw: Any, formats: Sequence[str] = DATE_FORMATS) -> datetime.date | None:
    """A date, or text in one of `formats`; None when blank or not a day (2025-02-30 included)."""
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw
    text = "" if raw is None else str(raw).strip()
    for fmt in formats if text else ():
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
