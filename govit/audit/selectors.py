"""Reading the audit log: filters, and rows a person can read (names and labels instead of ids).

The query count does not grow with the number of entries: related names are fetched once per
model for a whole page (or a whole batch of the CSV export).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govit.audit.registry import READABLE
from govit.dates import DATE_FORMATS

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
LONG_TEXT = 300  # characters of a before/after shown; section bodies can be pages long

ACTIONS = {
    LogEntry.Action.CREATE: gettext_lazy("created"),
    LogEntry.Action.UPDATE: gettext_lazy("changed"),
    LogEntry.Action.DELETE: gettext_lazy("deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("accessed"),
}

def audited_types() -> list[ContentType]:
    """The content types the audit log records, by their (translated) name."""
    types = ContentType.objects.get_for_models(*auditlog.get_models()).values()
    return sorted(types, key=lambda ct: str(ct.model_class()._meta.verbose_name).lower())


class AuditFilter(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=150)
    type = forms.TypedChoiceField(label=gettext_lazy("Object type"), required=False, coerce=int, empty_value=None)
    object_id = forms.CharField(label=gettext_lazy("Object id"), required=False, max_length=255)
    date_from = forms.DateField(label=gettext_lazy("From date"), required=False, input_formats=DATE_FORMATS)
    date_to = forms.DateField(label=gettext_lazy("To date"), required=False, input_formats=DATE_FORMATS)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "—")] + [
            (ct.pk, ct.model_class()._meta.verbose_name) for ct in audited_types()
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def entries(self) -> QuerySet:
        """Newest first; nothing when the filters are invalid (the form shows why)."""
        qs = LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-id")
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["actor"]:
            qs = qs.filter(actor__username__iexact=data["actor"].strip())
        if data["type"]:
            qs = qs.filter(content_type_id=data["type"])
        if data["object_id"]:
            qs = qs.filter(object_pk=data["object_id"].strip())
        # __date compares in the current time zone (Asia/Ho_Chi_Minh): the days people see on the page.
        if data["date_from"]:
            qs = qs.filter(timestamp__date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(timestamp__date__lte=data["date_to"])
        return qs

    def per_page(self) -> int:
        return (self.is_valid() and self.cleaned_data["page_size"]) or PAGE_SIZE


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    entry: LogEntry
    type_label: str
    name: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _short(text: str) -> str:
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _model_field(model: type[Model] | None, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:  # a field removed since: its values are shown as stored
        return None


def _field_label(f, name: str) -> str:
    """A field by its verbose_name in the reader's language. A field declared without one has Django's English
    default ("updated by", "agency"): a relation is then named by the model it points to (translated)."""
    if f is None:
        return name
    if not isinstance(f.verbose_name, Promise) and f.is_relation and f.related_model is not None:
        return str(f.related_model._meta.verbose_name)
    return str(f.verbose_name)


def _is_reverse(f) -> bool:
    """auditlog lists reverse relations too (as "app.Model.None" on creation): nothing to show."""
    return f is not None and not f.concrete


def _display(f, raw, related: dict) -> str:
    """One stored before/after value (auditlog keeps them as strings, "None" for null) for a person."""
    if raw is None or raw == "None":
        return "—"
    raw = str(raw)
    if f is None:
        return _short(raw)
    if f.choices:
        return str({str(k): v for k, v in f.flatchoices}.get(raw, raw))
    if f.is_relation and f.many_to_one:
        obj = related.get(f.related_model, {}).get(_pk(f, raw))
        return str(obj) if obj is not None else f"#{raw}"
    internal = f.get_internal_type()
    if internal in ("DecimalField", "FloatField"):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        # 90.800000 → 90,8 in Vietnamese (1.234,5), without the stored trailing zeros.
        number = number.quantize(1) if number == number.to_integral() else number.normalize()
        return formats.number_format(number, force_grouping=True)
    if internal == "BooleanField":
        return _("yes") if raw == "True" else _("no") if raw == "False" else raw
    if internal == "DateTimeField" and (moment := parse_datetime(raw)):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if internal == "DateField" and (day := parse_date(raw)):
        return day.strftime("%d/%m/%Y")
    return _short(raw)


def _pk(f, raw: str):
    try:
        return f.related_model._meta.pk.to_python(raw)
    except Exception:  # noqa: BLE001 - a value stored before a type change: shown as it is
        return raw


def _related_objects(entries: list[LogEntry]) -> dict:
    """Every object a foreign key of the page's changes points to, one query per related model."""
    wanted: dict[type[Model], set] = defaultdict(set)
    for e in entries:
        model = e.content_type.model_class()
        for name, values in e.changes_dict.items():
            f = _model_field(model, name)
            if f is not None and f.concrete and f.is_relation and f.many_to_one:
                wanted[f.related_model].update(_pk(f, v) for v in values if v not in (None, "None"))
    return {model: model._base_manager.in_bulk(list(pks)) for model, pks in wanted.items() if pks}


def _readable_names(entries: list[LogEntry]) -> dict:
    """(model, object pk) → a readable name, for objects whose str() is made of ids; one query per model."""
    pks: dict[type[Model], set] = defaultdict(set)
    for e in entries:
        model = e.content_type.model_class()
        if model in READABLE and e.object_id is not None:
            pks[model].add(e.object_id)
    names = {}
    for model, ids in pks.items():
        related, name = READABLE[model]
        for obj in model._base_manager.select_related(*related).filter(pk__in=ids):
            names[(model, obj.pk)] = name(obj)
    return names


def present(entries: Iterable[LogEntry]) -> list[Row]:
    entries = list(entries)
    related = _related_objects(entries)
    names = _readable_names(entries)
    rows = []
    for e in entries:
        model = e.content_type.model_class()
        row = Row(
            entry=e,
            type_label=str(model._meta.verbose_name) if model else e.content_type.model,
            # A deleted object keeps the name it had when it was logged.
            name=names.get((model, e.object_id), e.object_repr),
            action=str(ACTIONS.get(e.action, e.action)),
        )
        for name, values in e.changes_dict.items():
            f = _model_field(model, name)
            if _is_reverse(f):
                continue
            before, after = (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
            row.changes.append(Change(_field_label(f, name),
                                      _display(f, before, related), _display(f, after, related)))
        rows.append(row)
    return rows


def present_all(qs: QuerySet, batch: int = 1000) -> Iterator[Row]:
    """Every entry of a filtered log, read and named a batch at a time (the CSV export)."""
    iterator = qs.iterator(chunk_size=batch)
    while chunk := list(islice(iterator, batch)):
        yield from present(chunk)
