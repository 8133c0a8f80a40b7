"""Checking the content an agency writes into a plan (from the API's JSON or the editor's form).

Values may come typed (JSON) or as text (forms: "1.234.567" đồng, dates dd/mm/yyyy). Every problem
is collected with its place ("tasks[2].end_date") so that the caller can reject the whole edit.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from govit.dates import parse_day
from govit.errors import InputError
from govit.i18n import _

from . import sections as spec
from .models import FundingSource, InvestmentCategory, Plan

MAX_AMOUNT = 10**15  # đồng per budget line; far above any task, far below the BIGINT range
# A section of 50,000 characters prints on about 10 A4 pages; the PDF of a plan whose every section is
# that long renders in a few seconds in the request (bench/plan_pdf.py), where 200,000 took half a minute.
MAX_SECTION = 50_000
GROUPED = re.compile(r"^\d{1,3}([., ]\d{3})+$", re.ASCII)


@dataclass
class TaskInput:
    id: int | None
    owner_unit: str
    name: str
    start_date: datetime.date
    end_date: datetime.date
    category: str
    budget: dict[str, int]


@dataclass
class TargetInput:
    indicator_id: int
    year: int
    value: Decimal


@dataclass
class CleanContent:
    title: str | None = None
    sections: dict[str, str] | None = None
    tasks: list[TaskInput] | None = None
    targets: list[TargetInput] | None = None
    errors: list[InputError] = field(default_factory=list)


def text(value) -> str:
    """Text as stored: newlines normalized, NUL characters (which PostgreSQL cannot hold) dropped."""
    return "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def refuse_non_text(data: dict, keys: tuple[str, ...], errors: list[InputError], prefix: str = "") -> None:
    """A list, object, number or yes/no where text is expected would be stored as its Python repr ("['x']"):
    refused, naming the field. JSON may send any of them; forms only send text."""
    for key in keys:
        if data.get(key) is not None and not isinstance(data[key], str):
            where = f"{prefix}{key}"
            errors.append(InputError(_("“%(field)s” must be text, not a list, an object, a number or true/false.")
                                     % {"field": where}, where=where))


def parse_amount(value) -> int | None:
    """Whole đồng: 1234567, "1234567", "1.234.567" or "1,234,567" (negative ones too, for the caller to
    refuse). None when the value is not such a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    raw = text(value).strip()
    negative = raw.startswith("-")
    core = raw[1:].strip() if negative else raw
    if core.isdigit() and core.isascii():
        number = int(core)
    elif GROUPED.match(core):
        number = int(re.sub(r"\D", "", core))
    else:
        return None
    return -number if negative else number


def parse_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    raw = text(value).strip().replace(" ", "")
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")  # Vietnamese decimal comma
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 14 or number != round(number, 6):
        return None
    return number


def whole_number(value) -> int | None:
    """A non-negative id, year or version given as a number or ASCII digits (at most 18, inside BIGINT);
    None otherwise, also for "²" (a digit to str.isdigit, not to int) and for yes/no."""
    if isinstance(value, bool):
        return None
    raw = text(value).strip()
    return int(raw) if raw.isdigit() and raw.isascii() and len(raw) <= 18 else None


def _in_years(plan: Plan, day: datetime.date) -> bool:
    return plan.start_date <= day <= plan.end_date


def _clean_task(plan: Plan, i: int, row: dict, errors: list[InputError]) -> TaskInput | None:
    where = f"tasks[{i}]"
    n = len(errors)
    refuse_non_text(row, ("owner_unit", "name", "category"), errors, prefix=f"{where}.")
    owner, name = text(row.get("owner_unit")).strip(), text(row.get("name")).strip()
    if not owner:
        errors.append(InputError(_("Task %(n)s: the owner unit is required.") % {"n": i + 1},
                                 where=f"{where}.owner_unit"))
    if not name:
        errors.append(InputError(_("Task %(n)s: the name is required.") % {"n": i + 1}, where=f"{where}.name"))
    if len(owner) > 255 or len(name) > 1000:
        errors.append(InputError(_("Task %(n)s: the text is too long.") % {"n": i + 1}, where=f"{where}.name"))
    category = text(row.get("category")).strip()
    if category not in InvestmentCategory.values:
        errors.append(InputError(_("Task %(n)s: choose an investment category (Decree 64/2007 Art. 27(2)).")
                                 % {"n": i + 1}, where=f"{where}.category"))
    dates = {}
    for key in ("start_date", "end_date"):
        day = parse_day(row.get(key))
        if day is None:
            errors.append(InputError(_("Task %(n)s: “%(value)s” is not a date (dd/mm/yyyy).")
                                     % {"n": i + 1, "value": text(row.get(key))}, where=f"{where}.{key}"))
        elif not _in_years(plan, day):
            errors.append(InputError(
                _("Task %(n)s: %(day)s is outside the years of the plan (%(years)s).")
                % {"n": i + 1, "day": day.strftime("%d/%m/%Y"), "years": plan.years_label}, where=f"{where}.{key}"))
        dates[key] = day
    if dates.get("start_date") and dates.get("end_date") and dates["end_date"] < dates["start_date"]:
        errors.append(InputError(_("Task %(n)s: the end date is before the start date.") % {"n": i + 1},
                                 where=f"{where}.end_date"))
    budget: dict[str, int] = {}
    lines = row.get("budget_lines") or []
    if not isinstance(lines, list | tuple):
        errors.append(InputError(_("This must be a list."), where=f"{where}.budget_lines"))
        lines = []
    for j, line in enumerate(lines):
        line = line if isinstance(line, dict) else {}
        source = text(line.get("source")).strip()
        amount = parse_amount(line.get("amount"))
        place = f"{where}.budget_lines[{j}]"
        if source not in FundingSource.values:
            errors.append(InputError(_("Task %(n)s: unknown funding source “%(source)s”.")
                                     % {"n": i + 1, "source": source}, where=f"{place}.source"))
        elif source in budget:
            errors.append(InputError(_("Task %(n)s: the funding source “%(source)s” appears twice.")
                                     % {"n": i + 1, "source": source}, where=f"{place}.source"))
        if amount is None:
            errors.append(InputError(_("Task %(n)s: “%(value)s” is not an amount in whole đồng.")
                                     % {"n": i + 1, "value": text(line.get("amount"))}, where=f"{place}.amount"))
        elif amount < 0:
            errors.append(InputError(_("Task %(n)s: an amount cannot be negative.") % {"n": i + 1},
                                     where=f"{place}.amount"))
        elif amount > MAX_AMOUNT:
            errors.append(InputError(_("Task %(n)s: the amount is implausibly large.") % {"n": i + 1},
                                     where=f"{place}.amount"))
        elif source in FundingSource.values:
            budget[source] = amount
    if len(errors) > n:
        return None
    task_id = whole_number(row.get("id"))
    return TaskInput(task_id, owner, name, dates["start_date"], dates["end_date"], category, budget)


def _clean_targets(plan: Plan, rows, errors: list[InputError]) -> list[TargetInput]:
    from assessments.catalog.models import Indicator

    out: list[TargetInput] = []
    ids = {whole_number(r.get("indicator")) for r in rows if isinstance(r, dict)} - {None}
    known = set(Indicator.objects.filter(pk__in=ids).values_list("pk", flat=True))
    seen = set()
    for i, row in enumerate(rows):
        row = row if isinstance(row, dict) else {}
        where = f"targets[{i}]"
        indicator, year, value = whole_number(row.get("indicator")), whole_number(row.get("year")), \
            parse_decimal(row.get("value"))
        ok = True
        if indicator not in known:
            errors.append(InputError(_("Target %(n)s: unknown indicator.") % {"n": i + 1}, where=f"{where}.indicator"))
            ok = False
        if year not in plan.years:
            errors.append(InputError(_("Target %(n)s: the year must be one of the plan's years (%(years)s).")
                                     % {"n": i + 1, "years": plan.years_label}, where=f"{where}.year"))
            ok = False
        if value is None:
            errors.append(InputError(_("Target %(n)s: “%(value)s” is not a number.")
                                     % {"n": i + 1, "value": text(row.get("value"))}, where=f"{where}.value"))
            ok = False
        if ok:
            key = (indicator, year)
            if key in seen:
                errors.append(InputError(_("Target %(n)s: this indicator already has a target for that year.")
                                         % {"n": i + 1}, where=f"{where}.year"))
                continue
            seen.add(key)
            out.append(TargetInput(indicator, year, value))
    return out


def clean_content(plan: Plan, data: dict) -> CleanContent:
    """Check the parts present in `data` (title, sections, tasks, targets) against the plan."""
    out = CleanContent()
    errors = out.errors
    refuse_non_text(data, ("title",), errors)
    if "title" in data:
        title = text(data["title"]).strip()
        if not title:
            errors.append(InputError(_("The title is required."), where="title"))
        elif len(title) > 500:
            errors.append(InputError(_("The title is longer than 500 characters."), where="title"))
        out.title = title
    for part in ("sections", "tasks", "targets"):
        if part in data and not isinstance(data[part], list | tuple):
            errors.append(InputError(_("This must be a list."), where=part))
            data = {k: v for k, v in data.items() if k != part}
    if "sections" in data:
        keys = {s.key for s in spec.sections_for(plan.basis)}
        out.sections = {}
        for i, row in enumerate(data["sections"] or []):
            row = row if isinstance(row, dict) else {}
            refuse_non_text(row, ("key", "body"), errors, prefix=f"sections[{i}].")
            key, body = text(row.get("key")), text(row.get("body"))
            if key not in keys:
                errors.append(InputError(_("This plan has no section “%(key)s”.") % {"key": key}, where="sections"))
            elif len(body) > MAX_SECTION:
                errors.append(InputError(_("The section is longer than 50,000 characters (about 10 printed pages); "
                                           "shorten it."), where=f"sections.{key}"))
            else:
                out.sections[key] = body
    if "tasks" in data:
        rows = data["tasks"] or []
        tasks = [_clean_task(plan, i, row if isinstance(row, dict) else {}, errors) for i, row in enumerate(rows)]
        out.tasks = [t for t in tasks if t is not None]
    if "targets" in data:
        out.targets = _clean_targets(plan, data["targets"] or [], errors)
    return out
