"""PDF with Vietnamese text and an embedded font; XLSX of tasks and budget with formula escaping."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from plans import exports, services

from .conftest import a_task, approved_plan, new_plan

pytestmark = pytest.mark.django_db


def test_pdf_contains_the_vietnamese_text_with_an_embedded_font(world):
    plan = new_plan(world)
    plan, _ = services.update_plan(plan.pk, world.staff, {"sections": [
        {"key": "objectives", "body": "Đến năm 2025, 100% hồ sơ được xử lý trực tuyến; ưu tiên Điện toán đám mây."}]},
        plan.version)
    data = exports.plan_pdf(plan)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = " ".join(text.split())
    for phrase in ("Thành phố Hà Nội", "Đến năm 2025, 100% hồ sơ được xử lý trực tuyến", "Điện toán đám mây",
                   "Nâng cấp trung tâm dữ liệu", "2.000.000.000"):
        assert phrase in squashed, phrase
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program is embedded
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts)


def test_pdf_and_xlsx_downloads(world, client):
    plan = approved_plan(world)
    client.force_login(world.observer)  # approved plans are public
    pdf = client.get(f"/plans/{plan.pk}/plan.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = client.get(f"/plans/{plan.pk}/tasks.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_xlsx_escapes_formula_looking_text_and_sums_budgets(world):
    plan = new_plan(world, fill=False)
    plan, _ = services.update_plan(plan.pk, world.staff, {"tasks": [
        a_task(2021, name='=HYPERLINK("http://evil.example","bấm")', owner_unit="@SUM(A1:A9)"),
        a_task(2022, name="+84 đường dây nóng", owner_unit="-Phòng CNTT",
               budget_lines=[{"source": "oda", "amount": 7}]),
        a_task(2023, name="Đào tạo cán bộ", category="training"),
    ], "sections": [{"key": "objectives", "body": "=1+1 không phải công thức"}]}, plan.version)
    wb = load_workbook(io.BytesIO(exports.plan_xlsx(plan)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    values = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://evil.example\",\"bấm\")" in values and "'@SUM(A1:A9)" in values
    assert "'+84 đường dây nóng" in values and "'-Phòng CNTT" in values and "'=1+1 không phải công thức" in values
    assert "Đào tạo cán bộ" in values  # ordinary text untouched
    tasks = wb.worksheets[1]
    header = [c.value for c in tasks[1]]
    total_row = [c.value for c in tasks[tasks.max_row]]
    assert total_row[header.index("Tổng cộng") if "Tổng cộng" in header else -1] == 4_000_000_007
    assert tasks.cell(row=2, column=4).number_format == "DD/MM/YYYY"
    budget = wb.worksheets[2]
    last = [c.value for c in budget[budget.max_row]]
    assert last[-1] == 4_000_000_007


def test_safe_cell():
    from govit.exports import safe_cell

    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert safe_cell("\tTAB") == "'\tTAB"
    assert safe_cell("Bình thường") == "Bình thường"
    assert safe_cell(5) == 5


def test_long_plans_and_unusual_characters_still_export(world, indicator):
    plan = new_plan(world, fill=False)
    line = "triển khai nền tảng tích hợp, chia sẻ dữ liệu (LGSP) 🚀 ✓ 中文."
    long_text = "\n".join(f"Đoạn {i}: {line}" for i in range(200))
    tasks = [a_task(2021 + i % 5, name=f"Nhiệm vụ {i} " + "rất dài " * 30) for i in range(60)]
    plan, _ = services.update_plan(plan.pk, world.staff, {
        "sections": [{"key": "current_state", "body": long_text}], "tasks": tasks,
        "targets": [{"indicator": indicator.pk, "year": y, "value": "12.5"} for y in range(2021, 2026)]}, plan.version)
    reader = PdfReader(io.BytesIO(exports.plan_pdf(plan)))
    assert len(reader.pages) > 5
    assert "Đoạn 199" in " ".join(p.extract_text() for p in reader.pages)
    wb = load_workbook(io.BytesIO(exports.plan_xlsx(plan)))
    assert wb.worksheets[1].max_row == 62  # header, 60 tasks, total
