"""Errors of the plan workflow, rendered in the language of whoever reads them (govit.i18n)."""

from django.core.exceptions import PermissionDenied
from django.utils.encoding import force_str

from govit.errors import Conflict, field_errors  # noqa: F401 - field_errors: plans.api's


class PlanConflict(Conflict):
    """The plan is not in a state that allows the action, or the edit was based on an older version (409)."""


class PlanForbidden(PermissionDenied):
    """The caller sees the plan but their role may not do this (403)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return force_str(self.message)
