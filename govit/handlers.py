"""Error answers: JSON under /api/ (clients parse it), HTML elsewhere.

A database that cannot be reached (dropped connection, restart, failover) is a 503 in Vietnamese and
English, never a traceback: the request's transaction was rolled back, so nothing is half-saved, and
the next request gets a working connection (CONN_HEALTH_CHECKS; a broken one is closed at the end of
the request).
"""

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

from .errors import bilingual, in_language
from .i18n import _
from .pagination import Pagination

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_DATABASE = 10  # seconds
RETRY_AFTER_BUSY = 2


def _throttled(exc: exceptions.Throttled) -> dict:
    wait = int(exc.wait) if exc.wait is not None else None
    message = (_("Too many requests; try again in %(seconds)s seconds.") % {"seconds": wait} if wait is not None
               else _("Too many requests; try again later."))
    return bilingual(message, "throttled", retry_after=wait)


def _drf_answer(exc) -> dict | None:
    """DRF's own messages that its Vietnamese catalog lacks, as ours (so that they are in our catalog)."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return bilingual(_("Sign-in required: send an API token (Authorization: Token KEY) or sign in."),
                         "not_authenticated")
    if isinstance(exc, exceptions.AuthenticationFailed):  # knox: unknown, malformed or expired token, or inactive user
        return bilingual(_("Invalid API token: it is wrong, has expired or was revoked (the password was changed "
                           "or the user deactivated). Ask for a new one."), "authentication_failed")
    if isinstance(exc, exceptions.ParseError):
        # The parser's reason (where the JSON breaks) is technical and stays in English.
        reason = str(exc.detail).partition(" - ")[2] or str(exc.detail)
        return bilingual(_("The request body cannot be read: %(reason)s") % {"reason": reason}, "parse_error")
    # DRF's SessionAuthentication raises these with a fixed English text, and the paginator with its own
    # message rendered in the request's language: recognised by that text.
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return bilingual(_("The form's security token (CSRF) is missing or wrong: reload the page and try again. "
                           "Programs should use an API token instead of a session."), "csrf_failed")
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(Pagination.invalid_page_message):
        return bilingual(_("This page number does not exist: the list has fewer pages."), "invalid_page")
    return None


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)  # DRF's: status, WWW-Authenticate, and Retry-After for a 429
    if response is not None:
        data = _throttled(exc) if isinstance(exc, exceptions.Throttled) else _drf_answer(exc)
        if data is not None:
            response.data = data
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


TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    """Django's 400 for a suspicious request, except a body over DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS /
    _NUMBER_FILES, which Django also reports so: a 413 that says what happened (JSON under /api/)."""
    if isinstance(exception, TOO_LARGE):
        return _too_large(request)
    return defaults.bad_request(request, exception)


def _too_large(request) -> HttpResponse:
    message = _("The request is too large (too much data, too many fields or too many files); nothing was saved. "
                "Send less at once.")
    return _refused(request, message, "too_large", 413, _("Request too large"))


def _database_busy(request) -> HttpResponse:
    """SQLite's "database is locked": another write held the lock for longer than SQLITE_TIMEOUT."""
    message = _("The database is busy with another change; nothing was saved. Try again in a few seconds.")
    response = _refused(request, message, "database_busy", 503, _("Busy"))
    response["Retry-After"] = str(RETRY_AFTER_BUSY)
    return response


def _refused(request, message, code: str, status: int, title) -> HttpResponse:
    """JSON under /api/, else a page in both languages (the session that holds the language is not read)."""
    if request.path.startswith("/api/"):
        return JsonResponse(bilingual(message, code), status=status)
    texts = {"vi": in_language(message, "vi"), "en": in_language(message, "en"), "code": code,
             "title_vi": in_language(title, "vi"), "title_en": in_language(title, "en")}
    return HttpResponse(render_to_string("errors/refused.html", texts), status=status)


def _is_database_busy(exc) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse(bilingual(_("Not found."), "not_found"), status=404)
    return defaults.page_not_found(request, exception)  # templates/404.html, in both languages


def server_error(request):
    # Called while the exception is being handled, so it is still at hand.
    if _is_database_busy(sys.exc_info()[1]):
        return _database_busy(request)
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return _database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse(bilingual(_("Server error. The team has been notified."), "server_error"), status=500)
    return defaults.server_error(request)  # templates/500.html: both languages, no session or user read
