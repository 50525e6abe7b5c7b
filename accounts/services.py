"""Writes to accounts and roles, the citizen's profile, household and document
store, the data-access log and API tokens."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from units.models import AdminUnit

from .adapters.sms import SmsError, mask_phone, send_sms
from .identifiers import normalize_phone, personal_id_errors, phone_errors
from .models import (
    ApiToken,
    CitizenProfile,
    DataAccessLog,
    DocumentSource,
    HouseholdMember,
    IdentityLevel,
    PhoneCode,
    PhoneCodePurpose,
    StoredDocument,
    User,
)
from .roles import Role
from .uploads import inspect_upload, printable_text
from .uploads import sniff_content_type as sniff_content_type


def _role_permissions() -> dict[str, set[str]]:
    """Gather `role_permissions` from every installed app's config."""
    wanted: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[str(role)].update(perms)
    return wanted


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Create a group per role and give it exactly the permissions apps declare."""
    for role, perms in _role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        objects = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            objects.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(objects)


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role | str]) -> None:
    """Replace the user's roles."""
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    user.__dict__.pop("roles", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    roles: Iterable[Role | str],
    email: str = "",
    phone: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    identity_level: int = IdentityLevel.NONE,
    org_unit_id: int | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user with their roles (no password: cannot log in by password)."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        sex=sex,
        identity_level=identity_level,
        org_unit_id=org_unit_id,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_set_roles(user=user, roles=roles)
    return user


# --- Citizens -----------------------------------------------------------------


@transaction.atomic
def citizen_sign_up(
    *,
    personal_id: str,
    password: str,
    full_name: str,
    date_of_birth: datetime.date,
    sex: str,
    phone: str,
    email: str = "",
) -> User:
    """Create a citizen account whose username is their personal ID number."""
    errors = personal_id_errors(personal_id, date_of_birth=date_of_birth, sex=sex)
    if errors:
        raise ValidationError({"personal_id": errors})
    return user_create(
        username=personal_id,
        password=password,
        full_name=full_name,
        roles=[Role.CITIZEN],
        email=email,
        phone=normalize_phone(phone),
        date_of_birth=date_of_birth,
        sex=sex,
    )


@dataclass(frozen=True)
class IdentityClaims:
    """What an electronic-identity provider asserts about a person."""

    personal_id: str
    full_name: str
    date_of_birth: datetime.date
    sex: str
    identity_level: int
    phone: str = ""
    email: str = ""


class IdentityLinkError(Exception):
    """The provider's claims cannot log anyone in; the message says why."""


@transaction.atomic
def citizen_link_from_claims(*, claims: IdentityClaims) -> User:
    """Create or update the citizen account named by the claims' personal ID.

    The identity provider is authoritative for name, date of birth, sex and
    identity level; phone and email are only filled in when the account has none.
    Staff accounts never log in this way: they need their TOTP code.
    """
    errors = personal_id_errors(
        claims.personal_id, date_of_birth=claims.date_of_birth, sex=claims.sex
    )
    if errors:
        raise IdentityLinkError(" ".join(errors))
    if claims.identity_level not in (IdentityLevel.LEVEL_1, IdentityLevel.LEVEL_2):
        raise IdentityLinkError(
            _("Nhà cung cấp định danh không cho biết mức định danh của tài khoản.")
        )
    user = User.objects.select_for_update().filter(username=claims.personal_id).first()
    if user is None:
        return user_create(
            username=claims.personal_id,
            password=None,
            full_name=claims.full_name,
            roles=[Role.CITIZEN],
            email=claims.email,
            phone=normalize_phone(claims.phone) if claims.phone else "",
            date_of_birth=claims.date_of_birth,
            sex=claims.sex,
            identity_level=claims.identity_level,
        )
    if user.requires_otp:
        raise IdentityLinkError(
            _("Tài khoản cán bộ phải đăng nhập bằng mật khẩu và mã xác thực hai bước.")
        )
    if not user.is_active:
        raise IdentityLinkError(_("Tài khoản này đã bị khóa."))
    user.full_name = claims.full_name
    user.date_of_birth = claims.date_of_birth
    user.sex = claims.sex
    user.identity_level = claims.identity_level
    if not user.phone and claims.phone:
        user.phone = normalize_phone(claims.phone)
    if not user.email and claims.email:
        user.email = claims.email
    user.save()
    if not user.is_citizen:
        user_set_roles(user=user, roles=[*user.roles, Role.CITIZEN])
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    permanent_address: str,
    current_address: str,
    commune: AdminUnit | None,
    phone: str,
    email: str,
) -> CitizenProfile:
    """Save the citizen's addresses and contact details."""
    profile, _created = CitizenProfile.objects.get_or_create(user=user)
    profile.permanent_address = permanent_address
    profile.current_address = current_address
    profile.commune = commune
    profile.save()
    user.phone = normalize_phone(phone)
    user.email = email
    user.save(update_fields=["phone", "email"])
    return profile


def _household_member_check(member: HouseholdMember) -> None:
    if member.personal_id:
        errors = personal_id_errors(
            member.personal_id,
            date_of_birth=member.date_of_birth,
            sex=member.sex or None,
        )
        if errors:
            raise ValidationError({"personal_id": errors})
    member.full_clean()


@transaction.atomic
def household_member_add(
    *,
    owner: User,
    full_name: str,
    relation: str,
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    personal_id: str = "",
) -> HouseholdMember:
    """Declare a family member (spouse, child, parent) once for every form."""
    member = HouseholdMember(
        owner=owner,
        full_name=full_name,
        relation=relation,
        date_of_birth=date_of_birth,
        sex=sex,
        personal_id=personal_id,
    )
    _household_member_check(member)
    member.save()
    return member


@transaction.atomic
def household_member_update(
    *,
    member: HouseholdMember,
    full_name: str,
    relation: str,
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    personal_id: str = "",
) -> HouseholdMember:
    member.full_name = full_name
    member.relation = relation
    member.date_of_birth = date_of_birth
    member.sex = sex
    member.personal_id = personal_id
    _household_member_check(member)
    member.save()
    return member


@transaction.atomic
def household_member_delete(*, member: HouseholdMember) -> None:
    member.delete()


# --- Personal document store ----------------------------------------------------


@transaction.atomic
def stored_document_add(
    *,
    owner: User,
    doc_type: str,
    title: str,
    file: UploadedFile[bytes],
    number: str = "",
    issued_by: str = "",
    issued_on: datetime.date | None = None,
    source: str = DocumentSource.UPLOAD,
) -> StoredDocument:
    """Keep a document in the owner's store, with its checksum, size and type."""
    try:
        checked = inspect_upload(
            file,
            name=file.name or "",
            size=file.size or 0,
            max_bytes=settings.STORED_DOCUMENT_MAX_BYTES,
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    file.name = f"document.{checked.extension}"
    document = StoredDocument(
        owner=owner,
        doc_type=doc_type,
        # The title names the file wherever it is shown or attached.
        title=printable_text(title),
        number=number,
        issued_by=issued_by,
        issued_on=issued_on,
        file=file,
        content_type=checked.content_type,
        size=checked.size,
        checksum=checked.sha256,
        source=source,
    )
    document.full_clean(exclude=["file"])
    document.save()
    return document


@transaction.atomic
def stored_document_delete(*, document: StoredDocument) -> None:
    """Remove the document; its file goes once the deletion is committed."""
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Data-access log ------------------------------------------------------------


@transaction.atomic
def data_access_record(
    *, staff: User, citizen: User, obj_label: str, context: str
) -> DataAccessLog:
    """Note that a staff user opened a citizen's data (who, unit, what, why)."""
    return DataAccessLog.objects.create(
        staff=staff,
        staff_unit_id=staff.org_unit_id,
        citizen=citizen,
        obj_label=obj_label[:200],
        context=context[:255],
    )


# --- API tokens -----------------------------------------------------------------


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """A new API token for the user; the clear key is returned once, never kept."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=api_token_hash(key),
        expires_at=timezone.now()
        + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return key


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
