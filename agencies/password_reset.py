"""The password reset page with limits of its own (django-ratelimit): per client address and per e-mail address.

Django's reset view mails every account of the address it is given and answers the same whether one exists or
not, so without a limit anyone could flood an inbox or the mail server through it. Both counters count every
request, and a request over either limit sends nothing and says so (429). The limits are the same for addresses
with and without an account, so the answer still tells nothing about which exist.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django_ratelimit.core import is_ratelimited

from govit.audit.middleware import client_address


def _address(_group: str, request) -> str:
    return client_address(request) or ""


def _email(_group: str, request) -> str:
    return request.POST.get("email", "").strip().casefold()


class LimitedPasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        over = [is_ratelimited(request, group=f"password-reset-{name}", key=key, rate=rate, method="POST",
                               increment=True)
                for name, key, rate in (("address", _address, settings.PASSWORD_RESET_RATE_ADDRESS),
                                        ("email", _email, settings.PASSWORD_RESET_RATE_EMAIL))]
        if any(over):
            context = self.get_context_data(form=self.get_form(), limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)
