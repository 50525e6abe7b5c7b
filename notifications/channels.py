"""The channels a notification goes out through, behind one small interface.

Email goes through Django's email backends (EMAIL_BACKEND), SMS through the
portal's SMS adapter (`accounts.adapters.sms`, chosen by SMS_BACKEND, with its
development gateway). `send(recipient, title, body, sms_text)` returns the
provider's message id, raises `ChannelError` for a failure worth retrying and
`ChannelUnavailable` when the person cannot be reached this way.
"""

import smtplib
import unicodedata
import uuid
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.adapters.sms import MAX_TEXT_LENGTH, SmsError, send_sms
from accounts.identifiers import normalize_phone, phone_errors

from .models import Channel


class ChannelError(Exception):
    """A transient failure: the message may be sent again later."""


class ChannelUnavailable(Exception):
    """The recipient has no address for this channel."""


class Sender(Protocol):
    def reachable(self, recipient: Any) -> bool: ...

    def send(self, *, recipient: Any, title: str, body: str, sms_text: str) -> str: ...


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics ('Hồ sơ đã được tiếp nhận' -> 'Ho so da duoc
    tiep nhan'), so that an SMS fits GSM 03.38 segments."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class EmailSender:
    def reachable(self, recipient: Any) -> bool:
        return bool((recipient.email or "").strip())

    def send(self, *, recipient: Any, title: str, body: str, sms_text: str) -> str:
        if not self.reachable(recipient):
            raise ChannelUnavailable("no email address")
        message_id = f"<{uuid.uuid4().hex}@{settings.NOTIFY_EMAIL_DOMAIN}>"
        message = EmailMessage(
            subject=title,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Message-ID": message_id},
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"email: {exc.__class__.__name__}") from exc
        return message_id


class SmsSender:
    def reachable(self, recipient: Any) -> bool:
        phone = normalize_phone(recipient.phone or "")
        return bool(phone) and not phone_errors(phone)

    def send(self, *, recipient: Any, title: str, body: str, sms_text: str) -> str:
        if not self.reachable(recipient):
            raise ChannelUnavailable("no mobile number")
        text = ascii_fold(sms_text or title).strip()[:MAX_TEXT_LENGTH]
        try:
            return send_sms(phone=recipient.phone, text=text)
        except SmsError as exc:
            raise ChannelError("sms: gateway refused or failed") from exc


SENDERS: dict[str, Sender] = {
    Channel.EMAIL: EmailSender(),
    Channel.SMS: SmsSender(),
}
