"""The method page: how the scores of a framework are computed, generated from the framework itself; and the
administrators' catalogs pages (catalogs loaded, periods opened, closed and reopened)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import Role
from assessments.catalog.forms import MAX_CATALOG_BYTES, CatalogUploadForm, DeadlineForm, OpenPeriodForm, problems
from assessments.catalog.loader import day_text, load_framework
from assessments.catalog.method import method_context
from assessments.catalog.models import Framework, Period, PeriodStatus
from assessments.catalog.periods import close_period, create_period, reopen_period, set_deadline
from assessments.catalog.selectors import latest_framework, version_key
from govit.errors import InputError, InputRejected
from govit.i18n import _


@require_GET
@login_required
def method(request):
    """?framework=CODE (default: the first code) and ?version=V (default: its latest version); 404 if unknown."""
    versions = sorted(Framework.objects.only("id", "code", "version"), key=lambda f: (f.code, version_key(f.version)))
    if not versions:
        return render(request, "assessments/method.html", {"versions": []})
    code = request.GET.get("framework") or versions[0].code
    version = request.GET.get("version")
    matching = [f for f in versions if f.code == code and version in (None, "", f.version)]
    if not matching:
        raise Http404
    framework = Framework.objects.get(pk=matching[-1].pk)  # sorted by version: the last is the latest
    return render(request, "assessments/method.html", {"versions": versions, **method_context(framework)})


# --- the catalogs pages (admins): loaded catalogs, loading one, and each code's periods ---


def admin_page(view):
    """Signed in (else the sign-in page) and an administrator (else 403), like /audit/."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.ADMIN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _catalogs_page(request, form: CatalogUploadForm, errors=(), status: int = 200):
    frameworks = Framework.objects.annotate(pillar_count=Count("pillars", distinct=True),
                                            indicator_count=Count("indicators", distinct=True))
    return render(request, "catalogs/list.html", {"frameworks": frameworks, "form": form, "errors": errors,
                                                  "max_mb": MAX_CATALOG_BYTES >> 20}, status=status)


@require_http_methods(["GET", "POST"])
@admin_page
def catalogs(request):
    """The loaded catalog versions and a form to load one through the loader (all or nothing, idempotent)."""
    if request.method == "GET":
        return _catalogs_page(request, CatalogUploadForm())
    form = CatalogUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _catalogs_page(request, form, problems(form), status=400)
    try:
        result = load_framework(form.cleaned_data["file"].read())
    except InputRejected as exc:
        return _catalogs_page(request, form, problems(rejected=exc), status=400)
    params = {"code": result.framework.code, "version": result.framework.version}
    if result.created:
        messages.success(request, _("Catalog %(code)s version %(version)s loaded.") % params)
    else:
        messages.info(request, _("Catalog %(code)s version %(version)s was already loaded with this content; "
                                 "nothing changed.") % params)
    return redirect("catalog-list")


def _periods_page(request, code: str, form: OpenPeriodForm, errors=(), status: int = 200):
    periods = Period.objects.filter(framework_code=code).order_by("-year")
    return render(request, "catalogs/periods.html", {
        "code": code, "framework": latest_framework(code), "periods": periods, "form": form, "errors": errors,
    }, status=status)


@require_http_methods(["GET", "POST"])
@admin_page
def catalog_periods(request, code: str):
    """The periods of a catalog code, and a form to open one (create_period checks the catalog's validity)."""
    if not Framework.objects.filter(code=code).exists():
        raise Http404
    if request.method == "GET":
        return _periods_page(request, code, OpenPeriodForm())
    form = OpenPeriodForm(request.POST)
    if not form.is_valid():
        return _periods_page(request, code, form, problems(form), status=400)
    try:
        result = create_period(code, form.cleaned_data["year"], form.cleaned_data["deadline"], user=request.user)
    except InputRejected as exc:
        return _periods_page(request, code, form, problems(rejected=exc), status=400)
    message = _("Period %(period)s opened.") if result.created else _("Period %(period)s already exists.")
    messages.success(request, message % {"period": str(result.period)})
    return redirect("catalog-periods", code=code)


@require_POST
@admin_page
def period_deadline(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    form = DeadlineForm(request.POST)
    try:
        if not form.is_valid():
            raise InputRejected(problems(form))
        set_deadline(period, form.cleaned_data["deadline"], user=request.user)
    except InputRejected as exc:
        return _periods_page(request, period.framework_code, OpenPeriodForm(), problems(rejected=exc), status=400)
    messages.success(request, _("Deadline of %(period)s set to %(day)s.")
                     % {"period": str(period), "day": day_text(period.deadline)})
    return redirect("catalog-periods", code=period.framework_code)


STATUS_CHANGES = {PeriodStatus.CLOSED: (close_period, _("Period %(period)s closed; its values can no longer change.")),
                  PeriodStatus.OPEN: (reopen_period, _("Period %(period)s reopened."))}


@require_POST
@admin_page
def period_status(request, pk: int):
    """Close (status=closed) or reopen (status=open) a period."""
    period = get_object_or_404(Period, pk=pk)
    change = STATUS_CHANGES.get(request.POST.get("status"))
    if change is None:
        error = InputError(_("The status must be open or closed."), where="status")
        return _periods_page(request, period.framework_code, OpenPeriodForm(), [error], status=400)
    service, message = change
    service(period, user=request.user)
    messages.success(request, message % {"period": str(period)})
    return redirect("catalog-periods", code=period.framework_code)
