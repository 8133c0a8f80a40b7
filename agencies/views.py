"""Web pages of the registry: a directory as a tree "as of" a date, and an agency's page with lineage."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from govit.dates import parse_day

from .codes import normalize_code
from .models import Agency, PeerGroup
from .selectors import agency_by_code, lineage_of, reviewing_authority_on, scope_agencies


def _as_of(request) -> datetime.date:
    """The "as of" date of the request (yyyy-mm-dd or dd/mm/yyyy); today, with a warning, when it is no date."""
    raw = request.GET.get("as_of", "").strip()
    day = parse_day(raw)
    if day is None and raw:
        messages.warning(request, gettext("“%(raw)s” is not a date (dd/mm/yyyy); showing today.") % {"raw": raw[:20]})
    return day or timezone.localdate()


@require_GET
@login_required
def home(request):
    """The inbox and dashboard of the user's role (notifications.inbox)."""
    from notifications.inbox import home_context  # notifications depends on agencies, not the reverse

    today = timezone.localdate()
    return render(request, "home.html", {"today": today, "authority": reviewing_authority_on(today),
                                         **home_context(request.user, today)})


@require_GET
@login_required
def directory(request):
    as_of = _as_of(request)
    roots = _with_children_count(Agency.objects.active_on(as_of).filter(parent__isnull=True), as_of).by_name()
    groups = [
        (PeerGroup.CENTRAL.label, list(roots.in_group(PeerGroup.CENTRAL))),
        (PeerGroup.PROVINCIAL.label, list(roots.in_group(PeerGroup.PROVINCIAL))),
    ]
    q = request.GET.get("q", "").strip()
    found = list(Agency.objects.active_on(as_of).search(q).by_name()[:50]) if q else None
    return render(
        request,
        "agencies/directory.html",
        {"as_of": as_of, "groups": groups, "q": q, "found": found,
         "authority": reviewing_authority_on(as_of)},
    )


def _with_children_count(agencies, as_of: datetime.date):
    """Each agency with `sub_units`, its sub-units active on the day, counted in the same query: the tree shows
    an expand arrow only where there is something to expand."""
    active = Q(children__valid_from__lte=as_of) & (
        Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=as_of))
    return agencies.annotate(sub_units=Count("children", filter=active))


@require_GET
@login_required
def children(request, code):
    """htmx partial: the children of one agency on the "as of" date."""
    as_of = _as_of(request)
    parent = agency_by_code(normalize_code(code), as_of)
    if parent is None:
        raise Http404
    kids = _with_children_count(Agency.objects.active_on(as_of).filter(parent=parent), as_of).by_name()
    return render(request, "agencies/_children.html", {"children": kids, "as_of": as_of})


@require_GET
@login_required
def detail(request, code):
    raw = request.GET.get("as_of")
    agency = agency_by_code(normalize_code(code), _as_of(request) if raw else None)
    if agency is None:
        raise Http404
    predecessors, successors = lineage_of(agency)
    versions = Agency.objects.filter(code=agency.code).exclude(pk=agency.pk).order_by("valid_from")
    return render(
        request,
        "agencies/detail.html",
        {"agency": agency, "predecessors": predecessors, "successors": successors, "versions": versions,
         "sees_entry": scope_agencies(request.user).filter(pk=agency.pk).exists()},
    )
