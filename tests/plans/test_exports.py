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


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_pdf_is_laid_out_as_an_administrative_document(world):
    """Decree 30/2020 Appendix I: issuer, national name, motto, number, place and date, kind, signature."""
    draft = _pdf_text(exports.plan_pdf(new_plan(world)))
    for part in ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: /KH-UBND", "Hà Nội, ngày tháng năm", "KẾ HOẠCH",
                 "Kế hoạch 5 năm 2021–2025", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"):
        assert part in draft, part
    approved = _pdf_text(exports.plan_pdf(approved_plan(world, period_start=2026)))
    assert "Hà Nội, ngày 30 tháng 6 năm 2021" in approved
    assert "Ban hành kèm theo Quyết định số 123/QĐ-UBND ngày 30/06/2021" in approved


def test_a_department_names_its_province_above_itself(world):
    plan = new_plan(world, agency=world.department, user=world.dept_staff)
    text = _pdf_text(exports.plan_pdf(plan))
    assert "UBND THÀNH PHỐ HÀ NỘI SỞ KHOA HỌC VÀ CÔNG NGHỆ HÀ NỘI" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Hà Nội, ngày" in text


def test_docx_reads_back_with_its_parts_sections_and_tasks(world, indicator):
    from docx import Document

    from plans.docx import plan_docx

    plan = approved_plan(world, period_start=2026)
    doc = Document(io.BytesIO(plan_docx(plan)))
    body = [p.text for p in doc.paragraphs]
    letterhead, *tables = doc.tables
    issuer, nation = (" / ".join(p.text for p in cell.paragraphs) for cell in letterhead.rows[0].cells)
    assert issuer.startswith("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI") and "Số:      /KH-UBND" in issuer
    assert nation.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc")
    assert "Hà Nội, ngày 30 tháng 6 năm 2021" in nation
    assert doc.paragraphs[[p.text for p in doc.paragraphs].index("KẾ HOẠCH")].runs[0].bold
    assert plan.title in body
    assert any(t.startswith("1. ") for t in body) and any("Nội dung mục objectives" in t for t in body)
    tasks, targets, signature = tables
    assert tasks.rows[1].cells[1].text == "Nâng cấp trung tâm dữ liệu"
    assert tasks.rows[-1].cells[5].text == "2.000.000.000"
    assert targets.rows[1].cells[0].text.startswith(indicator.code) and targets.rows[1].cells[-1].text == "90"
    recipients, signer = (cell.text for cell in signature.rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and signer.startswith("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_docx_download_beside_the_pdf(world, client):
    plan = new_plan(world)
    client.force_login(world.staff)
    page = client.get(f"/plans/{plan.pk}/")
    assert f'href="/plans/{plan.pk}/plan.docx"'.encode() in page.content
    response = client.get(f"/plans/{plan.pk}/plan.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].endswith('.docx"')
    client.force_login(world.other_staff)
    assert client.get(f"/plans/{plan.pk}/plan.docx").status_code == 404
