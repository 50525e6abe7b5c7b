"""The payment gateway interface the portal calls (docs/payments.md).

A gateway is a class named by the PAYMENT_GATEWAY_BACKEND setting with three
methods: `create_payment` (the page to send the citizen to), `verify_callback`
(check a server-to-server notification and read it) and `query_status` (ask the
gateway about an order, for reconciliation). It raises `InvalidMessage` for a
message that is not genuine or not readable and `GatewayUnavailable` when the
gateway does not answer. Amounts are integer VND.
"""

import abc
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

# Order states a gateway reports (normalised by each adapter).
PENDING = "pending"
PAID = "paid"
FAILED = "failed"
CANCELLED = "cancelled"
NOT_FOUND = "not_found"  # the gateway never saw the order (never opened)
STATES = frozenset({PENDING, PAID, FAILED, CANCELLED, NOT_FOUND})


class InvalidMessage(Exception):
    """Not a genuine, readable gateway message; `reason` is a short code
    (bad_signature, merchant_mismatch, malformed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GatewayUnavailable(Exception):
    """The gateway did not answer (timeout, network, HTTP 5xx)."""


@dataclass(frozen=True)
class CreatedPayment:
    redirect_url: str


@dataclass(frozen=True)
class GatewayReport:
    """What the gateway says about one order."""

    order_id: str
    status: str
    amount_vnd: int | None
    currency: str
    transaction_id: str
    paid_at: datetime.datetime | None


class PaymentGateway(abc.ABC):
    # Stored on each payment: which gateway handled it.
    name: str = ""

    @abc.abstractmethod
    def create_payment(
        self,
        *,
        order_id: str,
        amount_vnd: int,
        description: str,
        return_url: str,
        callback_url: str,
    ) -> CreatedPayment:
        """Register the order; the address of the gateway's payment page."""

    @abc.abstractmethod
    def verify_callback(self, *, body: bytes) -> GatewayReport:
        """Check and read a server-to-server callback (raises InvalidMessage)."""

    @abc.abstractmethod
    def verify_return(self, *, params: Mapping[str, str]) -> GatewayReport:
        """Check and read the parameters the citizen's browser brings back."""

    @abc.abstractmethod
    def query_status(self, *, order_id: str) -> GatewayReport:
        """Ask the gateway about an order (raises GatewayUnavailable)."""
