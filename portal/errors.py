"""What the portal answers to a request it cannot serve: a 4xx that says why,
in the visitor's language (Vietnamese first), never a 500 or Django's bare page.

Under /api/ every error is `{"detail": "…"}` as `application/json`, the shape
every API view already uses (field errors stay DRF's `{"field": ["…"]}`):

- inside an API view, DRF calls `api_exception_handler` (settings:
  REST_FRAMEWORK["EXCEPTION_HANDLER"]), the one place that turns an exception
  into an answer;
- before a view is reached, or when DRF hands an exception back to Django (a
  body over DATA_UPLOAD_MAX_MEMORY_SIZE), Django's error views answer: they are
  the `handler400/403/404` of portal/urls.py, `CSRF_FAILURE_VIEW`, and
  handler500 in portal/unavailable.py.

Pages get the site's templates (400.html, 403.html, 403_csrf.html, 404.html).
DRF's own messages (401, 405, 406, 415, 429, "Invalid page.", field errors) are
English in DRF: their Vietnamese is in locale/vi. docs/security.md lists the cases.
"""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import csrf, defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"

P = ParamSpec("P")
R = TypeVar("R")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, detail: str) -> JsonResponse:
    """An API error answered outside DRF, in the same shape as inside it."""
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def csrf_message() -> str:
    return _(
        "Thiếu mã CSRF hoặc mã không khớp. Khi dùng phiên đăng nhập, hãy gửi mã "
        "trong tiêu đề X-CSRFToken; hoặc dùng mã truy cập (Authorization: Token …)."
    )


def _unreadable(request: Any) -> exceptions.ParseError:
    media_type = getattr(request, "content_type", "") or ""
    return exceptions.ParseError(
        _(
            "Không đọc được nội dung yêu cầu (kiểu %(media_type)s): hãy kiểm tra "
            "định dạng và bảng mã UTF-8."
        )
        % {"media_type": media_type.split(";")[0].strip() or "?"},
        code="unreadable",
    )


def _throttled_message(wait: float | None) -> str:
    if wait is None:
        return _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
    return _("Quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)d giây.") % {
        "seconds": wait
    }


def _as_client_error(exc: Exception, request: Any) -> Exception:
    """The exception the client should see in place of `exc`."""
    if isinstance(exc, Http404):
        # Its argument is a hint for the log (a code, a slug), not a message:
        # DRF would echo it as the detail.
        return exceptions.NotFound()
    if isinstance(exc, exceptions.ParseError) and exc.get_codes() == "parse_error":
        # DRF's own parsers: English text with the parser's internals
        # ("Multipart form parse error - Invalid boundary…"). Ours
        # (portal/parsers.py) say what is wrong in the visitor's language.
        return _unreadable(request)
    if isinstance(exc, exceptions.Throttled):
        # DRF writes the number into the message id ("Expected available in 60
        # seconds."), which no catalogue can translate.
        wait = getattr(exc, "wait", None)
        throttled = exceptions.Throttled(detail=_throttled_message(wait))
        throttled.wait = wait  # type: ignore[attr-defined]  # Retry-After
        return throttled
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith(
        "CSRF Failed"
    ):
        # SessionAuthentication.enforce_csrf: "CSRF Failed: <Django's reason>".
        return exceptions.PermissionDenied(csrf_message(), code="csrf_failed")
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]. None (DRF re-raises) for what is not
    the client's fault, and for a body too large (Django logs it as a security
    event and answers through `bad_request` below)."""
    return drf_exception_handler(_as_client_error(exc, context.get("request")), context)


# --- Django's error views (portal/urls.py, settings.CSRF_FAILURE_VIEW) -------------


def in_visitor_language(view: Callable[P, R]) -> Callable[P, R]:
    """Answer in the request's language even when the error came before
    LocaleMiddleware chose it (a body read by the NUL check, say)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101 - Django's contract
        with translation.override(translation.get_language_from_request(request)):
            return view(*args, **kwargs)

    return wrapper


@in_visitor_language
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a SuspiciousOperation, above all a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig)."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(
            413,
            _(
                "Nội dung yêu cầu quá lớn (tối đa %(limit)s). Tệp đính kèm hãy gửi "
                "riêng, mỗi tệp một yêu cầu."
            )
            % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
        )
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return json_error(400, _("Yêu cầu có quá nhiều trường hoặc quá nhiều tệp."))
    return json_error(400, _("Yêu cầu không hợp lệ."))


@in_visitor_language
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403."""
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return json_error(403, str(exceptions.PermissionDenied.default_detail))


@in_visitor_language
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an address that names no page, or a page's Http404."""
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return json_error(
        404,
        _("Không có địa chỉ API này. Các địa chỉ của API được liệt kê tại /api/docs/."),
    )


@in_visitor_language
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW. API views check the token in DRF (see
    `_as_client_error`); this answers for any other view, a page with
    templates/403_csrf.html."""
    if is_api(request):
        return json_error(403, csrf_message())
    return csrf.csrf_failure(request, reason)


def server_error_json() -> JsonResponse:
    """The API's 500 (handler500 in portal/unavailable.py): still JSON."""
    return json_error(
        500,
        _(
            "Hệ thống gặp lỗi; yêu cầu chưa được thực hiện. Xin thử lại sau ít "
            "phút, hoặc báo cho đơn vị kèm mã yêu cầu (X-Request-ID)."
        ),
    )
