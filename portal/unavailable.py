"""503 + Retry-After, never a 500 page, while the database or the disk is out.

A lost database connection (PostgreSQL restarting, failing over) or a full disk is
the server's passing trouble, not a bug of the page: the client is told to come
back (`Retry-After`), a person in Vietnamese first, an API client with a JSON
problem (RFC 9457). Nothing half-done is kept: every write service runs in one
transaction, which the error rolled back. docs/reliability.md shows it in a drill.
"""

import errno
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from .errors import in_visitor_language, is_api, server_error_json

logger = logging.getLogger("portal.unavailable")

DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def cause(exc: BaseException | None) -> str | None:
    """ "database" or "storage" when `exc` is a passing outage, else None."""
    if isinstance(exc, OperationalError | InterfaceError):
        return "database"
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return "storage"
    return None


def unavailable_response(request: HttpRequest, what: str) -> HttpResponse:
    """The 503 answer: a JSON problem under /api/, else a page needing nothing
    (no database, no session) to render."""
    retry = str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)
    response: HttpResponse
    if is_api(request):
        if what == "storage":
            detail = _(
                "Máy chủ tạm thời hết chỗ lưu tệp; yêu cầu chưa được thực hiện. "
                "Hãy thử lại sau %(seconds)s giây."
            )
        else:
            detail = _(
                "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; yêu cầu chưa "
                "được thực hiện. Hãy thử lại sau %(seconds)s giây."
            )
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": detail % {"seconds": retry},
                "unavailable": what,
            },
            status=503,
            content_type="application/problem+json",
        )
    else:
        page = loader.get_template("503.html").render({"what": what, "retry": retry})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = retry
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Turns a view's lost database connection or full disk into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        what = cause(exception)
        if what is None:
            return None
        # Still an error for the operator, with its traceback; not for the client.
        logger.error(
            "503 (%s unavailable) on %s %s",
            what,
            request.method,
            request.path,
            exc_info=exception,
        )
        return unavailable_response(request, what)


@in_visitor_language
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the same 503 for an outage raised outside a view (a middleware
    saving the session, say); for anything else a JSON 500 under /api/, Django's
    500 page elsewhere."""
    what = cause(sys.exc_info()[1])
    if what is not None:
        return unavailable_response(request, what)
    if is_api(request):
        return server_error_json()
    return django_server_error(request, template_name)
