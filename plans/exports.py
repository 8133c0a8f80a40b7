"""A plan as PDF (fpdf2, with the DejaVu Sans font shipped in plans/fonts and embedded, so every
Vietnamese letter prints) laid out as an administrative document (Decree 30/2020/NĐ-CP, Appendix I),
and its tasks and budget as XLSX (openpyxl, text that a spreadsheet would take for a formula is escaped)."""

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from agencies.models import CENTRAL_KINDS, Agency, AgencyKind
from govit.exports import safe_cell

from . import sections as spec
from .models import FundingSource, InvestmentCategory, Plan, PlanKind, PlanStatus
from .selectors import plan_totals, tasks_with_totals

FONT_DIR = Path(__file__).resolve().parent / "fonts"


def money(value: int) -> str:
    return number_format(value, force_grouping=True)


def target_rows(plan: Plan) -> list[tuple[str, str, dict]]:
    rows: dict[int, tuple[str, str, dict]] = {}
    for t in plan.targets.select_related("indicator").order_by("indicator__code", "year"):
        code, name, values = rows.setdefault(t.indicator_id, (t.indicator.code, t.indicator.name_vi, {}))
        values[t.year] = number_format(t.value.normalize())
    return list(rows.values())


def plan_facts(plan: Plan) -> list[tuple[str, str]]:
    facts = [
        (_("Agency"), f"{plan.agency.name_vi} ({plan.agency.code})"),
        (_("Kind"), f"{PlanKind(plan.kind).label} {plan.years_label}"),
        (_("Status"), f"{PlanStatus(plan.status).label} · {pgettext('plan', 'version')} {plan.version}"),
    ]
    if plan.decision_number:
        facts.append((_("Approval decision"), f"{plan.decision_number} ({plan.decision_date:%d/%m/%Y})"))
    return facts


NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letterhead:
    """The parts of an administrative document around its body (Decree 30/2020/NĐ-CP, Appendix I), in
    Vietnamese like the document itself, whatever the language of the page."""

    superior: str  # the body the issuer belongs to, above it (empty when none)
    issuer: str  # the issuing body, bold capitals, may span lines
    number: str  # "Số: …/KH-…"
    place_date: str  # "Hà Nội, ngày … tháng … năm …", italic
    kind: str  # "KẾ HOẠCH"
    summary: str  # what the plan is about
    basis: str  # the approval decision, once approved
    authority: str  # "TM. ỦY BAN NHÂN DÂN" or empty
    signer_title: str  # "CHỦ TỊCH", "BỘ TRƯỞNG", …
    recipients: tuple[str, ...]


def _place(agency: Agency) -> str:
    """Where the issuer sits: the province's name, Hà Nội for central bodies, else left to fill in."""
    a = agency
    while a is not None:  # a few levels at most: commune, district, department, province
        if a.kind in CENTRAL_KINDS:
            return "Hà Nội"
        if a.kind == AgencyKind.PROVINCE:
            return a.name_vi.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        a = a.parent
    return "……"


def _issuer(agency: Agency) -> tuple[str, str, str]:
    """(superior, issuer, symbol): a province issues as its People's Committee, a body under another names it."""
    if agency.kind == AgencyKind.PROVINCE:
        return "", f"ỦY BAN NHÂN DÂN\n{agency.name_vi.upper()}", "UBND"
    parent = agency.parent
    superior = ""
    if parent is not None:
        superior = f"UBND {parent.name_vi.upper()}" if parent.kind == AgencyKind.PROVINCE else parent.name_vi.upper()
    return superior, agency.name_vi.upper(), "…"


def _signer(agency: Agency) -> tuple[str, str]:
    if agency.kind == AgencyKind.PROVINCE:
        return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    if agency.kind == AgencyKind.MINISTRY:
        return "", "BỘ TRƯỞNG"
    return "", "THỦ TRƯỞNG CƠ QUAN"


def letterhead(plan: Plan) -> Letterhead:
    """A draft or a plan under review has no number nor date yet: the blanks are left to fill in."""
    agency = plan.agency
    superior, issuer, symbol = _issuer(agency)
    decided = plan.decision_date if plan.decision_number else None
    if plan.decision_number and "-" in plan.decision_number:
        symbol = plan.decision_number.rsplit("-", 1)[1]
    when = f"ngày {decided.day} tháng {decided.month} năm {decided.year}" if decided else "ngày    tháng    năm     "
    basis = (f"(Ban hành kèm theo Quyết định số {plan.decision_number} ngày {decided:%d/%m/%Y})" if decided else "")
    authority, title = _signer(agency)
    return Letterhead(
        superior=superior, issuer=issuer, number=f"Số:      /KH-{symbol}", place_date=f"{_place(agency)}, {when}",
        kind="KẾ HOẠCH", summary=plan.title, basis=basis, authority=authority, signer_title=title,
        recipients=("Nơi nhận:", "- Như trên;", "- Lưu: VT."))


class _PlanPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 8, f"GovIT · {self.page_no()}/{{nb}}", align="C")


def plan_pdf(plan: Plan) -> bytes:
    pdf = _PlanPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.add_font("DejaVu", "I", FONT_DIR / "DejaVuSans-Oblique.ttf")
    pdf.set_title(plan.title)
    pdf.set_author(plan.agency.name_vi)
    pdf.set_creator("GovIT")
    # Decree 30/2020 Appendix I: margins top 20-25, bottom 20-25, left 30-35, right 15-20 mm.
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    head = letterhead(plan)
    _pdf_letterhead(pdf, head)
    pdf.set_font("DejaVu", size=8)
    for label, value in plan_facts(plan):
        pdf.multi_cell(0, 4.5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    for i, section in enumerate(plan.sections.order_by("order"), start=1):
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, f"{i}. {section.title}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 5, section.body.strip() or "—", new_x="LMARGIN", new_y="NEXT")
    _pdf_tasks(pdf, plan)
    targets = target_rows(plan)
    if targets:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(0, 6, _("Targets"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        with pdf.table(headings_style=FontFace(emphasis="BOLD"), line_height=4.5) as table:
            table.row([_("Indicator"), *[str(y) for y in plan.years]])
            for code, name, values in targets:
                table.row([f"{code} {name}", *[values.get(y, "") for y in plan.years]])
    _pdf_signature(pdf, head)
    return bytes(pdf.output())


def _pdf_letterhead(pdf: FPDF, head: Letterhead) -> None:
    """Two columns: the issuer, its short rule and the number on the left; the nation, the motto, its rule and
    the place and date on the right; then the document kind and its summary, centred."""
    left_w, gap = 68, 4
    right_x, right_w = pdf.l_margin + left_w + gap, pdf.epw - left_w - gap
    top = pdf.get_y()
    pdf.set_font("DejaVu", size=10)
    if head.superior:
        pdf.multi_cell(left_w, 5, head.superior, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(left_w, 5, head.issuer, align="C", new_x="LEFT", new_y="NEXT")
    centre = pdf.l_margin + left_w / 2
    pdf.line(centre - 10, pdf.get_y() + 0.5, centre + 10, pdf.get_y() + 0.5)
    pdf.ln(3)
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(left_w, 5, head.number, align="C", new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(right_x, top)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(right_w, 5, NATION, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(right_w, 5.5, MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    centre = right_x + right_w / 2
    pdf.line(centre - 28, pdf.get_y() + 0.5, centre + 28, pdf.get_y() + 0.5)
    pdf.ln(3)
    pdf.set_x(right_x)
    pdf.set_font("DejaVu", "I", 10)
    pdf.multi_cell(right_w, 5, head.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, head.kind, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, head.summary, align="C", new_x="LMARGIN", new_y="NEXT")
    if head.basis:
        pdf.set_font("DejaVu", "I", 10)
        pdf.multi_cell(0, 5, head.basis, align="C", new_x="LMARGIN", new_y="NEXT")
    centre = pdf.l_margin + pdf.epw / 2
    pdf.line(centre - 15, pdf.get_y() + 1, centre + 15, pdf.get_y() + 1)
    pdf.ln(5)


def _pdf_signature(pdf: FPDF, head: Letterhead) -> None:
    """Recipients on the left, the signer's authority and title on the right, room for the signature."""
    pdf.ln(8)
    if pdf.will_page_break(45):
        pdf.add_page()
    half = pdf.epw / 2
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(half, 5, head.recipients[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    for line in head.recipients[1:]:
        pdf.cell(half, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font("DejaVu", "B", 10)
    for line in filter(None, (head.authority, head.signer_title)):
        pdf.cell(half, 5.5, line, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "I", 9)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên, đóng dấu)", align="C", new_x="LMARGIN", new_y="NEXT")


def _pdf_tasks(pdf: FPDF, plan: Plan) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, _("Tasks and budget (VND)"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    with pdf.table(col_widths=(6, 52, 34, 34, 30, 34), text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
                   headings_style=FontFace(emphasis="BOLD"), line_height=4.5) as table:
        table.row(["#", _("Task"), _("Owner unit"), pgettext("task", "Period"), _("Investment category"), _("Total")])
        for i, task in enumerate(tasks_with_totals(plan), start=1):
            table.row([str(i), task.name, task.owner_unit,
                       f"{task.start_date:%d/%m/%Y} – {task.end_date:%d/%m/%Y}", task.get_category_display(),
                       money(task.total)])
    totals = plan_totals(plan)
    pdf.ln(2)
    pdf.set_font("DejaVu", size=9)
    for source in FundingSource:
        pdf.cell(0, 5, f"{source.label}: {money(totals['by_source'][source.value])}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 6, f"{_('Total')}: {money(totals['total'])} VND", new_x="LMARGIN", new_y="NEXT")


def _sheet(wb, title: str, header: list[str], rows, widths: dict[int, int] | None = None):
    ws = wb.create_sheet(title[:31])
    ws.append([safe_cell(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for col, width in (widths or {}).items():
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    return ws


def plan_xlsx(plan: Plan) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    info = _sheet(wb, _("Plan"), [_("Field"), _("Value")],
                  [(_("Title"), plan.title), *plan_facts(plan),
                   (_("Exported at"), timezone.localtime().strftime("%d/%m/%Y %H:%M"))], {1: 24, 2: 90})
    info.freeze_panes = "A2"
    sources = FundingSource.values
    tasks = list(tasks_with_totals(plan))
    rows = []
    for i, task in enumerate(tasks, start=1):
        budget = {b.source: b.amount for b in task.budget_lines.all()}
        rows.append([i, task.owner_unit, task.name, task.start_date, task.end_date, task.get_category_display(),
                     *[budget.get(s, 0) for s in sources], task.total])
    totals = plan_totals(plan)
    rows.append(["", "", _("Total"), None, None, "", *[totals["by_source"][s] for s in sources], totals["total"]])
    ws = _sheet(wb, _("Tasks"), ["#", _("Owner unit"), _("Task"), _("Start"), _("End"), _("Investment category"),
                                 *[FundingSource(s).label for s in sources], _("Total")], rows,
                {2: 30, 3: 50, 4: 12, 5: 12, 6: 24, **{7 + k: 20 for k in range(len(sources) + 1)}})
    for row in ws.iter_rows(min_row=2):
        for cell in row[3:5]:
            cell.number_format = "DD/MM/YYYY"
        for cell in row[6:]:
            cell.number_format = "#,##0"
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    matrix = _budget_matrix(plan)
    by_cat = _sheet(wb, _("Budget"), [_("Investment category"), *[FundingSource(s).label for s in sources],
                                      _("Total")], matrix, {1: 30, **{2 + k: 20 for k in range(len(sources) + 1)}})
    for row in by_cat.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.number_format = "#,##0"
    _sheet(wb, _("Targets"), [_("Indicator"), _("Name"), *[str(y) for y in plan.years]],
           [[code, name, *[values.get(y, "") for y in plan.years]] for code, name, values in target_rows(plan)],
           {1: 14, 2: 60})
    _sheet(wb, _("Sections"), [_("Section"), _("Text")],
           [(spec.label(s.key), s.body) for s in plan.sections.order_by("order")], {1: 30, 2: 120})
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _budget_matrix(plan: Plan) -> list[list]:
    from django.db.models import Sum

    from .models import BudgetLine

    cells = {(c, s): t for c, s, t in BudgetLine.objects.filter(task__plan=plan).order_by()
             .values("task__category", "source").annotate(t=Sum("amount")).values_list("task__category", "source", "t")}
    rows = []
    for category in InvestmentCategory:
        values = [cells.get((category.value, s), 0) for s in FundingSource.values]
        rows.append([str(category.label), *values, sum(values)])
    totals = [sum(r[1 + k] for r in rows) for k in range(len(FundingSource.values) + 1)]
    rows.append([_("Total"), *totals])
    return rows
