"""Site-wide middleware: a request id for every log line, and security headers."""

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .logging import bind, start_context

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID when it sends a sane
    one), put it in every log line of the request and in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # A fresh context per request, left in place after the response: Django
        # logs 4xx/5xx responses (django.request) after the middleware returns.
        start_context(request_id=request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> None:
        # Dossier URLs carry the code: every log line of the request names it.
        code = view_kwargs.get("code")
        if isinstance(code, str) and "-" in code:
            bind(dossier=code)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts anywhere) and Permissions-Policy.

    A response that sets its own policy (e.g. a sandboxed file download) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy()
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def content_security_policy() -> str:
    # Forms may post (and be redirected) to the identity provider and the payment
    # gateway when they live on other origins. "Pay online" redirects to the
    # gateway, at the public address when it is the bundled sandbox: a browser
    # that blocks it shows nothing at all.
    form_action = " ".join(
        dict.fromkeys(
            [
                "'self'",
                *_origin(settings.PORTAL_URL),
                *_origin(settings.PAYMENT_GATEWAY_URL),
                *settings.CSP_FORM_ACTION_EXTRA,
            ]
        )
    )
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": form_action,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())
