"""Every route of the URL conf, and what a response means for access.

`url_routes()` walks `get_resolver()` recursively (namespaces, converters, regex
patterns), so a route added anywhere shows up here without anyone listing it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# What a persona gets on a route.
OK = "ok"  # 2xx, or a redirect that is not to a login page
LOGIN = "login"  # a redirect to the login page (the portal's or the admin's)
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # the route does not answer this method
UNAUTHORIZED = "401"  # the API without credentials

DENIED = frozenset({LOGIN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED})
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself when it has no name
    route: str  # the full pattern, e.g. "dossiers/<str:code>/"
    name: str | None
    params: tuple[str, ...]


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else (pattern.namespace)
                )
            yield from _walk(pattern, text, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            full = f"{namespace}:{name}" if namespace and name else name
            params = tuple(
                re.findall(r"<(?:\w+:)?(\w+)>", text)
                + re.findall(r"\(\?P<(\w+)>", text)
            )
            yield Route(key=full or text, route=text, name=full, params=params)


def url_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def admin_object_id(route: str) -> str:
    """The primary key of a real row of the model an admin route is about."""
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if match is None:
        return "1"
    model = apps.get_model(match[1], match[2])
    row = model._default_manager.order_by("pk").first()
    return str(row.pk) if row is not None else "1"


def build_url(route: Route, params: dict[str, Any]) -> str:
    values = {name: str(value) for name, value in params.items()}
    missing = set(route.params) - set(values)
    assert not missing, f"{route.key}: no value for {sorted(missing)}"
    if route.name is not None:
        return reverse(route.name, kwargs={p: values[p] for p in route.params})
    # The admin's unnamed routes (the object redirect, the catch-all).
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)\$?", lambda m: values[m[1]], route.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], path)
    return "/" + path


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers.get("Location", "")).path
        return LOGIN if target.startswith(LOGIN_PATHS) else OK
    if 200 <= status < 300:
        return OK
    return {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(
        status, str(status)
    )


def body_text(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


# --- The real object each URL parameter names ---------------------------------------

# By parameter name, for every route that does not say otherwise below.
DEFAULT_PARAMS: dict[str, str] = {
    "code": "dossier.code",
    "section": "=nguoi-nop",
    "kind": "=receipt",
    "action": "=receive",
    "key": "procedure.key",
    "slug": "guide.slug",
    "agency_code": "unit_a.agency_code",
    "uidb64": "uidb64",
    "token": "reset_token",
    "content_type_id": "dossier_type",
    "url": "=nowhere/",
    "app_label": "=accounts",
}
# By route (shell-style patterns allowed): parameter -> object path or "=value".
ROUTE_PARAMS: dict[str, dict[str, str]] = {
    "accounts:household-member-*": {"pk": "member.pk"},
    "accounts:stored-document-*": {"pk": "document.pk"},
    "accounts:citizen-detail": {"pk": "citizen.pk"},
    "procedures:announcement-detail": {"pk": "announcement.pk"},
    "procedures:procedure-*": {"code": "procedure.code"},
    "procedures-api:procedure-detail": {"code": "procedure.code"},
    "procedures-api:procedure-places": {"code": "procedure.code"},
    "dossiers:dossier-create": {"code": "procedure.code"},
    "dossiers:draft-*": {"pk": "draft.pk"},
    "drafts_api:*": {"pk": "draft.pk", "attachment_id": "attachment.pk"},
    "dossiers:dossier-supplement": {"code": "supplement.code"},
    "dossiers:dossier-rate": {"code": "returned.code"},
    "dossiers:result-download": {"code": "returned.code"},
    # The draft result the specialist uploaded (issue 18).
    "dossiers:result-draft-download": {"code": "returned.code"},
    "dossiers:attachment-download": {"pk": "attachment.pk"},
    "dossiers:result-verify": {"token": "result.token"},
    "dossiers_api:verify": {"token": "result.token"},
    "payments:payment-detail": {"pk": "payment.pk"},
    "payments:payment-check": {"pk": "payment.pk"},
    "payments-api:payment-detail": {"pk": "payment.pk"},
    "notifications:notification-open": {"pk": "notification.pk"},
    "paygate:order-complete": {"token": "order.token"},
    "chains:chain-resubmit": {"code": "linked.code"},
    "chains:step-retry": {"pk": "step.pk"},
    "chains:handoff-retry": {"pk": "handoff.pk"},
    "chains_api:step-retry": {"pk": "step.pk"},
    "national:sync-retry": {"pk": "sync_entry.pk"},
    "feedback:feedback-work": {"pk": "feedback.pk"},
    "feedback:feedback-paper": {"pk": "feedback.pk", "attachment_id": "paper.pk"},
    "feedback-api:feedback-answer": {"pk": "feedback.pk"},
    "admin:view_on_site": {"object_id": "dossier.pk"},
}


def _resolve_path(path: str, objects: dict[str, Any]) -> Any:
    if path.startswith("="):
        return path[1:]
    head, *attributes = path.split(".")
    value = objects[head]
    for attribute in attributes:
        value = getattr(value, attribute)
    return value


def route_params(route: Route, objects: dict[str, Any]) -> dict[str, Any]:
    from fnmatch import fnmatchcase

    chosen = dict(DEFAULT_PARAMS)
    for pattern, params in ROUTE_PARAMS.items():
        if fnmatchcase(route.key, pattern):
            chosen |= params
    values: dict[str, Any] = {}
    for name in route.params:
        if name in chosen:
            values[name] = _resolve_path(chosen[name], objects)
        elif name in ("object_id", "pk", "id") and route.route.startswith("admin/"):
            values[name] = admin_object_id(route.route)
        else:
            raise AssertionError(
                f"{route.key}: say which object its parameter “{name}” names "
                "(tests/security/routes.py, ROUTE_PARAMS)"
            )
    return values
