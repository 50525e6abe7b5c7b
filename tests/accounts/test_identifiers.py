import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.identifiers import (
    PROVINCE_CODES,
    century_sex_digit,
    normalize_phone,
    personal_id_errors,
    phone_errors,
    validate_personal_id,
)

BORN_1985 = datetime.date(1985, 3, 12)
BORN_2024 = datetime.date(2024, 5, 1)


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("036085012345", BORN_1985, "male"),
        ("036185012345", BORN_1985, "female"),
        ("001224000001", BORN_2024, "male"),
        ("079324999999", BORN_2024, "female"),
    ],
)
def test_valid_numbers(number, born, sex):
    assert personal_id_errors(number, date_of_birth=born, sex=sex) == []


def test_wrong_province_is_named():
    assert personal_id_errors("099085012345") == ["Mã tỉnh 099 không hợp lệ."]


def test_wrong_century_digit_for_the_birth_date():
    [error] = personal_id_errors("036285012345", date_of_birth=BORN_1985, sex="male")

    assert "Chữ số thứ 4 là 2" in error
    assert "phải có chữ số 0" in error


def test_wrong_sex_digit():
    [error] = personal_id_errors("036085012345", date_of_birth=BORN_1985, sex="female")

    assert "phải có chữ số 1" in error


def test_wrong_year_digits():
    [error] = personal_id_errors("036086012345", date_of_birth=BORN_1985, sex="male")

    assert "hai số cuối của năm sinh (85)" in error


@pytest.mark.parametrize("number", ["03608501234", "0360850123456", ""])
def test_wrong_length(number):
    [error] = personal_id_errors(number)

    assert "12 chữ số" in error or "chỉ gồm chữ số" in error


@pytest.mark.parametrize("number", ["03608501234A", "036 085 012 345", "-36085012345"])
def test_non_digits(number):
    assert personal_id_errors(number) == [
        "Số định danh cá nhân chỉ gồm chữ số, không có chữ cái hay dấu cách."
    ]


def test_several_problems_are_all_reported():
    errors = personal_id_errors("099286012345", date_of_birth=BORN_1985, sex="male")

    assert len(errors) == 3


def test_django_validator_raises_with_the_messages():
    with pytest.raises(ValidationError) as excinfo:
        validate_personal_id("099085012345")

    assert excinfo.value.messages == ["Mã tỉnh 099 không hợp lệ."]


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    born=st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)),
    sex=st.sampled_from(["male", "female"]),
    tail=st.integers(0, 999_999),
)
def test_any_number_built_by_the_rule_is_valid(province, born, sex, tail):
    number = (
        f"{province}{century_sex_digit(birth_year=born.year, sex=sex)}"
        f"{born.year % 100:02d}{tail:06d}"
    )

    assert personal_id_errors(number, date_of_birth=born, sex=sex) == []


@given(st.text(max_size=20))
def test_the_validator_never_crashes(text):
    assert isinstance(personal_id_errors(text), list)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
    ],
)
def test_phone_numbers_are_normalised(raw, normal):
    assert normalize_phone(raw) == normal
    assert phone_errors(raw) == []


@pytest.mark.parametrize("raw", ["0212345678", "091234567", "09123456789", "abc", ""])
def test_bad_phone_numbers_are_refused_with_an_example(raw):
    [error] = phone_errors(raw)

    assert "0912345678" in error


# --- Properties: building, decoding, single-digit changes ---------------------------

valid_parts = st.fixed_dictionaries(
    {
        "province": st.sampled_from(sorted(PROVINCE_CODES)),
        "born": st.dates(datetime.date(1900, 1, 1), datetime.date(2399, 12, 31)),
        "sex": st.sampled_from(["male", "female"]),
        "tail": st.integers(0, 999_999),
    }
)


def build(parts):
    year = parts["born"].year
    century = century_sex_digit(birth_year=year, sex=parts["sex"])
    return f"{parts['province']}{century}{year % 100:02d}{parts['tail']:06d}"


@given(
    parts=valid_parts,
    other_day=st.dates(datetime.date(1900, 1, 1), datetime.date(2399, 12, 31)),
    other_sex=st.sampled_from(["male", "female"]),
)
def test_a_number_decodes_to_exactly_the_birth_year_and_sex_it_was_built_from(
    parts, other_day, other_sex
):
    number = build(parts)

    validate_personal_id(number)  # raises ValidationError when invalid
    assert (
        personal_id_errors(number, date_of_birth=parts["born"], sex=parts["sex"]) == []
    )
    # Another date of the same year and the same sex: still this number's owner;
    # anything else (other year, other century, other sex) is refused.
    same_owner = other_day.year == parts["born"].year and other_sex == parts["sex"]
    errors = personal_id_errors(number, date_of_birth=other_day, sex=other_sex)
    assert (errors == []) == same_owner
    # Without the sex, the year alone decides.
    errors = personal_id_errors(number, date_of_birth=other_day)
    assert (errors == []) == (other_day.year == parts["born"].year)


@given(parts=valid_parts, position=st.integers(0, 3), shift=st.integers(1, 9))
def test_changing_one_province_or_century_digit_is_refused_or_decodes_differently(
    parts, position, shift
):
    number = build(parts)
    digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + digit + number[position + 1 :]

    errors = personal_id_errors(changed, date_of_birth=parts["born"], sex=parts["sex"])

    if position < 3:
        # Another province: accepted only if it is a real one (a different
        # place of registration), never silently the same.
        assert changed[:3] != number[:3]
        assert (errors == []) == (changed[:3] in PROVINCE_CODES)
    else:
        # The century/sex digit is tied to the birth year and sex.
        assert errors != []


@given(
    number=st.text(alphabet="0123456789", min_size=12, max_size=12),
    born=st.one_of(
        st.none(), st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    ),
    sex=st.one_of(st.none(), st.sampled_from(["male", "female", "", "x"])),
)
def test_the_validator_never_crashes_on_any_twelve_digits_and_any_date(
    number, born, sex
):
    errors = personal_id_errors(number, date_of_birth=born, sex=sex)

    assert all(isinstance(error, str) and error for error in errors)
