"""Sign-in lockout with two limits (django-axes has one): per user name at an address, and per address.

AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]: axes filters the attempts by
each rule in that order and locks when the larger sum reaches AXES_FAILURE_LIMIT. Here the address'
own sum is compared with AXES_IP_FAILURE_LIMIT instead, so spraying many user names from one address
is locked while an office behind one NAT survives a few people's typos.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        account_attempts, address_attempts = self.get_user_attempts(request, credentials)
        account = _failures(account_attempts)
        # Read by registration/locked.html to say which limit was reached.
        request.axes_address_locked = _failures(address_attempts) >= settings.AXES_IP_FAILURE_LIMIT
        return max(account, settings.AXES_FAILURE_LIMIT) if request.axes_address_locked else account

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A success clears that user's failures only: one valid account must not wipe the address' count.
        account_attempts, _address = self.filter_user_attempts(request, credentials)
        return account_attempts.delete()[0]
