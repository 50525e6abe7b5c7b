"""The citizen's own account: sign-up, the link to their electronic identity,
profile and household."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import AdminUnit

from ..identifiers import normalize_phone, personal_id_errors
from ..models import (
    CitizenProfile,
    HouseholdMember,
    IdentityLevel,
    User,
)
from ..roles import Role
from .users import user_create, user_set_roles

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
