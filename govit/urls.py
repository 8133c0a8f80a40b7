from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies.password_reset import LimitedPasswordResetView

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include(("govit.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Django's sign-in, sign-out, password change and reset views (templates in templates/registration/); the
    # reset request has limits of its own.
    path("accounts/password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("audit/", include("govit.audit.urls")),
    path("catalogs/", include("assessments.catalog.admin_urls")),
    path("notifications/", include("notifications.urls")),
    path("plans/", include("plans.urls")),
    path("public/", include("assessments.scores.public_urls")),
    path("scores/", include("assessments.scores.urls")),
    path("values/", include("assessments.values.urls")),
    path("", include("agencies.urls")),
]

handler400 = "govit.handlers.bad_request"  # a body over the upload limits is a 413 there
handler404 = "govit.handlers.not_found"
handler500 = "govit.handlers.server_error"
