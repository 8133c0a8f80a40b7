"""`Authorization: Source <key>`: a feed source's credential (not a user; knox tokens are for people)."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.throttling import SimpleRateThrottle

from assessments.values.feeds.models import FeedSource
from govit.i18n import _

KEYWORD = "Source"


class SourceAuthentication(authentication.BaseAuthentication):
    """The request's `auth` is the FeedSource; the user stays anonymous, so no user permission applies."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1") != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the source key as “Authorization: Source <key>”."))
        key = parts[1].decode("latin-1")
        # The lookup is by the key's hash, so the comparison below only guards against a hash collision.
        source = FeedSource.objects.select_related("agency").filter(key_hash=FeedSource.hash_key(key)).first()
        if source is None or not source.is_active or not source.check_key(key):
            raise exceptions.AuthenticationFailed(_("Unknown or deactivated source key."))
        return AnonymousUser(), source

    def authenticate_header(self, request):
        return KEYWORD


class SourceThrottle(SimpleRateThrottle):
    """Requests per source (the `feeds` rate), whatever address they come from."""

    scope = "feeds"

    def get_cache_key(self, request, view):
        source = request.auth
        return self.cache_format % {"scope": self.scope, "ident": source.pk} if isinstance(source, FeedSource) else None


class SourceAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = SourceAuthentication
    name = "SourceKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Source <key>`: the key printed by `manage.py govit_feed_source create`"}
