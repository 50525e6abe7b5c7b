"""The portal's public address: every absolute URL the portal hands out (payment
redirect and callback, the sandbox gateway, the OIDC redirect, links in emails
and text messages, QR codes on slips, receipts and results) is built here.

The address is `PORTAL_URL` when it is set. Otherwise it is the address of the
request being served, and, for work a request caused, the address of that
request: the middleware below keeps it for the request's duration (tasks run
in-process after commit see it too), and `portal/celery.py` carries it in the
headers of every task sent meanwhile, and of the tasks those send, so a worker
builds the same links. Work no request caused (beat's periodic tasks, management
commands) has no address without `PORTAL_URL`: it gets the path alone, never a
guessed host or port (docs/operations.md "The public address").
"""

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The Celery message header that carries the address to the worker.
ORIGIN_HEADER = "portal_origin"

_origin: contextvars.ContextVar[str] = contextvars.ContextVar(
    "portal_origin", default=""
)


def request_origin(request: HttpRequest) -> str:
    """`scheme://host[:port]` as the client reached the portal (the host is one
    of ALLOWED_HOSTS; the scheme follows SECURE_PROXY_SSL_HEADER)."""
    return f"{request.scheme}://{request.get_host()}"


def public_origin(request: HttpRequest | None = None) -> str:
    """The portal's public `scheme://host[:port]`, or "" when nothing says it."""
    configured = str(settings.PORTAL_URL).rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request_origin(request)
    return _origin.get()


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` (as `reverse` gives it) at the portal's public address."""
    if path.startswith(("http://", "https://")):
        return path
    return public_origin(request) + path


class PublicAddressMiddleware:
    """Keeps the request's address for what it causes (after CommonMiddleware,
    which has refused a host outside ALLOWED_HOSTS by then)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(request_origin(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


# --- Celery (connected in portal/celery.py) ------------------------------------------


def carry_origin(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """before_task_publish: a task sent while serving a request (or while running
    a task that carries one) carries its address."""
    origin = _origin.get()
    if origin and headers is not None:
        headers.setdefault(ORIGIN_HEADER, origin)


def adopt_origin(task: Any = None, **kwargs: Any) -> None:
    """task_prerun: the worker takes the address the task carries, or none.
    A task run in-process keeps the address of the request it runs in."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    _origin.set(str(getattr(task.request, ORIGIN_HEADER, None) or ""))
