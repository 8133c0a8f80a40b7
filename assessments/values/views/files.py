"""Web pages for value files: upload with a preview before confirming, templates to fill in, exports.

Thin: the import rules are the importer's (through uploads), the storage between preview and
confirmation is upload_store's, the files are built by templates and exports.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.codes import normalize_code
from agencies.selectors import scope_agencies
from assessments.catalog.models import Period
from assessments.catalog.selectors import latest_framework, period_of
from assessments.values import exports, importer, permissions, services, templates, upload_store, uploads
from assessments.values.filters import ValueFilter
from assessments.values.models import ValueStatus
from assessments.values.selectors import visible_values
from assessments.values.upload_store import UploadRefused
from govit import i18n
from govit.errors import Conflict, InputError, InputRejected

PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")


def _refused(request, message, status: int):
    return render(request, "assessments/files/refused.html", _page_context(request, {"message": message}),
                  status=status)


def _year(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 4 else None


def _choices() -> dict:
    periods = list(Period.objects.order_by("framework_code", "-year"))
    return {"framework_codes": sorted({p.framework_code for p in periods}),
            "years": sorted({p.year for p in periods}, reverse=True), "periods": periods}


def _entry_url() -> str | None:
    try:
        return reverse("values-entry")
    except NoReverseMatch:
        return None


def _page_context(request, extra: dict) -> dict:
    return {**_choices(), "entry_url": _entry_url(),
            "can_import": bool(uploads.allowed_statuses(request.user)), **extra}


def _too_large(request) -> bool:
    # The declared length too: a body far over the limit gets 413 whatever the file field says.
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > upload_store.max_bytes() + 64 * 1024


@require_http_methods(["GET", "POST"])
@login_required
def upload(request):
    statuses = uploads.allowed_statuses(request.user)
    if not statuses:
        return _refused(request, permissions.import_refusal(request.user), 403)
    form = {"framework": request.POST.get("framework", ""), "period": request.POST.get("period", ""),
            "status": request.POST.get("status", statuses[0])}
    context = {"statuses": statuses, "status_choices": [(s, ValueStatus(s).label) for s in statuses], "form": form,
               "max_mb": upload_store.max_bytes() // (1024 * 1024)}
    if request.method == "GET":
        return render(request, "assessments/files/upload.html", _page_context(request, context))
    errors, status = _upload_errors(request, form, statuses)
    if errors:
        context["errors"] = [e.as_dict() for e in errors]
        return render(request, "assessments/files/upload.html", _page_context(request, context), status=status)
    file = request.FILES["file"]
    token = upload_store.store(request.user, file.read(), file.name, form["framework"], _year(form["period"]),
                               form["status"])
    return redirect("values-upload-preview", token=token)


def _upload_errors(request, form: dict, statuses: list[str]) -> tuple[list[InputError], int]:
    too_large = InputError(i18n._("The file is larger than the %(n)s MB allowed; split it.")
                           % {"n": upload_store.max_bytes() // (1024 * 1024)}, where="file")
    if _too_large(request):
        return [too_large], 413
    file = request.FILES.get("file")
    if file is None:
        return [InputError(i18n._("Choose a CSV or XLSX file."), where="file")], 400
    if file.size > upload_store.max_bytes():
        return [too_large], 413
    year = _year(form["period"])
    if year is None:
        return [InputError(i18n._("Choose a period."), where="period")], 400
    if form["status"] not in statuses:
        return [InputError(permissions.import_refusal(request.user, form["status"]), where="status")], 400
    try:
        services.check_import(form["framework"], year, form["status"], request.user)
    except InputRejected as exc:
        return exc.errors, 400
    return [], 200


def _open(request, token):
    return upload_store.open_upload(token, request.user)


def _result_context(request, upload) -> dict:
    result = upload.result
    return {"upload": upload, "token": request.resolver_match.kwargs["token"], "result": result,
            "status_label": ValueStatus(upload.status).label,
            "changes": Paginator(result.get("changes", []), PAGE_SIZE).get_page(request.GET.get("page")),
            "errors": Paginator(result.get("errors", []), PAGE_SIZE).get_page(request.GET.get("page")),
            "listed_max": uploads.MAX_LISTED}


def _with_upload(view):
    """Hands the view the signed-in user's upload of the token; a refusal (unknown, expired, another's, or raised
    by the view) is answered with its bilingual page."""
    @functools.wraps(view)
    def wrapper(request, token):
        try:
            return view(request, token, _open(request, token))
        except UploadRefused as exc:
            return _refused(request, exc.message, exc.status)
    return wrapper


@require_GET
@login_required
@_with_upload
def upload_preview(request, token, upload):
    return render(request, "assessments/files/preview.html", _page_context(request, _result_context(request, upload)))


@require_GET
@login_required
@_with_upload
def upload_check(request, token, upload):
    """Run the check (the slow part: loaded by htmx from the preview page, which shows progress meanwhile)."""
    upload = uploads.check(upload, request.user)
    if request.htmx:
        return render(request, "assessments/files/_result.html", _result_context(request, upload))
    return redirect("values-upload-preview", token=token)


@require_POST
@login_required
@_with_upload
def upload_confirm(request, token, upload):
    try:
        summary = uploads.confirm(upload, request.user)
    except UploadRefused as exc:
        if exc.status != 409:
            raise
        messages.error(request, force_str(exc.message))
    except uploads.PreviewOutdated:
        messages.warning(request, _("Values changed since your preview. Check the new preview and confirm again."))
    except InputRejected as exc:
        for error in exc.errors:
            messages.error(request, error.bilingual())
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, force_str(getattr(exc, "message", None) or exc.args[0]))
    else:
        messages.success(request, _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                         % summary)
    return redirect("values-upload-preview", token=token)


def _template_target(request) -> tuple[dict, list[str], int]:
    """The framework, period and agency asked for, or the problems (and the status to answer)."""
    params = {key: request.GET.get(key, "").strip() for key in ("framework", "period", "agency", "format")}
    errors = []
    framework = latest_framework(params["framework"]) if params["framework"] else None
    period = period_of(params["framework"], _year(params["period"])) if framework and _year(params["period"]) else None
    if framework is None:
        errors.append(_("Choose a framework."))
    elif period is None:
        errors.append(_("Choose a period of this framework."))
    if params["format"] not in FORMATS:
        errors.append(_("Choose CSV or XLSX."))
    if errors:
        return {}, errors, 400
    found, _ended = importer.agencies_during({normalize_code(params["agency"])}, period)
    agency = next(iter(found.values()), None)
    if agency is None or not permissions.in_scope(request.user, agency):
        return {}, [_("No agency with this code in your scope during the period.")], 404
    return {"framework": framework, "period": period, "agency": agency, "format": params["format"]}, [], 200


@require_GET
@login_required
def template_download(request):
    if not uploads.allowed_statuses(request.user):  # a template is for filling in and importing
        return _refused(request, permissions.import_refusal(request.user), 403)
    if "format" in request.GET:
        target, errors, status = _template_target(request)
        if not errors:
            return templates.template_response(target["framework"], target["period"], target["agency"],
                                                     target["format"])
    else:
        errors, status = [], 200
    user = request.user
    agencies = scope_agencies(user).order_by("code")[:300]
    return render(request, "assessments/files/template.html", _page_context(request, {
        "errors": errors, "agencies": agencies, "params": request.GET,
        "default_agency": user.agency.code if user.agency_id else ""}), status=status)


@require_GET
@login_required
def export(request):
    filters = ValueFilter(request.GET, queryset=visible_values(request.user))
    fmt = request.GET.get("format")
    if fmt in FORMATS and filters.is_valid():
        return exports.export_response(filters.qs, fmt, request.GET)
    status = 400 if "format" in request.GET else 200
    return render(request, "assessments/files/export.html", _page_context(request, {
        "filters": filters, "params": request.GET, "statuses": ValueStatus.choices,
        "format_error": status == 400 and fmt not in FORMATS}), status=status)

