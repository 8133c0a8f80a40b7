"""Bench: time to check a table header of 1k / 10k / 40k columns, CSV and JSON rows; shows it linear.

The old check (`columns.count(c)` per column, `key not in header` per key) took 40 s at 40k columns.
Two figures per width: with the column cap lifted (the header check itself, every column unknown) and
with the shipped cap (what an upload gets: refused at once). No database needed:

    .venv/bin/python bench/tabular.py
"""

import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govit.settings.test")

import django  # noqa: E402

django.setup()

from govit import tabular  # noqa: E402
from govit.errors import InputRejected  # noqa: E402

WIDTHS = (1_000, 10_000, 40_000)
REQUIRED, OPTIONAL = ("agency_code", "indicator_code"), ("value", "note")


def seconds(parse) -> float:
    started = time.perf_counter()
    with contextlib.suppress(InputRejected):  # every header here is refused: the time to say so is measured
        parse()
    return time.perf_counter() - started


def csv_of(width: int) -> bytes:
    return (",".join(f"c{i}" for i in range(width)) + "\nx\n").encode()


def json_of(width: int) -> list[dict]:
    return [{f"c{i}": "x" for i in range(width)}]


def report(name: str, parse, payload) -> None:
    first = None
    for width in WIDTHS:
        data = payload(width)
        took = seconds(lambda data=data: parse(data, REQUIRED, OPTIONAL))
        first = first or (took, width)
        ratio = (took / first[0]) / (width / first[1])
        print(f"{name:<22} {width:>6} columns  {took * 1000:8.1f} ms  time ratio / width ratio vs 1k: {ratio:5.2f}")


def main() -> None:
    capped = tabular.MAX_COLUMNS
    tabular.MAX_COLUMNS = 10**9
    print("header check, cap lifted (1.00 = linear):")
    report("CSV header", tabular.read_csv, csv_of)
    report("JSON rows header", tabular.read_dicts, json_of)
    tabular.MAX_COLUMNS = capped
    print(f"\nas shipped (cap {capped} columns):")
    report("CSV header", tabular.read_csv, csv_of)
    report("JSON rows header", tabular.read_dicts, json_of)


if __name__ == "__main__":
    main()
