"""Request-wide rules: Vietnamese first, and no NUL characters in addresses.

Web pages ignore the browser's Accept-Language until the user picks a language; the API keeps
following it (api.md: vi by default, en on request).
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse

from .errors import bilingual, in_language
from .i18n import _


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulCharactersMiddleware:
    """A NUL character in the address or its query is refused with a 400 before any view runs.

    PostgreSQL text cannot hold NUL, so such a parameter reaching a query would be a 500; forms and
    serializers refuse NUL in what they validate, but views also read query parameters directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            return _refused_nul(request)
        return self.get_response(request)


def _refused_nul(request) -> HttpResponse:
    message = _("The address contains a NUL character, which is not allowed.")
    if request.path.startswith("/api/"):
        return JsonResponse(bilingual(message, "nul_character"), status=400)
    return HttpResponseBadRequest(f"{in_language(message, 'vi')} / {in_language(message, 'en')}",
                                  content_type="text/plain; charset=utf-8")
