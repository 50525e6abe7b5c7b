"""One-time codes sent by SMS: a citizen agrees, from their own phone, to a
filing made for them at the counter; an anonymous sender of feedback shows the
number they gave is theirs.

One mechanism for every purpose: 6 digits, only a salted HMAC kept, a limit of
codes per person (or number) and window, 5 wrong attempts, 10 minutes to type
it, one use. What differs by purpose (the text of the message, the window and
its limit) is its `Policy`.
"""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ..adapters.sms import SmsError, mask_phone, send_sms
from ..identifiers import normalize_phone, phone_errors
from ..models import PhoneCode, PhoneCodePurpose, User

PHONE_CODE_DIGITS = 6
PHONE_CODE_TTL = datetime.timedelta(minutes=10)
PHONE_CODE_MAX_ATTEMPTS = 5
# At most this many codes to one person within PHONE_CODE_TTL (no SMS flooding).
PHONE_CODE_MAX_SENDS = 3
# A confirmation is good for one use within this time.
PHONE_CODE_CONFIRMATION_TTL = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Policy:
    # The SMS, in Vietnamese without diacritics (one GSM segment), with {code}.
    text: str
    # At most max_sends() codes to one person or number within `window`.
    window: datetime.timedelta
    max_sends: Callable[[], int]


POLICIES: dict[str, Policy] = {
    PhoneCodePurpose.FILE_FOR_CITIZEN: Policy(
        text=(
            "Cong Dich vu cong: ma xac nhan {code}. Doc ma nay cho thanh vien To "
            "cong nghe so cong dong dang ho tro neu ong/ba dong y de ho nop ho so "
            "giup. Ma het han sau 10 phut."
        ),
        window=PHONE_CODE_TTL,
        max_sends=lambda: PHONE_CODE_MAX_SENDS,
    ),
    PhoneCodePurpose.FEEDBACK_SENDER: Policy(
        text=(
            "Ma xac nhan gui phan anh, kien nghi tren Cong dich vu cong: {code}. "
            "Ma co hieu luc 10 phut. Khong dua ma cho nguoi khac."
        ),
        window=datetime.timedelta(hours=1),
        max_sends=lambda: int(settings.FEEDBACK_PHONE_CODES_PER_HOUR),
    ),
}


class PhoneCodeError(Exception):
    """The code cannot be sent or is not accepted; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _phone_code_hash(salt: str, code: str) -> str:
    # Keyed with SECRET_KEY: a copy of the table alone cannot be brute-forced.
    return salted_hmac(
        "accounts.PhoneCode", f"{salt}:{code}", algorithm="sha256"
    ).hexdigest()


def phone_code_send(
    *,
    purpose: str,
    user: User | None = None,
    phone: str = "",
    requested_by: User | None = None,
    now: datetime.datetime | None = None,
) -> PhoneCode:
    """Send a new 6-digit code to `user`'s phone, or to the bare number `phone`
    of someone without an account. For a user it replaces the unused codes the
    same person asked for the same purpose.

    Only the code's salted HMAC is stored (with the bare number, the only way to
    match the code later; a user's number is kept masked). The SMS goes out
    after the row is committed; if the gateway fails, the code is void and
    PhoneCodeError says so.
    """
    policy = POLICIES[purpose]
    now = now or timezone.now()
    number = normalize_phone(user.phone if user is not None else phone)
    if not number or phone_errors(number):
        raise PhoneCodeError(
            _(
                "Tài khoản của công dân chưa có số điện thoại di động hợp lệ, nên "
                "không gửi được mã. Hãy đề nghị công dân đến Bộ phận Một cửa."
            )
            if user is not None
            else _("Số điện thoại không phải số di động Việt Nam hợp lệ.")
        )
    mine = Q(user=user) if user is not None else Q(user=None, phone=number)
    recent = PhoneCode.objects.filter(mine, created_at__gt=now - policy.window).count()
    if recent >= policy.max_sends():
        raise PhoneCodeError(
            _(
                "Đã gửi %(count)d mã đến số này trong %(minutes)d phút; hãy chờ "
                "rồi gửi lại."
            )
            % {"count": recent, "minutes": int(policy.window.total_seconds() // 60)}
        )
    code = f"{secrets.randbelow(10**PHONE_CODE_DIGITS):0{PHONE_CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    with transaction.atomic():
        if user is not None:
            PhoneCode.objects.filter(
                user=user,
                requested_by=requested_by,
                purpose=purpose,
                confirmed_at__isnull=True,
                expires_at__gt=now,
            ).update(expires_at=now)
        challenge = PhoneCode.objects.create(
            user=user,
            phone="" if user is not None else number,
            requested_by=requested_by,
            purpose=purpose,
            phone_hint=mask_phone(number),
            salt=salt,
            code_hash=_phone_code_hash(salt, code),
            created_at=now,
            expires_at=now + PHONE_CODE_TTL,
        )
    try:
        message_id = send_sms(phone=number, text=policy.text.format(code=code))
    except SmsError as exc:
        PhoneCode.objects.filter(pk=challenge.pk).update(expires_at=now)
        raise PhoneCodeError(
            _("Không gửi được tin nhắn: %(reason)s Hãy thử lại sau ít phút.")
            % {"reason": exc.message}
        ) from exc
    challenge.message_id = message_id
    challenge.save(update_fields=["message_id"])
    return challenge


def phone_code_verify(
    *,
    challenge_id: Any,
    code: str,
    requested_by: User | None = None,
    phone: str = "",
    purpose: str = "",
    use: bool = False,
    now: datetime.datetime | None = None,
) -> PhoneCode:
    """Check the code read out or typed: the challenge is found by who asked for
    it (`requested_by`) or by the bare number (`phone`). A wrong code counts as
    an attempt (kept even though PhoneCodeError is raised); after 5 the code is
    void. With `use` the code is confirmed and used at once (nothing else to
    allow later); otherwise `phone_code_consume` uses the confirmation."""
    now = now or timezone.now()
    code = "".join(str(code or "").split())
    try:
        pk = int(challenge_id)
    except (TypeError, ValueError):
        pk = 0
    mine = (
        Q(requested_by=requested_by)
        if requested_by is not None
        else Q(user=None, phone=normalize_phone(phone) or "-")
    )
    if purpose:
        mine &= Q(purpose=purpose)
    problem = ""
    with transaction.atomic():
        challenge = PhoneCode.objects.select_for_update().filter(mine, pk=pk).first()
        if challenge is None:
            raise PhoneCodeError(_("Không tìm thấy mã xác nhận; hãy gửi mã mới."))
        if challenge.used_at is not None and use:
            problem = _("Mã này đã được dùng; hãy gửi mã mới.")
        elif challenge.confirmed_at is not None and not use:
            return challenge
        elif challenge.expires_at <= now:
            problem = _("Mã đã hết hạn (10 phút); hãy gửi mã mới.")
        elif challenge.attempts >= PHONE_CODE_MAX_ATTEMPTS:
            problem = _("Đã nhập sai %(count)d lần; hãy gửi mã mới.") % {
                "count": PHONE_CODE_MAX_ATTEMPTS
            }
        elif not constant_time_compare(
            _phone_code_hash(challenge.salt, code), challenge.code_hash
        ):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            left = PHONE_CODE_MAX_ATTEMPTS - challenge.attempts
            problem = (
                _("Mã không đúng; còn %(left)d lần thử.") % {"left": left}
                if left
                else _("Đã nhập sai %(count)d lần; hãy gửi mã mới.")
                % {"count": PHONE_CODE_MAX_ATTEMPTS}
            )
        else:
            challenge.confirmed_at = now
            if use:
                challenge.used_at = now
            challenge.save(update_fields=["confirmed_at", "used_at"])
    if problem:
        raise PhoneCodeError(problem)
    return challenge


def phone_code_consume(
    *,
    challenge_id: int | None,
    user: User,
    requested_by: User,
    purpose: str,
    now: datetime.datetime | None = None,
) -> PhoneCode:
    """Use a confirmed code once, within 30 minutes of its confirmation. Run it
    in the transaction of what it allows, so a failure leaves it unused."""
    now = now or timezone.now()
    challenge = (
        PhoneCode.objects.select_for_update()
        .filter(pk=challenge_id, user=user, requested_by=requested_by, purpose=purpose)
        .first()
        if challenge_id
        else None
    )
    if (
        challenge is None
        or challenge.confirmed_at is None
        or challenge.used_at is not None
    ):
        raise PhoneCodeError(
            _("Công dân chưa xác nhận bằng mã gửi đến điện thoại của mình.")
        )
    if challenge.confirmed_at + PHONE_CODE_CONFIRMATION_TTL < now:
        raise PhoneCodeError(_("Xác nhận của công dân đã quá 30 phút; hãy gửi mã mới."))
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    return challenge
