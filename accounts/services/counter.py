"""Citizens at the counter: an account made by staff for a citizen who is
present (the one-time codes with which they agree to a filing made for them
are in phone_codes.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..identifiers import normalize_phone, personal_id_errors, phone_errors
from ..models import (
    User,
)
from ..roles import Role
from .documents import data_access_record
from .users import user_create

# --- Citizens at the counter ---------------------------------------------------


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
