"""The adapter for the sandbox national payment platform (the `paygate` app), and
the model for a real one: the same protocol over HTTP.

- create: a signed redirect to `{PAYMENT_GATEWAY_URL}pay/?...` (nothing is sent
  before the citizen opens it, as with the national platform's redirect flow);
- callback: a JSON body, signed, posted by the gateway to the portal;
- return: the same fields as query parameters on the citizen's way back;
- query: `POST {PAYMENT_GATEWAY_URL}api/query/` with a signed JSON request, a
  signed JSON answer.
Signatures are HMAC-SHA256 over the canonical fields (`signing.py`).
"""

import datetime
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.utils import timezone

from accounts.addresses import absolute_url

from .base import (
    STATES,
    CreatedPayment,
    GatewayReport,
    GatewayUnavailable,
    InvalidMessage,
    PaymentGateway,
)
from .signing import sign, signature_valid

REPORT_FIELDS = ("merchant_id", "order_id", "status", "amount", "currency")
# Where the bundled sandbox platform (paygate) is mounted on the portal.
SANDBOX_PATH = "/paygate/"


def http_session() -> requests.Session:
    """The HTTP client for server-to-server calls (tests swap the transport)."""
    return requests.Session()


def _parse_time(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


class SandboxGateway(PaymentGateway):
    name = "sandbox"

    def __init__(
        self,
        *,
        base_url: str | None = None,
        merchant_id: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        # Without an address of its own, the gateway is the bundled sandbox at
        # the portal's public address (accounts/addresses.py).
        configured = base_url or settings.PAYMENT_GATEWAY_URL
        self.base_url = (configured or absolute_url(SANDBOX_PATH)).rstrip("/") + "/"
        self.merchant_id = merchant_id or settings.PAYMENT_MERCHANT_ID
        self.secret = secret or settings.PAYMENT_GATEWAY_SECRET
        self.timeout = timeout or settings.PAYMENT_GATEWAY_TIMEOUT_SECONDS

    def _signed(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, "signature": sign(fields, self.secret)}

    def create_payment(
        self,
        *,
        order_id: str,
        amount_vnd: int,
        description: str,
        return_url: str,
        callback_url: str,
    ) -> CreatedPayment:
        params = self._signed(
            {
                "merchant_id": self.merchant_id,
                "order_id": order_id,
                "amount": amount_vnd,
                "currency": "VND",
                "description": description,
                "return_url": return_url,
                "callback_url": callback_url,
                "created_at": timezone.now().isoformat(timespec="seconds"),
            }
        )
        return CreatedPayment(redirect_url=f"{self.base_url}pay/?{urlencode(params)}")

    def _report(self, fields: Mapping[str, Any]) -> GatewayReport:
        if not signature_valid(fields, self.secret):
            raise InvalidMessage("bad_signature")
        if any(name not in fields for name in REPORT_FIELDS):
            raise InvalidMessage("malformed")
        if fields["merchant_id"] != self.merchant_id:
            raise InvalidMessage("merchant_mismatch")
        status = str(fields["status"])
        if status not in STATES:
            raise InvalidMessage("malformed")
        amount: int | None = None
        if status != "not_found":
            try:
                amount = int(str(fields["amount"]))
            except ValueError:
                raise InvalidMessage("malformed") from None
        return GatewayReport(
            order_id=str(fields["order_id"]),
            status=status,
            amount_vnd=amount,
            currency=str(fields["currency"]),
            transaction_id=str(fields.get("transaction_id") or ""),
            paid_at=_parse_time(fields.get("paid_at")),
        )

    def verify_callback(self, *, body: bytes) -> GatewayReport:
        try:
            fields = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            # RecursionError: a body nested thousands of levels deep (it was a 500).
            raise InvalidMessage("malformed") from None
        if not isinstance(fields, dict):
            raise InvalidMessage("malformed")
        return self._report(fields)

    def verify_return(self, *, params: Mapping[str, str]) -> GatewayReport:
        return self._report(dict(params))

    def query_status(self, *, order_id: str) -> GatewayReport:
        request = self._signed(
            {
                "merchant_id": self.merchant_id,
                "order_id": order_id,
                "timestamp": timezone.now().isoformat(timespec="seconds"),
            }
        )
        if not self.base_url.startswith(("http://", "https://")):
            # A periodic task with neither PAYMENT_GATEWAY_URL nor PORTAL_URL: the
            # payment stays pending until a page asks (the citizen's, an officer's).
            raise GatewayUnavailable("no address")
        try:
            response = http_session().post(
                f"{self.base_url}api/query/", json=request, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise GatewayUnavailable(exc.__class__.__name__) from exc
        if response.status_code >= 500:
            raise GatewayUnavailable(f"HTTP {response.status_code}")
        try:
            fields = response.json()
        except ValueError:
            raise InvalidMessage("malformed") from None
        if not isinstance(fields, dict):
            raise InvalidMessage("malformed")
        report = self._report(fields)
        if report.order_id != order_id:
            raise InvalidMessage("order_mismatch")
        return report
