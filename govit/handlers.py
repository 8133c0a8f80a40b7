"""Error answers: JSON under /api/ (clients parse it), HTML elsewhere.

A database that cannot be reached (dropped connection, restart, failover) is a 503 in Vietnamese and
English, never a traceback: the request's transaction was rolled back, so nothing is half-saved, and
the next request gets a working connection (CONN_HEALTH_CHECKS; a broken one is closed at the end of
the request).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.views import defaults
from rest_framework.exceptions import Throttled
from rest_framework.views import exception_handler

from .errors import in_language
from .i18n import _

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_DATABASE = 10  # seconds


def bilingual(message, code: str, **extra) -> dict:
    """`detail` in the request's language (api.md), and both languages for people reading logs or mails."""
    return {"detail": force_str(message), "detail_vi": in_language(message, "vi"),
            "detail_en": in_language(message, "en"), "code": code, **extra}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)  # DRF's: status, and Retry-After for a 429
    if isinstance(exc, Throttled) and response is not None:
        wait = int(exc.wait) if exc.wait is not None else None
        message = (_("Too many requests; try again in %(seconds)s seconds.") % {"seconds": wait} if wait is not None
                   else _("Too many requests; try again later."))
        response.data = bilingual(message, "throttled", retry_after=wait)
    return response


def _database_unavailable(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = _("The database cannot be reached at the moment; nothing was saved. Try again in a minute.")
        response = JsonResponse(bilingual(message, "database_unavailable"), status=503)
    else:
        # A page of its own: base.html would read the session and the user, from the database that is down.
        response = HttpResponse(render_to_string("errors/database_unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_DATABASE)
    return response


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Called while the exception is being handled, so it is still at hand.
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return _database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Server error. The team has been notified.")}, status=500)
    return defaults.server_error(request)
