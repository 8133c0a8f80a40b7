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
from plans.services import NewPlan, create_plan

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
    # Django's password views: change needs a session; reset is for whoever lost theirs
    "password_change": (lambda w: {}, signed_in(200)),
    "password_change_done": (lambda w: {}, signed_in(200)),
    "password_reset": (lambda w: {}, same(200)),
    "password_reset_done": (lambda w: {}, same(200)),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "set-password"}, same(200)),
    "password_reset_complete": (lambda w: {}, same(200)),
    "set_language": (lambda w: {}, same(302)),
    "home": (lambda w: {}, signed_in(200)),
    "agency-directory": (lambda w: {}, signed_in(200)),
    "agency-detail": (lambda w: {"code": w.agency_in.code}, signed_in(200)),
    "agency-children": (lambda w: {"code": w.agency_in.code}, signed_in(200)),
    "api:agency-list": (lambda w: {}, api(200)),
    "api:agency-detail": (lambda w: {"code": w.agency_in.code}, api(200)),
    "admin:index": (lambda w: {}, admin_only()),
    # plans (a draft plan of agency IN: w.plan)
    "plan-list": (lambda w: {}, signed_in(200)),
    "plan-create": (lambda w: {}, same(405)),
    "plan-queue": (lambda w: {}, signed_in(403, reviewer=200, admin=200)),
    "plan-detail": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-edit": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404, reviewer=403, admin=403)),
    "plan-autosave": (lambda w: {"pk": w.plan.pk}, same(405)),
    "plan-submit": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-act": (lambda w: {"pk": w.plan.pk, "action": "approve"}, same(405)),
    "plan-amend": (lambda w: {"pk": w.plan.pk}, same(405)),
    "plan-review": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-comment": (lambda w: {"pk": w.plan.pk}, same(405)),
    "plan-history": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-diff": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-pdf": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-xlsx": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "plan-docx": (lambda w: {"pk": w.plan.pk}, signed_in(200, staff_out=404, observer=404)),
    "api:plan-list": (lambda w: {}, api(200)),
    "api:plan-detail": (lambda w: {"pk": w.plan.pk}, api(200, staff_out=404, observer=404)),
    "api:plan-history": (lambda w: {"pk": w.plan.pk}, api(200, staff_out=404, observer=404)),
    "api:plan-comments": (lambda w: {"pk": w.plan.pk}, api(200, staff_out=404, observer=404)),
    "api:plan-diff": (lambda w: {"pk": w.plan.pk}, api(200, staff_out=404, observer=404)),
    "api:plan-submit": (lambda w: {"pk": w.plan.pk}, api(405)),
    "api:plan-withdraw": (lambda w: {"pk": w.plan.pk}, api(405)),
    "api:plan-start-review": (lambda w: {"pk": w.plan.pk}, api(405)),
    "api:plan-return": (lambda w: {"pk": w.plan.pk}, api(405)),
    "api:plan-approve": (lambda w: {"pk": w.plan.pk}, api(405)),
    # scores (one published score of agency IN: w.score)
    "score-ranking": (lambda w: {}, signed_in(200)),
    "agency-score-page": (lambda w: {"code": w.agency_in.code}, signed_in(200)),
    "api:score-list": (lambda w: {}, api(200)),
    "api:score-breakdown": (lambda w: {"agency_code": w.agency_in.code, "period": 2024}, api(200)),
    "api:agency-scores": (lambda w: {"code": w.agency_in.code}, api(200)),
    "api:export-scores-csv": (lambda w: {}, api(200)),
    "api:export-scores-xlsx": (lambda w: {}, api(200)),
    "api:score-run-list": (lambda w: {}, api(403, reviewer=200, admin=200)),
    "api:score-run-detail": (lambda w: {"pk": w.score.run_id}, api(403, reviewer=200, admin=200)),
    # catalog and values (a draft value of agency IN: w.value)
    "api:framework-list": (lambda w: {}, api(200)),
    "api:framework-detail": (lambda w: {"code": w.score.framework.code}, api(200)),
    "api:period-list": (lambda w: {}, api(200)),
    "api:value-list": (lambda w: {}, api(200)),
    "api:value-detail": (lambda w: {"pk": w.value.pk}, api(200, staff_out=404, observer=404)),
    "api:value-bulk": (lambda w: {}, api(405)),
    "api:value-submit": (lambda w: {"pk": w.value.pk}, api(405)),
    "api:value-verify": (lambda w: {"pk": w.value.pk}, api(405)),
    "api:value-reject": (lambda w: {"pk": w.value.pk}, api(405)),
}


# values files (helper "files"): an upload belongs to staff_in; anyone else's token opens nothing (404)
def _files_upload_token(w) -> str:
    from assessments.values.upload_store import store

    csv_bytes = f"agency_code,indicator_code,value\n{w.agency_in.code},HT.01,60\n".encode()
    return store(w.users["staff_in"], csv_bytes, "values.csv", "SAMPLE", 2024, "draft")


MATRIX.update({
    # reviewers and admins verify or reject, they do not write values (assessments.values.permissions.may_import)
    "values-upload": (lambda w: {}, signed_in(200, observer=403, reviewer=403, admin=403)),
    "values-upload-preview": (lambda w: {"token": _files_upload_token(w)}, signed_in(404, staff_in=200)),
    "values-upload-check": (lambda w: {"token": _files_upload_token(w)}, signed_in(404, staff_in=302)),
    "values-upload-confirm": (lambda w: {"token": _files_upload_token(w)}, same(405)),
    "values-template": (lambda w: {}, signed_in(200, observer=403, reviewer=403, admin=403)),
    "values-export": (lambda w: {}, signed_in(200)),
    "api:export-values-csv": (lambda w: {}, api(200)),
    "api:export-values-xlsx": (lambda w: {}, api(200)),
})
# end values files


# values web (helper "entry"): the draft value w.value of agency IN with one evidence file
def _values_evidence(w) -> int:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = "evidence/permission-matrix-probe.txt"  # one fixed file, reused by every run
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"probe"))
    return w.value.evidence.create(file=name, original_name="probe.txt", content_type="text/plain", size=5,
                                   sha256="0" * 64).pk


MATRIX.update({
    "values-home": (lambda w: {}, same(302)),
    "values-entry": (lambda w: {}, signed_in(200, observer=403)),
    "values-evidence-file": (lambda w: {"pk": _values_evidence(w)}, signed_in(200, staff_out=404, observer=404)),
    "values-review": (lambda w: {}, signed_in(403, reviewer=200, admin=200)),
    "values-completeness": (lambda w: {}, signed_in(200)),
})
# end values web


# scores web (helper "scores"): the method page and score runs from the ranking page
MATRIX.update({
    "score-method": (lambda w: {}, signed_in(200)),
    "score-run-start": (lambda w: {}, same(405)),
    "score-run-status": (lambda w: {}, signed_in(404)),  # without ?framework=&period=: no such period
})
# end scores web

# audit log (helper "security"): administrators only; others signed in get 403 like the review queues
MATRIX.update({
    "audit-log": (lambda w: {}, signed_in(403, admin=200)),
    "audit-export": (lambda w: {}, signed_in(403, admin=200)),
})
# end audit log

# catalogs (helper "catalogs"): administrators only, like the audit log; the period routes are POST only
MATRIX.update({
    "catalog-list": (lambda w: {}, signed_in(403, admin=200)),
    "catalog-periods": (lambda w: {"code": w.score.framework.code}, signed_in(403, admin=200)),
    "period-deadline": (lambda w: {"pk": w.score.period_id}, same(405)),
    "period-status": (lambda w: {"pk": w.score.period_id}, same(405)),
})
# end catalogs

# notifications (helper "inbox"): each user's own list; marking read is POST only
MATRIX.update({
    "notification-list": (lambda w: {}, signed_in(200)),
    "notification-read": (lambda w: {"pk": 1}, same(405)),
    "notification-read-all": (lambda w: {}, same(405)),
})
# end notifications

# public rankings (helper "public"): off by default (PUBLIC_RANKINGS), so a 404 for everyone; with it on, every
# role and anonymous read them (tests/public/test_public_rankings.py)
_PUBLIC_RANKING = {"framework": "SAMPLE", "period": 2024}
MATRIX.update({
    "public-rankings": (lambda w: {}, same(404)),
    "public-ranking": (lambda w: _PUBLIC_RANKING, same(404)),
    "public-ranking-csv": (lambda w: _PUBLIC_RANKING, same(404)),
    "public-ranking-json": (lambda w: _PUBLIC_RANKING, same(404)),
    "public-method": (lambda w: {"framework": "SAMPLE"}, same(404)),
    "api:public-score-list": (lambda w: {}, same(404)),
})
# end public rankings

# machine feeds (helper "feeds"): a source's key only (Authorization: Source); a session or user token is no
# credential there, so 401 for every role (tests/feeds/)
MATRIX.update({
    "api:feed-observations": (lambda w: {"source": "NONE"}, same(401)),
})
# end machine feeds


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
    w.plan = create_plan(w.users["staff_in"], NewPlan(agency=w.agency_in, kind="five_year", period_start=2026))
    w.score = published_score(w.agency_in)
    w.value = draft_value(w.agency_in, w.score, w.users["staff_in"])
    return w


def published_score(agency):
    from django.utils import timezone

    from assessments.catalog.loader import load_framework
    from assessments.catalog.periods import create_period
    from assessments.scores.models import AgencyScore, RunStatus, ScoreRun
    from tests.values.conftest import FRAMEWORK_YAML

    framework = load_framework(FRAMEWORK_YAML).framework
    period = create_period(framework.code, 2024).period
    run = ScoreRun.objects.create(framework=framework, period=period, status=RunStatus.DONE)
    return AgencyScore.objects.create(
        framework=framework, period=period, agency=agency, agency_code=agency.code, run=run, group="provincial",
        index=0.5, points=1,
        max_points=2, rank=1, level="developing", verified_share=0, computed_at=timezone.now(),
    )


def draft_value(agency, score, user):
    from assessments.values.services import save_value

    indicator = score.framework.indicators.get(code="HT.01")
    return save_value(user, agency, indicator, score.period, value="50")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status_per_role(client, world, name, role):
    kwargs_of, expected = MATRIX[name]
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse(name, kwargs=kwargs_of(world)))
    assert response.status_code == expected[role], f"{name} as {role}"


# --- the rules themselves (assessments.values.permissions), and the writes and reads that follow them ---

# role → for agency IN: may edit, submit, review; sees its unverified values; the statuses an import may give.
RULES = {
    "anonymous": (False, False, False, False, set()),
    "staff_in": (True, False, False, True, {"draft"}),
    "staff_out": (False, False, False, False, {"draft"}),
    "lead": (True, True, False, True, {"draft", "submitted"}),
    "reviewer": (False, False, True, True, set()),
    "observer": (False, False, False, False, set()),
    "admin": (False, False, True, True, set()),
}


def user_of(world, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else world.users[role]


@pytest.mark.parametrize("role", ROLES)
def test_permission_rules_per_role(world, role):
    from assessments.values import permissions
    from assessments.values.models import IndicatorValue

    user, agency = user_of(world, role), world.agency_in
    edit, submit, review, sees, imports = RULES[role]
    assert (permissions.can_edit(user, agency), permissions.can_submit(user, agency),
            permissions.can_review(user, agency), permissions.sees_unverified(user, agency)) == (edit, submit, review,
                                                                                                sees)
    assert {s for s in ("draft", "submitted", "verified") if permissions.may_import(user, s)} == imports
    # The filters say the same as the predicates, for the draft value of agency IN.
    assert (world.value in permissions.reviewable_values(user)) == review
    assert IndicatorValue.objects.filter(permissions.visible_values_filter(user), pk=world.value.pk).exists() == sees
    assert permissions.may_import(None, "verified")  # the system: the import_values command


# status of POST /api/v1/values/bulk/ with one row of agency IN, per status asked for and role
BULK = {
    "draft": api(403, staff_in=200, staff_out=400, lead=200),  # 400: the row's agency is outside the scope
    "submitted": api(403, lead=200),
    "verified": api(403),
}


def value_state():
    from assessments.values.models import IndicatorValue

    return sorted(IndicatorValue.objects.values_list("indicator__code", "version", "status", "updated_by_id",
                                                     "value_decimal"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", sorted(BULK))
def test_bulk_import_per_role(world, role, status):
    from rest_framework.test import APIClient

    from assessments.values.services import import_values

    # Besides the draft HT.01, a verified HT.03 put there by the system: neither may be overwritten by a refused call.
    import_values(f"agency_code,indicator_code,value\n{world.agency_in.code},HT.03,có\n".encode(), "SAMPLE", 2024,
                  status="verified")
    before = value_state()
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(world.users[role])
    rows = [{"agency_code": world.agency_in.code, "indicator_code": "HT.01", "value": "70"},
            {"agency_code": world.agency_in.code, "indicator_code": "HT.03", "value": "có"}]
    response = client.post("/api/v1/values/bulk/", {"framework": "SAMPLE", "period": 2024, "status": status,
                                                    "rows": rows}, format="json")
    assert response.status_code == BULK[status][role], response.content
    if response.status_code != 200:
        assert value_state() == before
    if role in ("reviewer", "admin"):
        from assessments.values.permissions import REVIEWERS_DO_NOT_WRITE
        from govit.errors import in_language

        assert response.json()["detail"] == in_language(REVIEWERS_DO_NOT_WRITE, "vi")


# A published score of agency IN whose breakdown counts a submitted HT.01 and a verified HT.03.
BREAKDOWN = [["HT.01", "counted", "submitted", 50.0, 0.5, 5.0, 10.0, "", ""],
             ["HT.03", "counted", "verified", 1.0, 1.0, 5.0, 5.0, "", ""]]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_breakdown_numbers_of_unverified_values_per_role(world, role):
    import json

    from rest_framework.test import APIClient

    world.score.breakdown = json.dumps(BREAKDOWN)
    world.score.save()
    sees = RULES[role][3]
    client = APIClient()
    client.force_authenticate(world.users[role])
    body = client.get(reverse("api:score-breakdown", kwargs={"agency_code": world.agency_in.code, "period": 2024}))
    lines = {line["indicator"]: line for line in body.json()["breakdown"]}
    submitted = (lines["HT.01"]["value"], lines["HT.01"]["s"], lines["HT.01"]["points"])
    assert submitted == ((50.0, 0.5, 5.0) if sees else (None, None, None))
    assert (lines["HT.03"]["value"], lines["HT.03"]["s"], lines["HT.03"]["points"]) == (1.0, 1.0, 5.0)
    # The agency's score page: "what to fix next" gives HT.01's 5 points to gain only to those who may see them.
    client.force_login(world.users[role])
    page = client.get(reverse("agency-score-page", kwargs={"code": world.agency_in.code})).content.decode()
    assert ("HT.01" in page) == sees
