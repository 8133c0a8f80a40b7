"""Printing a plan whose every section is at the size cap (plans.content.MAX_SECTION).

Prints the PDF and DOCX render times and page counts for sections at a quarter, half and all of the
cap, so the growth with the text is seen in one run (the ratio to the quarter-cap plan).
Usage: .venv/bin/python bench/plan_pdf.py
"""

import io
import statistics
import time

from _setup import bench_database

bench_database("govit_bench_plan_pdf")

from pypdf import PdfReader  # noqa: E402

from agencies.registry import load_registry  # noqa: E402
from agencies.users import create_user  # noqa: E402
from plans import services  # noqa: E402
from plans.content import MAX_SECTION  # noqa: E402
from plans.docx import plan_docx  # noqa: E402
from plans.exports import plan_pdf  # noqa: E402

WORDS = "Nâng cấp hạ tầng kỹ thuật, kết nối liên thông cơ sở dữ liệu và dịch vụ công trực tuyến toàn trình. "


def text(length: int) -> str:
    return (WORDS * (length // len(WORDS) + 1))[:length]


def timed(render, plan, runs: int = 3) -> tuple[float, bytes]:
    times, out = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        out = render(plan)
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


load_registry()
base = None
print(f"{'section size':>14} {'sections':>8} {'PDF s':>7} {'pages':>6} {'×':>5} {'DOCX s':>7}")
for share, province in ((4, "H26"), (2, "H29"), (1, "H31")):  # one plan per agency and period: one agency each
    size = MAX_SECTION // share
    staff = create_user(f"bench-{province}", "agency_staff", f"000.00.00.{province}", password="Correct-horse-9")[0]
    plan = services.create_plan(staff, services.NewPlan(agency=staff.agency, kind="five_year", period_start=2021))
    bodies = [{"key": s.key, "body": text(size)} for s in plan.sections.all()]
    plan, _ = services.update_plan(plan.pk, staff, {"sections": bodies}, plan.version)
    pdf_s, pdf = timed(plan_pdf, plan)
    docx_s, _docx = timed(plan_docx, plan)
    base = base or pdf_s
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{size:>14,} {len(bodies):>8} {pdf_s:>7.2f} {pages:>6} {pdf_s / base:>5.1f} {docx_s:>7.2f}")
