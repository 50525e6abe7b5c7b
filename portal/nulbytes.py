"""Refuse requests that carry a NUL character (code 0) anywhere we read text.

PostgreSQL cannot store NUL in text or JSONB: a NUL that reached a query, a
stored callback body or a dossier's JSON data was a 500 there (SQLite takes it).
Django's and DRF's form fields refuse it already; paths, query strings, raw and
JSON bodies did not. Found by the API fuzzing (docs/security-testing.md).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from .errors import in_visitor_language, is_api, json_error

# Bodies larger than this are uploads (multipart, checked by the upload code);
# this middleware does not read them.
MAX_CHECKED_BODY = 1024 * 1024


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    ):
        return True
    if request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if not 0 < length <= MAX_CHECKED_BODY:
        return False
    body = request.body
    # A raw NUL, or JSON's escape for it.
    return b"\x00" in body or b"\\u0000" in body.lower()


class NulByteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return _refuse(request)
        return self.get_response(request)


@in_visitor_language
def _refuse(request: HttpRequest) -> HttpResponse:
    # Before LocaleMiddleware: the decorator picks the visitor's language.
    message = _("Yêu cầu chứa ký tự NUL (mã 0), không hợp lệ.")
    if is_api(request):
        return json_error(400, message)
    return HttpResponseBadRequest(message, content_type="text/plain")
