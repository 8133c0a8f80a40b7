"""The audit log for administrators: who changed what, before → after, when and from where; CSV export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.models import Role
from govit.exports import csv_response

from .selectors import AuditFilter, present, present_all


def is_audit_reader(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def _forbidden(request):
    return render(request, "audit/forbidden.html", status=403)


@require_GET
@login_required
def audit_log(request):
    if not is_audit_reader(request.user):
        return _forbidden(request)
    filters = AuditFilter(request.GET)
    page = Paginator(filters.entries(), filters.per_page()).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"filters": filters, "page": page, "rows": present(page.object_list)})


@require_GET
@login_required
def audit_export(request):
    if not is_audit_reader(request.user):
        return _forbidden(request)
    header = [_("When"), _("Who"), _("Action"), _("Object type"), _("Object id"), _("Object"), _("Field"),
              _("Before"), _("After"), _("Address")]

    def lines():
        for row in present_all(AuditFilter(request.GET).entries()):
            e = row.entry
            common = [timezone.localtime(e.timestamp).strftime("%d/%m/%Y %H:%M"),
                      e.actor.username if e.actor else "", row.action, row.type_label, e.object_pk, row.name]
            for change in row.changes or [None]:
                yield common + ([change.label, change.before, change.after] if change else ["", "", ""]) + [
                    e.remote_addr or ""]

    return csv_response(f"audit-{timezone.localdate():%Y%m%d}.csv", header, lines())
