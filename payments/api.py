"""The payment API under /api/v1/:

- `POST dossiers/{code}/payments/` -> `{payment_id, redirect_url}` (the applicant);
- `GET payments/{id}/` (whoever may see the dossier; anyone else 404);
- `POST payments/callback/` (the gateway's server-to-server callback; no login,
  the signature is the authentication).
"""

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from dossiers.selectors import dossier_get_for_user

from . import services
from .models import Payment, PaymentCallback
from .selectors import payment_get_for_user
from .views import gateway_urls

app_name = "payments-api"


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    dossier = serializers.CharField(source="dossier.code")
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "dossier",
            "order_id",
            "method",
            "amount_vnd",
            "currency",
            "status",
            "gateway_transaction_id",
            "receipt_number",
            "created_at",
            "paid_at",
            "receipt_url",
        ]

    def get_receipt_url(self, obj: Payment) -> str | None:
        if obj.status != "paid":
            return None
        return reverse("payments:payment-receipt", args=[obj.dossier.code])


def _error(exc: services.PaymentError) -> Response:
    code = (
        status.HTTP_403_FORBIDDEN
        if isinstance(exc, services.PaymentNotAllowed)
        else status.HTTP_409_CONFLICT
    )
    return Response({"detail": exc.message}, status=code)


@extend_schema(
    request=None,
    responses={
        201: inline_serializer(
            "PaymentStarted",
            {
                "payment_id": serializers.IntegerField(),
                "redirect_url": serializers.URLField(),
            },
        )
    },
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def payment_create(request: Request, code: str) -> Response:
    """Start paying the dossier's fee online: send the citizen to `redirect_url`."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    try:
        back, callback = gateway_urls(request._request)
        payment = services.payment_start(
            dossier=dossier, user=request.user, return_url=back, callback_url=callback
        )
    except services.PaymentError as exc:
        return _error(exc)
    return Response(
        {"payment_id": payment.pk, "redirect_url": payment.redirect_url},
        status=status.HTTP_201_CREATED,
    )


@extend_schema(responses=PaymentSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def payment_detail(request: Request, pk: int) -> Response:
    payment = payment_get_for_user(user=request.user, pk=pk)
    return Response(PaymentSerializer(payment).data)


class RawBodyParser(BaseParser):
    """Leaves the body alone: the signature is checked on the bytes received."""

    media_type = "*/*"

    def parse(
        self, stream: Any, media_type: Any = None, parser_context: Any = None
    ) -> Any:
        return {}


@extend_schema(
    request={"application/json": dict[str, Any]},
    responses={
        200: inline_serializer("CallbackAccepted", {"result": serializers.CharField()}),
        400: inline_serializer(
            "CallbackRefused",
            {"result": serializers.CharField(), "reason": serializers.CharField()},
        ),
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
@parser_classes([RawBodyParser])
def payment_callback(request: Request) -> Response:
    """The gateway's callback. 200 when recorded (a replay included: it changes
    nothing), 400 with the reason when refused; every call is stored."""
    row = services.payment_callback_receive(
        body=request._request.body,
        remote_addr=str(request.META.get("REMOTE_ADDR", "")),
    )
    if row.outcome == PaymentCallback.Outcome.REFUSED:
        return Response(
            {"result": "refused", "reason": row.reason},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response({"result": row.outcome})


urlpatterns = [
    path(
        "dossiers/<str:code>/payments/", payment_create, name="dossier-payment-create"
    ),
    path("payments/callback/", payment_callback, name="payment-callback"),
    path("payments/<int:pk>/", payment_detail, name="payment-detail"),
]
