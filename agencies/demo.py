"""Demo users for every role, so a fresh `bin/run` can be tried at once."""

import secrets

from django.db import transaction

from .models import Role, User
from .selectors import agency_by_code

# (user name, role, agency code, scope includes descendants)
DEMO_USERS = [
    ("admin", Role.ADMIN, None, False),
    ("thamdinh", Role.REVIEWER, "000.00.00.G06", False),
    ("quansat", Role.OBSERVER, None, False),
    ("hanoi.canbo", Role.AGENCY_STAFF, "000.00.00.H26", True),
    ("hanoi.lanhdao", Role.AGENCY_LEAD, "000.00.00.H26", True),
    ("bo.canbo", Role.AGENCY_STAFF, "000.00.00.G18", False),
    ("bo.lanhdao", Role.AGENCY_LEAD, "000.00.00.G18", False),
]


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str, str]]:
    """Create or reset the demo users; returns (name, role, agency, password) with fresh passwords."""
    out = []
    for name, role, code, descendants in DEMO_USERS:
        agency = agency_by_code(code) if code else None
        user, _ = User.objects.get_or_create(username=name)
        user.role, user.agency, user.with_descendants = role, agency, descendants
        user.is_staff = user.is_superuser = role == Role.ADMIN
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        out.append((name, role, agency.name_vi if agency else "—", password))
    return out
