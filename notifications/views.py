"""The notifications page and marking notifications read (POST, with CSRF; htmx swaps the one row)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .selectors import notifications_of, own_notification
from .services import mark_read

PER_PAGE = 30


@require_GET
@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_read(request, pk: int):
    """Mark one notification read; `open` also goes to what it is about."""
    notification = own_notification(request.user, pk)
    mark_read(notifications_of(request.user).filter(pk=notification.pk))
    notification.refresh_from_db()
    if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    if request.htmx:
        return render(request, "notifications/_row.html", {"n": notification})
    return redirect("notification-list")


@require_POST
@login_required
def notification_read_all(request):
    mark_read(notifications_of(request.user))
    return redirect("notification-list")
