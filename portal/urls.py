from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api, views

# The admin site asks for the TOTP code too (django-otp).
admin.site.__class__ = OTPAdminSite

site_patterns = (
    [
        path("", views.home, name="home"),
        path("help/", views.help_page, name="help"),
        path("about/", views.about, name="about"),
        path("staff/", views.staff_home, name="staff-home"),
        path("preferences/text-size/", views.text_size, name="text-size"),
        # The citizen's "all my data" download (page; API below).
        path("accounts/me/data/", views.data_export, name="data-export"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(site_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("accounts.api")),
    path("idp/", include("idp.urls")),
    path("idp/o/", include("idp.provider_urls")),
    path("procedures/", include("procedures.urls")),
    path("", include("dossiers.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("procedures.api")),
    path("api/v1/", include("units.api")),
    path("api/v1/", include("rules.api")),
    path("api/v1/", include("dossiers.api")),
    path("api/v1/", include("dossiers.drafts_api")),
    # Payments, notifications, the sandbox payment platform.
    path("", include("payments.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("payments.api")),
    path("api/v1/", include("notifications.api")),
    path("paygate/", include("paygate.urls")),
    # Dashboards.
    path("api/v1/", include("dashboards.api")),
    path("stats/", include("dashboards.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: no inline script.
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

# --- Linked chains (chains/): the citizen's resubmission, the failed-handoff queue.
urlpatterns += [
    path("", include("chains.urls")),
    path("api/v1/", include("chains.api")),
]

# --- The National Public Service Portal: the failed-sync queue, the twin (issue 19).
urlpatterns += [
    path("", include("national.urls")),
    path("api/v1/", include("national.api")),
]

# --- Each agency's result registers (issue 18): the officers' search.
urlpatterns += [
    path("", include("registers.urls")),
]

# --- Citizens' feedback and recommendations (issue 20).
urlpatterns += [
    path("feedback/", include("feedback.urls")),
    path("api/v1/", include("feedback.api")),
]

# --- Retention and the citizen's data (issue 11).
urlpatterns += [
    path("api/v1/me/data-export/", api.data_export, name="data-export-api"),
]

# Errors met before (or handed back by) a view: JSON under /api/, the site's
# pages elsewhere (portal/errors.py). An outage raised outside a view still
# answers 503 + Retry-After, not 500.
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.unavailable.server_error"

# The bare baselines of `make bench` (benchmarks/), never in a deployment.
if settings.BENCH_ENABLED:
    urlpatterns.append(path("bench/", include("benchmarks.urls")))
