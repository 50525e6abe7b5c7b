"""Citizens at the counter: an account made by staff for a citizen who is
present, and the one-time codes sent by SMS with which they agree to a
filing made for them."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..adapters.sms import SmsError, mask_phone, send_sms
from ..identifiers import normalize_phone, personal_id_errors, phone_errors
from ..models import (
    PhoneCode,
    PhoneCodePurpose,
    User,
)
from ..roles import Role
from .documents import data_access_record
from .users import user_create

# --- Citizens at the counter, one-time codes by SMS ----------------------------


@transaction.atomic
def citizen_register_assisted(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: datetime.date,
    sex: str,
    phone: str,
    registered_by: User,
    email: str = "",
) -> User:
    """A citizen account created by staff for a citizen who is present, e.g. at
    the one-stop counter. It has no password: the citizen logs in with their
    electronic identity, or sets a password through "forgot password"."""
    errors: dict[str, list[str]] = {}
    id_errors = personal_id_errors(personal_id, date_of_birth=date_of_birth, sex=sex)
    if id_errors:
        errors["personal_id"] = id_errors
    elif User.objects.filter(username=personal_id).exists():
        errors["personal_id"] = [_("Số định danh này đã có tài khoản.")]
    if phone_errors(phone):
        errors["phone"] = phone_errors(phone)
    if errors:
        raise ValidationError(errors)
    user = user_create(
        username=personal_id,
        password=None,
        full_name=full_name.strip(),
        roles=[Role.CITIZEN],
        email=email,
        phone=normalize_phone(phone),
        date_of_birth=date_of_birth,
        sex=sex,
    )
    data_access_record(
        staff=registered_by,
        citizen=user,
        # Stored in the source language, shown translated on the account page.
        obj_label=gettext_noop("Tài khoản công dân"),
        context="tạo tài khoản cho công dân có mặt tại quầy",
    )
    return user


PHONE_CODE_DIGITS = 6
PHONE_CODE_TTL = datetime.timedelta(minutes=10)
PHONE_CODE_MAX_ATTEMPTS = 5
# At most this many codes to one person within PHONE_CODE_TTL (no SMS flooding).
PHONE_CODE_MAX_SENDS = 3
# A confirmation is good for one use within this time.
PHONE_CODE_CONFIRMATION_TTL = datetime.timedelta(minutes=30)

_PHONE_CODE_TEXTS: dict[str, str] = {
    # Official text in Vietnamese without diacritics: one GSM segment.
    PhoneCodePurpose.FILE_FOR_CITIZEN: (
        "Cong Dich vu cong: ma xac nhan {code}. Doc ma nay cho thanh vien To cong "
        "nghe so cong dong dang ho tro neu ong/ba dong y de ho nop ho so giup. "
        "Ma het han sau 10 phut."
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
    user: User,
    requested_by: User,
    purpose: str,
    now: datetime.datetime | None = None,
) -> PhoneCode:
    """Send a new 6-digit code to `user`'s phone; it replaces their unused ones.

    Only the code's salted HMAC is stored. The SMS goes out after the row is
    committed; if the gateway fails, the code is void and PhoneCodeError says so.
    """
    now = now or timezone.now()
    phone = normalize_phone(user.phone)
    if not phone or phone_errors(phone):
        raise PhoneCodeError(
            _(
                "Tài khoản của công dân chưa có số điện thoại di động hợp lệ, nên "
                "không gửi được mã. Hãy đề nghị công dân đến Bộ phận Một cửa."
            )
        )
    recent = PhoneCode.objects.filter(
        user=user, created_at__gt=now - PHONE_CODE_TTL
    ).count()
    if recent >= PHONE_CODE_MAX_SENDS:
        raise PhoneCodeError(
            _("Đã gửi %(count)d mã trong 10 phút; hãy chờ rồi gửi lại.")
            % {"count": recent}
        )
    code = f"{secrets.randbelow(10**PHONE_CODE_DIGITS):0{PHONE_CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    with transaction.atomic():
        PhoneCode.objects.filter(
            user=user,
            requested_by=requested_by,
            purpose=purpose,
            confirmed_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        challenge = PhoneCode.objects.create(
            user=user,
            requested_by=requested_by,
            purpose=purpose,
            phone_hint=mask_phone(phone),
            salt=salt,
            code_hash=_phone_code_hash(salt, code),
            created_at=now,
            expires_at=now + PHONE_CODE_TTL,
        )
    try:
        message_id = send_sms(
            phone=phone, text=_PHONE_CODE_TEXTS[purpose].format(code=code)
        )
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
    challenge_id: int,
    requested_by: User,
    code: str,
    now: datetime.datetime | None = None,
) -> PhoneCode:
    """Check the code the citizen read out. A wrong code counts as an attempt
    (kept even though PhoneCodeError is raised); after 5 the code is void."""
    now = now or timezone.now()
    code = "".join(code.split())
    problem = ""
    with transaction.atomic():
        challenge = (
            PhoneCode.objects.select_for_update()
            .filter(pk=challenge_id, requested_by=requested_by)
            .first()
        )
        if challenge is None:
            raise PhoneCodeError(_("Không tìm thấy mã xác nhận; hãy gửi mã mới."))
        if challenge.confirmed_at is not None:
            return challenge
        if challenge.expires_at <= now:
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
            challenge.save(update_fields=["confirmed_at"])
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
