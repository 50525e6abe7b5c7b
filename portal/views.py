"""Site-wide pages: home, help, about, the staff landing page, health."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from procedures.forms import QuickSearchForm
from procedures.selectors import announcements_published

from .health import run_checks

TEXT_SIZE_COOKIE = "portal_text_size"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "search_form": QuickSearchForm(),
            "announcements": announcements_published()[:3],
        },
    )


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help.html")


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html")


@staff_required
@require_GET
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
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes; 503 naming what is down."""
    checks = run_checks()
    down = sorted(name for name, check in checks.items() if not check["ok"])
    return JsonResponse(
        {"status": "ok" if not down else "down", "down": down, "checks": checks},
        status=200 if not down else 503,
    )
