"""The method page: how the scores of a framework are computed, generated from the framework itself."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.catalog.method import method_context
from assessments.catalog.models import Framework
from assessments.catalog.selectors import version_key


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
