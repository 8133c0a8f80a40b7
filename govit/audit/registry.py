"""What the audit log covers, handed over by each app from its config: the base package imports no domain model.

`audit(Model, ...)` registers the model with django-auditlog and, with `name`, gives its entries a readable
name on /audit/ (for objects whose own str() is made of ids), loading the `related` fields it needs.
"""

from collections.abc import Callable, Iterable

from auditlog.registry import auditlog
from django.db.models import Model

READABLE: dict[type[Model], tuple[tuple[str, ...], Callable[[Model], str]]] = {}


def audit(model: type[Model], exclude_fields: Iterable[str] = (), related: Iterable[str] = (),
          name: Callable[[Model], str] | None = None) -> None:
    auditlog.register(model, exclude_fields=list(exclude_fields))
    if name is not None:
        READABLE[model] = (tuple(related), name)
