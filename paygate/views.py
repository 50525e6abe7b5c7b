"""The sandbox platform's pages and API. Everything answers 404 unless
PAYGATE_ENABLED (read at request time)."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import OrderStatus, SandboxOrder
from .services import (
    OUTCOMES,
    OrderRefused,
    order_accept,
    order_complete,
    order_query,
    return_url,
)

View = Callable[..., HttpResponse]


def sandbox_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PAYGATE_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@sandbox_only
@never_cache
@require_GET
def pay(request: HttpRequest) -> HttpResponse:
    """The payment page a merchant sends the payer to."""
    try:
        order = order_accept({k: str(v) for k, v in request.GET.items()})
    except OrderRefused as exc:
        return render(
            request, "paygate/refused.html", {"reason": exc.reason}, status=400
        )
    return render(
        request,
        "paygate/pay.html",
        {
            "order": order,
            # Vietnamese grouping (7.000), as the platform's page shows it.
            "amount": f"{order.amount:,}".replace(",", "."),
            "pending": order.status == OrderStatus.PENDING,
            "back": return_url(order) if order.status != OrderStatus.PENDING else "",
        },
    )


@sandbox_only
@require_POST
def complete(request: HttpRequest, token: str) -> HttpResponse:
    """Pay, cancel or fail; then back to the merchant."""
    order = get_object_or_404(SandboxOrder, token=token)
    action = str(request.POST.get("action", ""))
    if action not in OUTCOMES:
        return render(
            request, "paygate/refused.html", {"reason": "bad_action"}, status=400
        )
    order = order_complete(order=order, action=action)
    return redirect(return_url(order))


@sandbox_only
@csrf_exempt
@require_POST
def query(request: HttpRequest) -> JsonResponse:
    """Server-to-server status query (signed request, signed answer)."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        answer = order_query(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return JsonResponse({"error": "malformed"}, status=400)
    except OrderRefused as exc:
        return JsonResponse({"error": exc.reason}, status=401)
    return JsonResponse(answer)
