"""A plan as a Word document (python-docx) that officials edit before signing: the same parts as the PDF,
laid out per Decree 30/2020/NĐ-CP Appendix I (Times New Roman 13-14 pt, A4, margins 20/20/30/15 mm), with
the sections, the tasks table and the targets table."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .exports import MOTTO, NATION, Letterhead, letterhead, money, plan_facts, target_rows
from .models import Plan
from .selectors import plan_totals, tasks_with_totals

FONT = "Times New Roman"
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def _line(cell_or_doc, text: str, *, bold=False, italic=False, size=13, align=CENTER, after=0):
    """One paragraph in one run; a cell or the document body."""
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _first(cell, text: str, **style):
    """A table cell starts with an empty paragraph: write into it rather than below it."""
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return _line(cell, text, **style)


def _letterhead(doc, head: Letterhead) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    if head.superior:
        _first(left, head.superior, size=13)
        _line(left, head.issuer, bold=True)
    else:
        _first(left, head.issuer, bold=True)
    _line(left, "________", size=8, after=6)
    _line(left, head.number)
    _first(right, NATION, bold=True, size=12)
    _line(right, MOTTO, bold=True, size=13)
    _line(right, "________________________", size=8, after=6)
    _line(right, head.place_date, italic=True, size=13)
    _line(doc, "", after=6)
    _line(doc, head.kind, bold=True, size=14)
    _line(doc, head.summary, bold=True, size=14)
    if head.basis:
        _line(doc, head.basis, italic=True)
    _line(doc, "__________", size=8, after=12)


def _tasks(doc, plan: Plan) -> None:
    doc.add_heading(_("Tasks and budget (VND)"), level=2)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    header = ["#", _("Task"), _("Owner unit"), pgettext("task", "Period"), _("Investment category"), _("Total")]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, task in enumerate(tasks_with_totals(plan), start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, [str(i), task.name, task.owner_unit,
                                      f"{task.start_date:%d/%m/%Y} – {task.end_date:%d/%m/%Y}",
                                      task.get_category_display(), money(task.total)], strict=True):
            cell.text = text
        cells[5].paragraphs[0].alignment = RIGHT
    total = table.add_row().cells
    total[1].text = _("Total")
    total[5].text = money(plan_totals(plan)["total"])
    for cell in (total[1], total[5]):
        cell.paragraphs[0].runs[0].bold = True


def _target_table(doc, plan: Plan) -> None:
    targets = target_rows(plan)
    if not targets:
        return
    doc.add_heading(_("Targets"), level=2)
    table = doc.add_table(rows=1, cols=1 + len(plan.years))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [_("Indicator"), *map(str, plan.years)], strict=True):
        cell.text = text
    for code, name, values in targets:
        for cell, text in zip(table.add_row().cells, [f"{code} {name}", *[values.get(y, "") for y in plan.years]],
                              strict=True):
            cell.text = text


def _signature(doc, head: Letterhead) -> None:
    _line(doc, "", after=6)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _first(left, head.recipients[0], bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in head.recipients[1:]:
        _line(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = [t for t in (head.authority, head.signer_title) if t]
    _first(right, lines[0], bold=True)
    for line in lines[1:]:
        _line(right, line, bold=True)
    _line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)


def plan_docx(plan: Plan) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    for name in ("Normal", "Heading 1", "Heading 2"):
        doc.styles[name].font.name = FONT
    doc.styles["Normal"].font.size = Pt(13)
    doc.core_properties.title, doc.core_properties.author = plan.title, plan.agency.name_vi
    head = letterhead(plan)
    _letterhead(doc, head)
    for label, value in plan_facts(plan):
        _line(doc, f"{label}: {value}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, s in enumerate(plan.sections.order_by("order"), start=1):
        doc.add_heading(f"{i}. {s.title}", level=1)
        for text in (s.body.strip() or "—").splitlines():
            doc.add_paragraph(text).paragraph_format.first_line_indent = Mm(10)
    _tasks(doc, plan)
    _target_table(doc, plan)
    _signature(doc, head)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
