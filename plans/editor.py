"""The plan editor's form: its state from the database or from what the user posted, and the
content dict (as plans.content expects) built from a POST.

Rows of the task and target tables are numbered freely by the browser (rows can be added and
removed); the content keeps the posted order, and errors ("tasks[2].end_date") are mapped back
to the row that was posted third, so a rejected save shows the user's own text where it was typed.
"""

import re
from dataclasses import dataclass, field

from django.utils.formats import number_format

from govit.errors import InputError

from . import sections as spec
from .models import FundingSource, Plan
from .selectors import tasks_with_totals

SOURCES = FundingSource.values
ROW = re.compile(r"^(task|target)-(\d{1,4})-")


@dataclass
class TaskRow:
    index: int
    id: str = ""
    owner_unit: str = ""
    name: str = ""
    start_date: str = ""
    end_date: str = ""
    category: str = ""
    amounts: dict[str, str] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)

    @property
    def amount_cells(self) -> list[tuple[str, str, bool]]:
        return [(s, self.amounts.get(s, ""), s in self.invalid) for s in SOURCES]


@dataclass
class TargetRow:
    index: int
    indicator: str = ""
    values: dict[int, str] = field(default_factory=dict)
    invalid: set = field(default_factory=set)


@dataclass
class EditorState:
    version: str
    title: str
    sections: list[dict]
    tasks: list[TaskRow]
    targets: list[TargetRow]
    years: list[int]
    invalid_sections: set[str] = field(default_factory=set)

    def target_rows(self) -> list[tuple[TargetRow, list[tuple[int, str, bool]]]]:
        return [(row, [(y, row.values.get(y, ""), y in row.invalid) for y in self.years]) for row in self.targets]


def _amount(value: int) -> str:
    return number_format(value, force_grouping=True)


def _section_rows(plan: Plan, bodies: dict[str, str]) -> list[dict]:
    required = set(spec.required_keys(plan.basis, plan.kind))
    return [{"key": s.key, "label": s.title, "legal_basis": s.legal_basis, "required": s.key in required,
             "body": bodies.get(s.key, "")} for s in spec.sections_for(plan.basis)]


def state_from_plan(plan: Plan) -> EditorState:
    tasks = [
        TaskRow(index=i, id=str(t.pk), owner_unit=t.owner_unit, name=t.name,
                start_date=t.start_date.strftime("%d/%m/%Y"), end_date=t.end_date.strftime("%d/%m/%Y"),
                category=t.category, amounts={b.source: _amount(b.amount) for b in t.budget_lines.all()})
        for i, t in enumerate(tasks_with_totals(plan))
    ]
    by_indicator: dict[int, TargetRow] = {}
    for t in plan.targets.order_by("indicator__code", "year"):
        row = by_indicator.setdefault(t.indicator_id, TargetRow(index=len(by_indicator), indicator=str(t.indicator_id)))
        row.values[t.year] = number_format(t.value.normalize())
    bodies = dict(plan.sections.values_list("key", "body"))
    return EditorState(str(plan.version), plan.title, _section_rows(plan, bodies), tasks, list(by_indicator.values()),
                       plan.years)


def _indices(post, kind: str) -> list[int]:
    found = {int(m.group(2)) for key in post for m in [ROW.match(key)] if m and m.group(1) == kind}
    return sorted(found)


def parse_post(plan: Plan, post) -> tuple[dict, EditorState, list[int]]:
    """(content for plans.content, the state to show again, posted indices of the task rows kept)."""
    keys = [s.key for s in spec.sections_for(plan.basis)]
    bodies = {k: post.get(f"section-{k}", "") for k in keys if f"section-{k}" in post}
    tasks, task_rows = [], []
    for n in _indices(post, "task"):
        row = TaskRow(index=len(task_rows), id=post.get(f"task-{n}-id", ""),
                      owner_unit=post.get(f"task-{n}-owner_unit", ""), name=post.get(f"task-{n}-name", ""),
                      start_date=post.get(f"task-{n}-start_date", ""), end_date=post.get(f"task-{n}-end_date", ""),
                      category=post.get(f"task-{n}-category", ""),
                      amounts={s: post.get(f"task-{n}-{s}", "") for s in SOURCES})
        if post.get(f"task-{n}-delete"):
            continue
        filled = [row.owner_unit, row.name, row.start_date, row.end_date, *row.amounts.values()]
        if not any(v.strip() for v in filled):
            continue  # an empty row carries nothing
        task_rows.append((n, row))
        tasks.append({"id": row.id or None, "owner_unit": row.owner_unit, "name": row.name,
                      "start_date": row.start_date, "end_date": row.end_date, "category": row.category,
                      "budget_lines": [{"source": s, "amount": v} for s, v in row.amounts.items() if v.strip()]})
    targets, target_rows = [], []
    for n in _indices(post, "target"):
        row = TargetRow(index=len(target_rows), indicator=post.get(f"target-{n}-indicator", ""),
                        values={y: post.get(f"target-{n}-{y}", "") for y in plan.years})
        if post.get(f"target-{n}-delete") or not (row.indicator or any(v.strip() for v in row.values.values())):
            continue
        target_rows.append(row)
        targets += [{"indicator": row.indicator, "year": y, "value": v} for y, v in row.values.items() if v.strip()]
    content = {"title": post.get("title", plan.title), "sections": [{"key": k, "body": b} for k, b in bodies.items()],
               "tasks": tasks, "targets": targets}
    all_bodies = dict(plan.sections.values_list("key", "body")) | bodies
    state = EditorState(post.get("version", ""), post.get("title", ""), _section_rows(plan, all_bodies),
                        [r for _, r in task_rows], target_rows, plan.years)
    return content, state, [n for n, _ in task_rows]


PLACE = re.compile(r"^(tasks|targets)\[(\d+)\]\.(\w+)(?:\[(\d+)\]\.(\w+))?$")


def mark_invalid(state: EditorState, content: dict, errors: list[InputError]) -> None:
    """Flag the inputs the errors point at, so that the page can highlight them."""
    for error in errors:
        where = error.where or ""
        if where.startswith("sections."):
            state.invalid_sections.add(where.split(".", 1)[1])
            continue
        m = PLACE.match(where)
        if not m:
            continue
        part, i, name, j = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if part == "tasks" and i < len(state.tasks):
            if name == "budget_lines" and j is not None:
                lines = content["tasks"][i]["budget_lines"]
                name = lines[int(j)]["source"] if int(j) < len(lines) else name
            state.tasks[i].invalid.add(name)
        elif part == "targets" and i < len(content["targets"]):
            target = content["targets"][i]
            for row in state.targets:
                if row.indicator == target["indicator"]:
                    row.invalid.add("indicator" if name == "indicator" else int(target["year"] or 0))
