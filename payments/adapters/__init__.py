"""Payment gateways: `payment_gateway()` makes the one PAYMENT_GATEWAY_BACKEND
names (docs/payments.md says how to plug in a real one)."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    CreatedPayment,
    GatewayReport,
    GatewayUnavailable,
    InvalidMessage,
    PaymentGateway,
)


def payment_gateway() -> PaymentGateway:
    gateway: PaymentGateway = import_string(settings.PAYMENT_GATEWAY_BACKEND)()
    return gateway


__all__ = [
    "CreatedPayment",
    "GatewayReport",
    "GatewayUnavailable",
    "InvalidMessage",
    "PaymentGateway",
    "payment_gateway",
]
