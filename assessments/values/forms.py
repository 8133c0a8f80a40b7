"""The forms of the values pages: one pillar's rows as posted, saved (and submitted) all or nothing, and
the reviewer's decisions, each row on its own. The rules stay in services and evidence."""

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from agencies.models import Agency, User
from assessments.catalog.models import Indicator, Period
from assessments.values import services
from assessments.values.evidence import upload_evidence
from assessments.values.models import Evidence, IndicatorValue
from assessments.values.services import EDITABLE
from govit.errors import Conflict, InputError, InputRejected, in_language
from govit.i18n import _

FIELDS = ("value", "numerator", "denominator", "note", "evidence_url")
NUMBER_FIELDS = ("value", "numerator", "denominator")
# The row's "not applicable" box ("1" when ticked) and the claim's reason.
CLAIM_FIELDS = ("na", "na_reason")


@dataclass(frozen=True)
class Problem:
    """One message next to a field (`where`: value, numerator, ..., file, version) in vi and en."""

    where: str
    vi: str
    en: str

    @classmethod
    def of(cls, message: Any, where: str | None) -> "Problem":
        return cls(where or "", in_language(message, "vi"), in_language(message, "en"))


class RowsRejected(Exception):
    """Some rows were refused; nothing of the form was saved. `problems`: {indicator id: [Problem]}."""

    def __init__(self, problems: dict[int, list[Problem]], conflict: bool):
        self.problems = problems
        self.conflict = conflict
        super().__init__(f"{len(problems)} rows refused")


@dataclass
class RowInput:
    indicator: Indicator
    fields: dict[str, str]
    version: int | None
    file: UploadedFile | None = None

    @property
    def claims(self) -> bool:
        return bool(self.fields["na"])

    def untouched(self, shown: dict[str, str]) -> bool:
        """Nothing typed differs from what the form showed, and no file was chosen (a reason typed
        without ticking "not applicable" is not a change)."""
        names = FIELDS + (CLAIM_FIELDS if self.claims or shown["na"] else ())
        return self.file is None and all(self.fields[name].strip() == shown[name].strip() for name in names)


def field_name(indicator: Indicator, name: str) -> str:
    return f"i{indicator.pk}-{name}"


def parse_rows(post, files, indicators: list[Indicator]) -> list[RowInput]:
    """The posted inputs of the pillar's editable rows (rows without a version input were not editable)."""
    rows = []
    for indicator in indicators:
        raw_version = post.get(field_name(indicator, "version"))
        if raw_version is None:
            continue
        version = int(raw_version) if raw_version.isdigit() and len(raw_version) < 10 else -1
        upload = files.get(field_name(indicator, "file"))
        rows.append(RowInput(indicator, {name: post.get(field_name(indicator, name), "")
                                         for name in FIELDS + CLAIM_FIELDS},
                             version, upload or None))
    return rows


def _problems(exc: Exception) -> list[Problem]:
    if isinstance(exc, InputRejected):
        return [Problem.of(e.message, e.where) for e in exc.errors]
    return [Problem.of(exc.message, "version")]


def _save_row(user: User, agency: Agency, period: Period, row: RowInput, new_files: list[Evidence]) -> IndicatorValue:
    if not row.claims:
        value = services.save_value(user, agency, row.indicator, period, **{n: row.fields[n] for n in FIELDS},
                                    expected_version=row.version)
    elif any(row.fields[name].strip() for name in NUMBER_FIELDS):
        raise InputRejected([InputError(services.VALUE_AND_CLAIM, where="na_reason")])
    else:
        value = services.claim_not_applicable(user, agency, row.indicator, period, row.fields["na_reason"],
                                              row.version, note=row.fields["note"],
                                              evidence_url=row.fields["evidence_url"])
    if row.file is not None:
        known = set(value.evidence.values_list("pk", flat=True))
        evidence = upload_evidence(user, value, row.file, row.file.name)
        if evidence.pk not in known:
            new_files.append(evidence)
    return value


def save_rows(user: User, agency: Agency, period: Period, rows: list[RowInput], shown: dict[int, dict],
              submit: list[IndicatorValue] | None = None) -> tuple[dict[int, IndicatorValue], int]:
    """Save the changed rows of one pillar as drafts with their new evidence files and, with `submit`
    (the pillar's values as shown), submit every draft or rejected one of them plus what was saved.

    All or nothing: every row is tried so that each gets its messages, then a single problem rolls
    the whole form back (files included) and raises RowsRejected. Returns ({indicator id: saved value},
    how many were submitted).
    """
    problems: dict[int, list[Problem]] = {}
    conflicts: list[bool] = []
    new_files: list[Evidence] = []
    saved: dict[int, IndicatorValue] = {}
    submitted: list[IndicatorValue] = []

    def attempt(key: int, act):
        try:
            with transaction.atomic():  # a savepoint: the next rows still run after a database error
                return act()
        except (InputRejected, Conflict) as exc:
            problems.setdefault(key, []).extend(_problems(exc))
            conflicts.append(isinstance(exc, Conflict))
            return None

    with transaction.atomic():
        for row in rows:
            key = row.indicator.pk
            if not row.untouched(shown[key]):
                value = attempt(key, lambda row=row: _save_row(user, agency, period, row, new_files))
                if value is not None:
                    saved[key] = value
        if submit is not None and not problems:
            posted = {row.indicator.pk: row.version for row in rows}
            targets = {v.indicator_id: (v, posted.get(v.indicator_id)) for v in submit}
            targets.update({key: (v, v.version) for key, v in saved.items()})
            for key, (value, version) in targets.items():
                if value.status in EDITABLE and attempt(
                        key, lambda value=value, version=version: services.submit_value(user, value, version)):
                    submitted.append(value)
        if problems:
            transaction.set_rollback(True)
    if problems:
        for evidence in new_files:  # their rows are gone with the rollback; the stored files must go too
            evidence.file.delete(save=False)
        raise RowsRejected(problems, any(conflicts))
    return saved, len(submitted)


@dataclass
class Outcome:
    """What happened to one value of a reviewer's decision."""

    pk: int
    value: IndicatorValue | None  # None when the id is not in the caller's queue
    action: str
    ok: bool
    problems: list[Problem] = field(default_factory=list)


def decide(user: User, values: dict[int, IndicatorValue], decisions: list[tuple[int, str, str, int | None]]
           ) -> list[Outcome]:
    """Verify or reject each (value id, action, reason, version) on its own: one row's conflict does not
    undo the others; each outcome says what happened."""
    outcomes = []
    for pk, action, reason, version in decisions:
        value = values.get(pk)
        if value is None:
            outcomes.append(Outcome(pk, None, action, False, [Problem.of(_("This value is not in your review queue."),
                                                                      "value")]))
            continue
        try:
            if action == "verify":
                done = services.verify_value(user, value, version)
            else:
                done = services.reject_value(user, value, reason, version)
        except (InputRejected, Conflict) as exc:
            outcomes.append(Outcome(pk, value, action, False, _problems(exc)))
        else:
            outcomes.append(Outcome(pk, done, action, True))
    return outcomes
