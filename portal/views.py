"""Site-wide pages: home, help, about, the staff landing page, health."""

from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.decorators import citizen_required, staff_required
from accounts.models import User
from accounts.ratelimit import rate_limit_hit, rate_limited_response
from accounts.selectors import profile_for
from procedures.forms import QuickSearchForm
from procedures.selectors import (
    announcements_published,
    faqs_published,
    org_units_receiving,
)
from units.selectors import admin_unit_successors_on

from .data_export import citizen_data_zip
from .health import run_checks
from .metrics import extra_gauge_values, failed_handoff_count, overdue_count
from .metrics import render as render_metrics

TEXT_SIZE_COOKIE = "portal_text_size"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "search_form": QuickSearchForm(),
            "announcements": announcements_published()[:3],
        },
    )


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """How to file, where to go or call (every receiving unit, by area; the
    citizen's own commune first and open) and the questions people ask."""
    user = request.user
    home_area_ids: set[int] = set()
    if isinstance(user, User) and user.is_citizen:
        commune = profile_for(user=user).commune
        if commune is not None:
            # A commune of before the reform: the one that succeeded it today.
            home_area_ids = {
                area.pk
                for area in admin_unit_successors_on(
                    unit=commune, day=timezone.localdate()
                )
            }
    areas = [
        {"area": area, "units": list(units), "home": area.pk in home_area_ids}
        for area, units in groupby(org_units_receiving(), key=attrgetter("admin_unit"))
    ]
    areas.sort(key=lambda group: not group["home"])  # stable: the rest keep order
    q = request.GET.get("q", "").strip()
    faqs = faqs_published(q=q)
    return render(
        request,
        "portal/help.html",
        {
            "areas": areas,
            "q": q,
            "faq_count": len(faqs),
            "faq_groups": [
                {"procedure": procedure, "faqs": list(items)}
                for procedure, items in groupby(faqs, key=attrgetter("procedure"))
            ],
        },
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html")


@staff_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/staff_home.html")


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Switch large text on or off; remembered for a year in a cookie."""
    large = request.POST.get("size") == "large"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if large:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            "large",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes; 503 naming what is down. Also the counts an
    operator watches (overdue dossiers, failed hand-offs), which never fail it."""
    checks = run_checks()
    down = sorted(name for name, check in checks.items() if not check["ok"])
    body: dict[str, object] = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": checks,
    }
    if "database" not in down:
        body["counts"] = {
            "overdue_dossiers": overdue_count(),
            "failed_handoffs": failed_handoff_count(),
            **extra_gauge_values(),
        }
    return JsonResponse(body, status=200 if not down else 503)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the monitoring server only (404 to anyone else)."""
    if settings.METRICS_TOKEN:
        allowed = constant_time_compare(
            request.headers.get("Authorization", ""), f"Bearer {settings.METRICS_TOKEN}"
        )
    else:
        allowed = request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"}
    if not allowed:
        raise Http404
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)


def data_export_response(user: User) -> FileResponse:
    """The citizen's ZIP as a download that no cache keeps."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        citizen_data_zip(user=user),
        as_attachment=True,
        filename=f"du-lieu-cua-toi-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponseBase:
    """The citizen downloads all data the portal holds about them (ZIP)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - citizen_required
    if request.method == "POST":
        wait = rate_limit_hit(
            scope="data-export", key=str(user.pk), limit=settings.DATA_EXPORT_RATE_LIMIT
        )
        if wait is not None:
            return rate_limited_response(request, retry_after=wait)
        return data_export_response(user)
    return render(
        request,
        "portal/data_export.html",
        {
            "limit": settings.DATA_EXPORT_RATE_LIMIT,
            "window_minutes": settings.RATE_LIMIT_WINDOW_SECONDS // 60,
        },
    )
