"""Validators for Vietnamese personal identifiers (facts: identifiers.md).

Pure functions with no database access, so the catalogue's form schemas, sign-up
forms and the API all check a personal ID number or a phone number the same way.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes of the personal ID number: the 63 provinces before the 2025
# merger, i.e. GSO province codes padded to 3 digits (TT 59/2021/TT-BCA art. 4).
# Numbers keep their prefix for life, so the old list stays valid after 2025.
PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
        33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
        62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
        92, 93, 94, 95, 96,
    )
)  # fmt: skip

MALE = "male"
FEMALE = "female"


def century_sex_digit(*, birth_year: int, sex: str) -> str:
    """The 4th digit: 0/1 for 1900-1999 (male/female), 2/3 for 2000-2099, ..."""
    century_index = (birth_year - 1900) // 100
    return str(century_index * 2 + (1 if sex == FEMALE else 0))


def personal_id_errors(
    number: str,
    *,
    date_of_birth: datetime.date | None = None,
    sex: str | None = None,
) -> list[str]:
    """Every problem with `number`, each in one clear sentence (empty = valid).

    With the date of birth (and sex), the century/sex digit and the two year
    digits must agree with them.
    """
    if not re.fullmatch(r"\d+", number or ""):
        return [
            _("Số định danh cá nhân chỉ gồm chữ số, không có chữ cái hay dấu cách.")
        ]
    if len(number) != 12:
        return [
            _("Số định danh cá nhân phải có đúng 12 chữ số (đang có %(count)d).")
            % {"count": len(number)}
        ]
    errors = []
    province = number[:3]
    if province not in PROVINCE_CODES:
        errors.append(_("Mã tỉnh %(code)s không hợp lệ.") % {"code": province})
    if date_of_birth is not None:
        year = date_of_birth.year
        if not 1900 <= year <= 2399:
            errors.append(_("Năm sinh %(year)d nằm ngoài phạm vi.") % {"year": year})
            return errors
        digit = number[3]
        if sex in (MALE, FEMALE):
            expected = century_sex_digit(birth_year=year, sex=sex)
            if digit != expected:
                errors.append(
                    _(
                        "Chữ số thứ 4 là %(digit)s nhưng người %(sex)s sinh năm "
                        "%(year)d phải có chữ số %(expected)s (mã thế kỷ và giới tính)."
                    )
                    % {
                        "digit": digit,
                        "sex": _("nam") if sex == MALE else _("nữ"),
                        "year": year,
                        "expected": expected,
                    }
                )
        elif digit not in {
            century_sex_digit(birth_year=year, sex=MALE),
            century_sex_digit(birth_year=year, sex=FEMALE),
        }:
            errors.append(
                _(
                    "Chữ số thứ 4 là %(digit)s, không khớp với thế kỷ của năm sinh "
                    "%(year)d."
                )
                % {"digit": digit, "year": year}
            )
        if number[4:6] != f"{year % 100:02d}":
            errors.append(
                _(
                    "Chữ số thứ 5 và 6 là %(digits)s nhưng phải là hai số cuối của "
                    "năm sinh (%(expected)s)."
                )
                % {"digits": number[4:6], "expected": f"{year % 100:02d}"}
            )
    return errors


def validate_personal_id(value: str) -> None:
    """Django validator for the structure of the number alone."""
    errors = personal_id_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_personal_id")


_MOBILE = re.compile(r"0[35789]\d{8}")


def normalize_phone(value: str) -> str:
    """'+84 912 345 678', '84912345678' and '0912.345.678' become '0912345678'."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def phone_errors(value: str) -> list[str]:
    """Problems with a Vietnamese mobile number (empty list = valid)."""
    if _MOBILE.fullmatch(normalize_phone(value)):
        return []
    return [
        _(
            "Số điện thoại di động phải có 10 chữ số, bắt đầu bằng 03, 05, 07, 08 "
            "hoặc 09 (ví dụ 0912345678)."
        )
    ]
