"""Completeness of the reporting: per agency and pillar, how many values are missing, draft, submitted,
verified, rejected, not applicable and late, with a server-rendered SVG stacked-bar chart.

Agency staff and leads see their scope; reviewers, admins and observers see every agency, observers
only as verified / not verified (roles.md: unverified values are not theirs to see)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agencies.models import PeerGroup
from assessments.values.models import ValueStatus
from assessments.values.permissions import sees_unverified
from assessments.values.selectors import (
    FOLDED_BUCKETS,
    FULL_BUCKETS,
    MISSING,
    UNVERIFIED,
    completeness,
    completeness_agencies,
    pillars_of,
    select_period,
)

BAR_X, BAR_WIDTH, ROW_HEIGHT = 230, 400, 14
LABELS = {**dict(ValueStatus.choices), MISSING: _("Missing"), UNVERIFIED: _("Not verified")}


def _segments(tally, buckets) -> list[tuple]:
    """(bucket, label, x, width, n) of one stacked bar scaled to the agency's applicable indicators."""
    out, x = [], float(BAR_X)
    scale = BAR_WIDTH / max(tally.applicable, 1)
    for bucket in buckets:
        n = tally.counts.get(bucket, 0)
        if n:
            out.append((bucket, LABELS[bucket], x, n * scale, n))
            x += n * scale
    return out


@require_GET
@login_required
def completeness_view(request):
    user = request.user
    selection = select_period(request.GET.get("framework"), request.GET.get("period"))
    group = request.GET.get("group", "")
    search = request.GET.get("q", "").strip()[:100]
    context = {"selection": selection, "group": group, "q": search, "groups": PeerGroup.choices}
    period, framework = selection.period, selection.framework
    if period is None or framework is None:
        return render(request, "assessments/values/completeness.html", context)
    page = Paginator(completeness_agencies(user, period, group, search), 25).get_page(request.GET.get("page"))
    agencies = list(page)
    full = sees_unverified(user, *agencies)
    buckets = FULL_BUCKETS if full else FOLDED_BUCKETS
    pillars = pillars_of(framework)
    tallies = completeness(agencies, framework, period, pillars, full)
    rows = []
    for i, agency in enumerate(agencies):
        total, per_pillar = tallies[agency.pk]
        cells = [total.counts.get(b, 0) for b in buckets]
        rows.append({
            "agency": agency, "total": total, "cells": cells,
            "summary": [(LABELS[b], n) for b, n in zip(buckets, cells, strict=True) if n],  # the collapsed line
            "pillars": [(p, t, [t.counts.get(b, 0) for b in buckets]) for p, t in per_pillar], "y": i * ROW_HEIGHT,
            "segments": _segments(total, buckets),
            "entry": urlencode({"framework": framework.code, "period": period.year, "agency": agency.pk}),
        })
    context.update({
        "framework": framework, "period": period, "page": page, "rows": rows, "buckets": buckets, "full": full,
        "chart_height": max(len(rows), 1) * ROW_HEIGHT + 4,
        "legend": [(b, LABELS[b], i * 90) for i, b in enumerate(buckets)],
        "bar_x": BAR_X,
    })
    return render(request, "assessments/values/completeness.html", context)
