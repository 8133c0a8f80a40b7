"""Every URL pattern of the URLconf × every role → the expected status of a GET (roles.md).

A route that is added without an entry in MATRIX fails `test_every_route_has_an_entry`.
Roles: anonymous; agency_staff in scope and out of scope of the object; agency_lead; reviewer;
observer; admin. Objects live in agency IN (the staff's and lead's agency) unless said otherwise.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies.models import Agency, AgencyKind
from agencies.services import _set_tree_fields
from agencies.users import create_user

ROLES = ("anonymous", "staff_in", "staff_out", "lead", "reviewer", "observer", "admin")


def same(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int = 302, **overrides) -> dict:
    return {**same(status), "anonymous": anonymous, **overrides}


def api(status: int, **overrides) -> dict:
    return signed_in(status, anonymous=401, **overrides)


def admin_only(anonymous: int = 302, others: int = 302) -> dict:
    return {**same(others), "anonymous": anonymous, "admin": 200}


# route name → (kwargs from the world, expected status per role)
MATRIX: dict[str, tuple] = {
    "healthz": (lambda w: {}, same(200)),
    "readyz": (lambda w: {}, same(200)),
    "schema": (lambda w: {}, same(200)),
    "api-docs": (lambda w: {}, same(200)),
    "login": (lambda w: {}, same(200)),
    "logout": (lambda w: {}, same(405)),
    "set_language": (lambda w: {}, same(302)),
    "home": (lambda w: {}, signed_in(200)),
    "agency-directory": (lambda w: {}, signed_in(200)),
    "agency-detail": (lambda w: {"code": w.agency_in.code}, signed_in(200)),
    "agency-children": (lambda w: {"code": w.agency_in.code}, signed_in(200)),
    "api:agency-list": (lambda w: {}, api(200)),
    "api:agency-detail": (lambda w: {"code": w.agency_in.code}, api(200)),
    "admin:index": (lambda w: {}, admin_only()),
}


def route_names() -> set[str]:
    """Every named route, with `namespace:` for included namespaces; admin's many pages count as one."""
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                if p.namespace == "admin":
                    names.add("admin:index")
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                if p.name:
                    names.add(f"{namespace}{p.name}")
                elif "format" not in str(p.pattern):
                    names.add(f"unnamed:{p.pattern}")

    walk(get_resolver().url_patterns)
    return {n for n in names if not n.endswith("-format")}


def test_every_route_has_an_entry():
    names = route_names()
    missing = sorted(n for n in names if n not in MATRIX)
    assert not missing, f"routes without a permission-matrix entry: {missing}"


def make(code, kind=AgencyKind.PROVINCE):
    agency = Agency(code=code, name_vi=code, kind=kind, valid_from=datetime.date(2008, 1, 1))
    _set_tree_fields(agency)
    agency.save()
    return agency


@pytest.fixture
def world(db):
    w = SimpleNamespace(agency_in=make("000.00.00.H26"), agency_out=make("000.00.00.H29"),
                        authority=make("000.00.00.G06", AgencyKind.MINISTRY))
    w.users = {
        "staff_in": create_user("staff_in", "agency_staff", w.agency_in.code, password="Correct-horse-9")[0],
        "staff_out": create_user("staff_out", "agency_staff", w.agency_out.code, password="Correct-horse-9")[0],
        "lead": create_user("lead", "agency_lead", w.agency_in.code, password="Correct-horse-9")[0],
        "reviewer": create_user("reviewer", "reviewer", w.authority.code, password="Correct-horse-9")[0],
        "observer": create_user("observer", "observer", password="Correct-horse-9")[0],
        "admin": create_user("admin", "admin", password="Correct-horse-9")[0],
    }
    return w


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status_per_role(client, world, name, role):
    kwargs_of, expected = MATRIX[name]
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse(name, kwargs=kwargs_of(world)))
    assert response.status_code == expected[role], f"{name} as {role}"
