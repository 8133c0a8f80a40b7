"""Vietnamese first: web pages ignore the browser's Accept-Language until the user picks a language.

The API keeps following Accept-Language (api.md: vi by default, en on request).
"""

from django.conf import settings


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
