"""Bench: import 100,000 XLSX rows (1,000 agencies x 100 indicators) and print rows/s and peak memory.

Target (brief): under 60 s and 500 MB. Runs in a throw-away PostgreSQL database
(`govit_bench_import`, created from DATABASE_URL and dropped at the end):

    .venv/bin/python bench/import_values.py [--agencies 1000] [--indicators 100]

Three passes: a first import (every value created), the same file again (no-op), and a file
with every value changed (every value updated, with history).
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/govit")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govit.settings.test")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

TYPES = ["percent", "count", "boolean", "level", "ratio"]
METHODS = {"percent": {"method": "linear", "floor": 0, "target": 90}, "count": {"method": "relative_to_best"},
           "boolean": {"method": "boolean"}, "level": {"method": "minmax"},
           "ratio": {"method": "bands", "bands": [[0, 0], [50, 0.5], [90, 1]]}}


def catalog(indicators: int) -> str:
    lines = ['code: BENCH', 'version: "1"', 'name: {vi: "Bench", en: "Bench"}', "pillars:"]
    per_pillar = 10
    for p in range(0, indicators, per_pillar):
        lines += [f"  - code: P{p // per_pillar:02d}", '    name: {vi: "Trụ cột", en: "Pillar"}', "    indicators:"]
        for i in range(p, min(p + per_pillar, indicators)):
            kind = TYPES[i % len(TYPES)]
            lines += [f"      - code: I{i:03d}", '        name: {vi: "Chỉ tiêu", en: "Indicator"}',
                      f"        type: {kind}", f"        normalization: {METHODS[kind]}", "        max_points: 1"]
            if kind == "level":
                lines += ["        min_level: 1", "        max_level: 4"]
    return "\n".join(lines) + "\n"


def cells(agency: str, i: int, a: int, shift: int) -> list:
    kind = TYPES[i % len(TYPES)]
    if kind == "ratio":
        return [agency, f"I{i:03d}", None, (a + shift) % 50, 50, None]
    value = {"percent": (a * 7 + i + shift) % 100 + 0.5, "count": a + i + shift, "boolean": (a + i + shift) % 2 == 0,
             "level": (a + i + shift) % 4 + 1}[kind]
    return [agency, f"I{i:03d}", value, None, None, "ghi chú" if i % 10 == 0 else None]


def write_xlsx(path: Path, codes: list[str], indicators: int, shift: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["agency_code", "indicator_code", "value", "numerator", "denominator", "note"])
    for a, code in enumerate(codes):
        for i in range(indicators):
            sheet.append(cells(code, i, a, shift))
    book.save(path)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=100)
    args = parser.parse_args()

    settings.DATABASES["default"]["TEST"]["NAME"] = "govit_bench_import"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.agencies, args.indicators)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(n_agencies: int, n_indicators: int) -> None:
    from agencies.models import Agency
    from assessments.catalog.loader import load_framework
    from assessments.catalog.periods import create_period
    from assessments.values.models import IndicatorValue
    from assessments.values.services import import_values

    load_framework(catalog(n_indicators))
    create_period("BENCH", 2024)
    codes = [f"{a:03d}.00.01.H98" for a in range(n_agencies)]
    Agency.objects.bulk_create([
        Agency(code=c, name_vi=f"Đơn vị {c}", kind="unit", valid_from=datetime.date(2000, 1, 1), search_text=c)
        for c in codes
    ])
    rows = n_agencies * n_indicators
    with tempfile.TemporaryDirectory() as tmp:
        first, changed = Path(tmp) / "values.xlsx", Path(tmp) / "changed.xlsx"
        write_xlsx(first, codes, n_indicators, 0)
        write_xlsx(changed, codes, n_indicators, 1)
        print(f"{rows:,} rows; XLSX {first.stat().st_size / 1e6:.1f} MB; process RSS before import {rss_mb():.0f} MB")
        for label, path in (("first import", first), ("same file again", first), ("every value changed", changed)):
            start = time.perf_counter()
            summary = import_values(path.read_bytes(), "BENCH", 2024)
            took = time.perf_counter() - start
            print(f"{label:>20}: {took:6.1f} s, {rows / took:8,.0f} rows/s, {summary}, peak RSS {rss_mb():.0f} MB")
    print(f"values {IndicatorValue.objects.count():,}, history rows {IndicatorValue.history.count():,}")


if __name__ == "__main__":
    main()
