"""Text messages (SMS) behind one small interface.

`send_sms(phone=..., text=...)` returns the gateway's message id or raises
`SmsError` with a message for the user. The backend is a class named by the
`SMS_BACKEND` setting (a dotted path) with one method, `send(*, phone, text)`:

- `DatabaseSmsBackend` (the default) is the development gateway: it keeps every
  message in `OutboundSms` instead of sending it, after the latency a real gateway
  has (`SMS_DEV_LATENCY_MS`), refuses numbers a real one would refuse, and fails as
  often as `SMS_DEV_FAILURE_RATE` says. Administrators read the messages in the
  admin; in DEBUG or demo mode, on the "hộp thư SMS thử nghiệm" page.
- `FailingSmsBackend` always fails, for the paths where the gateway is down.

A real gateway is one more class with the same `send`. Neither the phone number
nor the text (which may hold a one-time code) is ever logged in clear.
"""

import logging
import random
import time
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..identifiers import normalize_phone, phone_errors
from ..models import OutboundSms

logger = logging.getLogger(__name__)

# One SMS segment of Vietnamese text without diacritics (GSM 03.38) is 160
# characters; a gateway splits longer messages, up to this many characters.
MAX_TEXT_LENGTH = 459


class SmsError(Exception):
    """The message was not sent; `message` is safe to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Send `text` to `phone` (0xxxxxxxxx); return the message id."""
        ...


class DatabaseSmsBackend:
    """The development gateway: stores each message in `OutboundSms`."""

    def send(self, *, phone: str, text: str) -> str:
        latency = settings.SMS_DEV_LATENCY_MS
        if latency > 0:
            time.sleep(latency / 1000)
        rate = settings.SMS_DEV_FAILURE_RATE
        # Not a secret: a simulated network failure.
        if rate > 0 and random.random() < rate:  # noqa: S311
            raise SmsError(_("Nhà mạng không nhận tin nhắn (lỗi mô phỏng)."))
        message = OutboundSms.objects.create(
            message_id=uuid.uuid4().hex, phone=phone, text=text
        )
        return message.message_id


class FailingSmsBackend:
    """A gateway that is down: every message fails."""

    def send(self, *, phone: str, text: str) -> str:
        raise SmsError(_("Dịch vụ tin nhắn đang gián đoạn."))


def mask_phone(phone: str) -> str:
    """'0912345678' -> '09*****678'."""
    if len(phone) <= 5:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 5) + phone[-3:]


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_sms(*, phone: str, text: str) -> str:
    """Send one text message; the message id, or SmsError."""
    number = normalize_phone(phone)
    if phone_errors(number):
        raise SmsError(_("Số điện thoại không phải số di động Việt Nam hợp lệ."))
    if not text.strip() or len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"an SMS needs 1 to {MAX_TEXT_LENGTH} characters")
    try:
        message_id = sms_backend().send(phone=number, text=text)
    except SmsError:
        logger.warning("sms failed to=%s", mask_phone(number))
        raise
    logger.info(
        "sms sent id=%s to=%s chars=%d", message_id, mask_phone(number), len(text)
    )
    return message_id
