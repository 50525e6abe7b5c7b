"""Gateway messages as the sandbox platform would sign them."""

import json
from typing import Any

from django.conf import settings

from paygate.signing import sign


def callback_body(payment: Any, **changes: Any) -> bytes:
    """A genuine callback for `payment` (paid unless changed), signed with the
    platform's secret; `changes` alter fields before signing."""
    fields: dict[str, Any] = {
        "merchant_id": settings.PAYGATE_MERCHANT_ID,
        "order_id": payment.order_id,
        "amount": payment.amount_vnd,
        "currency": "VND",
        "status": "paid",
        "transaction_id": "SBX20260101ABCDEF",
        "paid_at": "2026-01-05T03:00:00+00:00",
        "timestamp": "2026-01-05T03:00:01+00:00",
    }
    fields.update(changes)
    fields["signature"] = sign(fields, settings.PAYGATE_SECRET)
    return json.dumps(fields).encode()
