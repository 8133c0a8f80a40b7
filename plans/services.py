"""Writes to plans: creation, content edits with optimistic locking, review comments.

Every write is atomic: a rejected edit saves nothing. State changes are in plans.workflow.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import Agency, User
from govit.audit.bulk import log_bulk_changes
from govit.errors import InputError, InputRejected, in_language
from govit.i18n import _

from . import policy
from . import sections as spec
from .content import CleanContent, clean_content, text
from .errors import PlanConflict, PlanForbidden
from .events import record_event
from .models import (
    OPEN,
    BudgetLine,
    EventAction,
    Plan,
    PlanComment,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanTarget,
    PlanTask,
    cycle_start,
)
from .sections import Basis
from .selectors import current_five_year_plan


@dataclass
class NewPlan:
    agency: Agency
    kind: str = ""
    period_start: int | None = None
    year: int | None = None
    title: str = ""
    basis: str = ""
    amends: Plan | None = None
    five_year_plan: Plan | None = None


def _same_years(plan_or_new) -> dict:
    return {"agency": plan_or_new.agency, "kind": plan_or_new.kind, "period_start": plan_or_new.period_start,
            "year": plan_or_new.year}


def _check_new(new: NewPlan) -> list[InputError]:
    errors: list[InputError] = []
    if new.amends is not None:
        source = new.amends
        if source.status != PlanStatus.APPROVED or source.agency_id != new.agency.pk:
            return [InputError(_("Only an approved plan of the same agency can be amended."), where="amends")]
        new.kind, new.period_start, new.year, new.basis = source.kind, source.period_start, source.year, source.basis
        new.five_year_plan = source.five_year_plan
        if Plan.objects.filter(amends=source, status__in=OPEN).exists():
            errors.append(InputError(_("An amendment of this plan is already in progress."), where="amends"))
        return errors
    if new.kind not in PlanKind.values:
        return [InputError(_("The kind must be five_year or annual."), where="kind")]
    if new.kind == PlanKind.FIVE_YEAR:
        if new.year is not None:
            errors.append(InputError(_("A five-year plan has no single year."), where="year"))
        if new.period_start is None or not 2001 <= new.period_start <= 2096:
            errors.append(InputError(_("Give the first year of the five-year period."), where="period_start"))
        elif cycle_start(new.period_start) != new.period_start:
            errors.append(InputError(
                _("A five-year plan covers 2021-2025, 2026-2030, ...: %(year)s is not the first year of a period.")
                % {"year": new.period_start}, where="period_start"))
    else:
        if new.year is None or not 2001 <= new.year <= 2100:
            return [InputError(_("Give the year of the annual plan."), where="year")]
        start = cycle_start(new.year)
        if new.period_start is not None and new.period_start != start:
            errors.append(InputError(_("The year %(year)s is not in the five-year period starting %(start)s.")
                                     % {"year": new.year, "start": new.period_start}, where="year"))
        new.period_start = start
        five = new.five_year_plan
        if five is not None:
            if five.agency_id != new.agency.pk or five.kind != PlanKind.FIVE_YEAR:
                errors.append(InputError(_("The five-year plan must be one of the same agency."),
                                         where="five_year_plan"))
            elif new.year not in five.years:
                errors.append(InputError(
                    _("The year %(year)s is outside the five-year plan it refers to (%(years)s).")
                    % {"year": new.year, "years": five.years_label}, where="year"))
        else:
            new.five_year_plan = current_five_year_plan(new.agency.pk, start)
    if errors:
        return errors
    if new.basis and new.basis not in dict(Basis.CHOICES):
        errors.append(InputError(_("Unknown legal basis."), where="basis"))
    new.basis = new.basis or Basis.default_for(new.period_start)
    if Plan.objects.filter(**_same_years(new), status=PlanStatus.APPROVED).exists():
        errors.append(InputError(
            _("The agency already has an approved plan for these years; to change it, create an amendment."),
            where="amends"))
    elif Plan.objects.filter(**_same_years(new), status__in=OPEN).exists():
        errors.append(InputError(_("A plan of the agency for these years is already in progress."), where="kind"))
    return errors


def _default_title(new: NewPlan) -> str:
    years = str(new.year) if new.kind == PlanKind.ANNUAL else f"{new.period_start}–{new.period_start + 4}"
    kind = in_language(PlanKind(new.kind).label, "vi")
    if new.amends is not None:
        return f"{new.amends.title} ({in_language(_('amendment'), 'vi')})"
    return f"{kind} {years} – {new.agency.name_vi}"


@transaction.atomic
def create_plan(user: User, new: NewPlan, content: dict | None = None) -> Plan:
    """A draft plan with its empty sections (or, for an amendment, a copy of the amended plan)."""
    if not policy.can_create(user, new.agency.pk):
        raise PlanForbidden(_("Only staff and leads of an agency in your scope may create its plans."))
    errors = _check_new(new)
    if errors:
        raise InputRejected(errors)
    now = timezone.now()
    plan = Plan(agency=new.agency, kind=new.kind, period_start=new.period_start, year=new.year, basis=new.basis,
                title=text(new.title).strip()[:500] or _default_title(new), amends=new.amends,
                five_year_plan=new.five_year_plan, created_by=user, updated_by=user, created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # a concurrent creation for the same years won
        raise InputRejected([InputError(_("A plan of the agency for these years is already in progress."),
                                        where="kind")]) from None
    if new.amends is not None:
        _copy_content(new.amends, plan)
    else:
        PlanSection.objects.bulk_create(
            PlanSection(plan=plan, key=s.key, title=s.title_in("vi"), order=i)
            for i, s in enumerate(spec.sections_for(plan.basis))
        )
    if content:
        cleaned = clean_content(plan, content)
        if cleaned.errors:
            raise InputRejected(cleaned.errors)
        _apply(plan, cleaned)
    record_event(plan, EventAction.CREATE, "", user)
    return plan


def _copy_content(source: Plan, plan: Plan) -> None:
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, key=s.key, title=s.title, body=s.body, order=s.order) for s in source.sections.all()
    )
    for task in source.tasks.prefetch_related("budget_lines"):
        copy = PlanTask.objects.create(plan=plan, order=task.order, owner_unit=task.owner_unit, name=task.name,
                                       start_date=task.start_date, end_date=task.end_date, category=task.category)
        BudgetLine.objects.bulk_create(BudgetLine(task=copy, source=b.source, amount=b.amount)
                                       for b in task.budget_lines.all())
    PlanTarget.objects.bulk_create(PlanTarget(plan=plan, indicator_id=t.indicator_id, year=t.year, value=t.value)
                                   for t in source.targets.all())


def _apply(plan: Plan, cleaned: CleanContent) -> bool:
    """Write the cleaned parts; True when anything changed."""
    changed = False
    if cleaned.title is not None and cleaned.title != plan.title:
        plan.title = cleaned.title
        changed = True
    if cleaned.sections:
        for section in plan.sections.filter(key__in=cleaned.sections):
            if section.body != cleaned.sections[section.key]:
                section.body = cleaned.sections[section.key]
                section.save(update_fields=["body"])
                changed = True
    if cleaned.tasks is not None:
        changed |= _apply_tasks(plan, cleaned.tasks)
    if cleaned.targets is not None:
        old = {(t.indicator_id, t.year): t.value for t in plan.targets.all()}
        new = {(t.indicator_id, t.year): t.value for t in cleaned.targets}
        if old != new:
            plan.targets.all().delete()  # each deletion reaches the audit log through auditlog's signals
            created = PlanTarget.objects.bulk_create(PlanTarget(plan=plan, indicator_id=i, year=y, value=v)
                                                     for (i, y), v in new.items())
            log_bulk_changes((None, target) for target in created)
            changed = True
    return changed


def _apply_tasks(plan: Plan, rows) -> bool:
    existing = {t.pk: t for t in plan.tasks.prefetch_related("budget_lines")}
    changed = False
    kept = set()
    for order, row in enumerate(rows):
        task = existing.get(row.id) if row.id is not None else None
        if task is None or task.pk in kept:
            task = PlanTask(plan=plan)
        values = {"order": order, "owner_unit": row.owner_unit, "name": row.name, "start_date": row.start_date,
                  "end_date": row.end_date, "category": row.category}
        if task.pk is None or any(getattr(task, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(task, k, v)
            task.save()
            changed = True
        kept.add(task.pk)
        old_budget = {b.source: b.amount for b in task.budget_lines.all()}
        if old_budget != row.budget:
            BudgetLine.objects.filter(task=task).delete()
            created = BudgetLine.objects.bulk_create(BudgetLine(task=task, source=s, amount=a)
                                                     for s, a in row.budget.items())
            log_bulk_changes((None, line) for line in created)
            changed = True
    gone = [pk for pk in existing if pk not in kept]
    if gone:
        PlanTask.objects.filter(pk__in=gone).delete()
        changed = True
    return changed


def stale(plan: Plan) -> PlanConflict:
    who = plan.updated_by.username if plan.updated_by else "—"
    when = timezone.localtime(plan.updated_at).strftime("%d/%m/%Y %H:%M")
    return PlanConflict(
        _("The plan was changed by %(who)s at %(when)s (version %(version)s) after you opened it. Nothing was "
          "saved; your text is kept: copy it, reload the plan and apply your changes again.")
        % {"who": who, "when": when, "version": plan.version},
        "stale_version", plan.version, plan.status)


def may_amend(user: User, plan: Plan) -> bool:
    """An approved plan is changed by an amendment, which staff and leads of the agency may start."""
    return plan.status == PlanStatus.APPROVED and policy.can_create(user, plan.agency_id)


def not_editable(plan: Plan) -> PlanConflict:
    return PlanConflict(_("Only a draft or returned plan can be edited; this one is “%(status)s”.")
                        % {"status": PlanStatus(plan.status).label}, "invalid_state", plan.version, plan.status)


def update_plan(plan_id: int, user: User, data: dict, expected_version) -> tuple[Plan, bool]:
    """Edit the content of a draft or returned plan if nobody saved a newer version meanwhile.

    Returns (plan, changed). An edit that changes nothing keeps the version and records no event.
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).select_related("agency", "updated_by").get(pk=plan_id)
        policy.require(user, "edit", plan)
        if not plan.is_editable:
            raise not_editable(plan)
        if expected_version is None or str(expected_version) != str(plan.version):
            if expected_version is None or not str(expected_version).isdigit():
                raise InputRejected([InputError(_("The version the edit is based on is required."),
                                                where="version")])
            raise stale(plan)
        cleaned = clean_content(plan, data)
        if cleaned.errors:
            raise InputRejected(cleaned.errors)
        if not _apply(plan, cleaned):
            return plan, False
        plan.version += 1
        plan.updated_by, plan.updated_at = user, timezone.now()
        plan.save(update_fields=["title", "version", "updated_by", "updated_at"])
        record_event(plan, EventAction.EDIT, plan.status, user)
    return plan, True


def add_comment(plan_id: int, user: User, section_key: str, body: str) -> PlanComment:
    """A reviewer's comment on a section of a plan under review (or just submitted)."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan_id)
        policy.require(user, "comment", plan)
        if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW):
            raise PlanConflict(_("Comments are made while the plan is submitted or under review."),
                               "invalid_state", plan.version, plan.status)
        errors = []
        key = text(section_key).strip()
        if key and key not in {s.key for s in spec.sections_for(plan.basis)}:
            errors.append(InputError(_("This plan has no section “%(key)s”.") % {"key": key}, where="section"))
        body = text(body).strip()
        if not body:
            errors.append(InputError(_("The comment is empty."), where="body"))
        if errors:
            raise InputRejected(errors)
        return PlanComment.objects.create(plan=plan, section_key=key, plan_version=plan.version, author=user,
                                          body=body)


def missing_parts(plan: Plan) -> list[InputError]:
    """What must be filled in before the plan can be submitted (the submission checklist)."""
    errors = []
    bodies = dict(plan.sections.values_list("key", "body"))
    for key in spec.required_keys(plan.basis, plan.kind):
        if not bodies.get(key, "").strip():
            errors.append(InputError(_("The section “%(title)s” is empty.") % {"title": spec.BY_KEY[key].title},
                                     where=f"sections.{key}"))
    if not plan.tasks.exists():
        errors.append(InputError(_("The plan has no task (investment list, Decree 64/2007 Art. 25(c))."),
                                 where="tasks"))
    if plan.basis == Basis.DIGITAL_TRANSFORMATION and not plan.targets.exists():
        errors.append(InputError(_("A digital-transformation plan needs targets on catalog indicators."),
                                 where="targets"))
    return errors
