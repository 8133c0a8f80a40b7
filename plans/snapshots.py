"""The content of a plan as JSON (stored with every event) and the difference between two versions."""

import datetime
import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext

from .models import Plan


def snapshot(plan: Plan) -> dict:
    """Everything an agency wrote in the plan, as it stands in the database now."""
    tasks = []
    for task in plan.tasks.prefetch_related("budget_lines").order_by("order", "id"):
        budget = {line.source: line.amount for line in task.budget_lines.all()}
        tasks.append({
            "id": task.pk, "owner_unit": task.owner_unit, "name": task.name,
            "start_date": task.start_date.isoformat(), "end_date": task.end_date.isoformat(),
            "category": task.category, "budget": budget, "total": sum(budget.values()),
        })
    targets = [
        {"indicator": t.indicator_id, "indicator_code": t.indicator.code, "year": t.year, "value": str(t.value)}
        for t in plan.targets.select_related("indicator").order_by("indicator__code", "year")
    ]
    return {
        "version": plan.version, "status": plan.status, "title": plan.title, "kind": plan.kind,
        "basis": plan.basis, "period_start": plan.period_start, "year": plan.year,
        "decision_number": plan.decision_number,
        "decision_date": plan.decision_date.isoformat() if plan.decision_date else None,
        "sections": [{"key": s.key, "title": s.title, "body": s.body} for s in plan.sections.order_by("order")],
        "tasks": tasks, "targets": targets,
        "budget_total": sum(t["total"] for t in tasks),
    }


@dataclass
class DiffLine:
    tag: str  # "equal", "insert", "delete"
    text: str


@dataclass
class PartDiff:
    key: str
    title: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(line.tag != "equal" for line in self.lines)


def _lines(old: list[str], new: list[str]) -> list[DiffLine]:
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [DiffLine("equal", line) for line in old[i1:i2]]
            continue
        out += [DiffLine("delete", line) for line in old[i1:i2]]
        out += [DiffLine("insert", line) for line in new[j1:j2]]
    return out


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def task_line(task: dict) -> str:
    """One task as a line of text for the diff, with labels in the active language."""
    from .models import FundingSource, InvestmentCategory

    sources, categories = dict(FundingSource.choices), dict(InvestmentCategory.choices)
    budget = ", ".join(f"{sources.get(s, s)}: {_money(a)}" for s, a in sorted(task["budget"].items()))
    days = "…".join(datetime.date.fromisoformat(d).strftime("%d/%m/%Y") for d in (task["start_date"], task["end_date"]))
    return (f"{task['owner_unit']} | {task['name']} | {days} | {categories.get(task['category'], task['category'])}"
            f" | {budget} | {_money(task['total'])}")


def target_line(target: dict) -> str:
    return f"{target['indicator_code']} {target['year']}: {target['value']}"


def diff(old: dict, new: dict) -> list[PartDiff]:
    """Line diff (difflib) of every section text, of the task list and of the targets."""
    from . import sections as spec

    parts = []
    if old.get("title") != new.get("title"):
        parts.append(PartDiff("title", gettext("Title"), _lines([old.get("title", "")], [new.get("title", "")])))
    old_sections = {s["key"]: s for s in old.get("sections", [])}
    new_sections = {s["key"]: s for s in new.get("sections", [])}
    for key in list(new_sections) + [k for k in old_sections if k not in new_sections]:
        a = old_sections.get(key, {}).get("body", "")
        b = new_sections.get(key, {}).get("body", "")
        parts.append(PartDiff(key, spec.label(key), _lines(a.splitlines(), b.splitlines())))
    parts.append(PartDiff("tasks", gettext("Tasks and budget"), _lines([task_line(t) for t in old.get("tasks", [])],
                                                   [task_line(t) for t in new.get("tasks", [])])))
    parts.append(PartDiff("targets", gettext("Targets"), _lines([target_line(t) for t in old.get("targets", [])],
                                                       [target_line(t) for t in new.get("targets", [])])))
    return parts
