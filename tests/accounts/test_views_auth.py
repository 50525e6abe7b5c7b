"""Password login, the TOTP step for staff, lockout, sign-up, password reset."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from tests.accounts.factories import (
    PASSWORD,
    TOTPDeviceFactory,
    UserFactory,
    current_totp,
)

LOGIN = reverse("accounts:login")
OTP = reverse("accounts:login-otp")
STAFF_HOME = reverse("portal:staff-home")


def _password_step(client, user, password=PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


# --- Citizens -------------------------------------------------------------------


def test_citizen_logs_in_with_personal_id_and_password(client, citizen):
    response = _password_step(client, citizen)

    assert response.headers["Location"] == reverse("accounts:account-home")
    assert client.get(reverse("accounts:account-home")).status_code == 200


@pytest.mark.django_db
def test_unknown_user_and_wrong_password_get_the_same_message(client, citizen):
    unknown = client.post(LOGIN, {"username": "036099999999", "password": "x" * 10})
    wrong = _password_step(client, citizen, password="sai-mat-khau")

    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == (
        wrong.context["form"].non_field_errors()
    )
    assert "không đúng" in wrong.text


def test_login_does_not_redirect_off_site(client, citizen):
    response = client.post(
        LOGIN,
        {
            "username": citizen.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response.headers["Location"] == reverse("accounts:account-home")


# --- Staff: TOTP step -----------------------------------------------------------


def test_staff_password_alone_does_not_log_in(client, officer):
    TOTPDeviceFactory(user=officer)

    response = _password_step(client, officer)

    assert response.headers["Location"] == OTP
    assert "_auth_user_id" not in client.session
    assert client.get(STAFF_HOME).status_code == 302


def test_staff_with_the_current_code_reaches_staff_pages(client, officer):
    device = TOTPDeviceFactory(user=officer)
    _password_step(client, officer)

    response = client.post(OTP, {"otp": current_totp(device)})

    assert response.status_code == 302
    assert client.get(STAFF_HOME).status_code == 200


def test_wrong_code_is_refused(client, officer):
    TOTPDeviceFactory(user=officer)
    _password_step(client, officer)

    response = client.post(OTP, {"otp": "000000"})

    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.text
    assert client.get(STAFF_HOME).status_code == 302


def test_officer_without_a_confirmed_device_is_refused(client, officer):
    TOTPDeviceFactory(user=officer, confirmed=False)
    _password_step(client, officer)

    response = client.get(OTP)

    assert response.status_code == 403
    assert "Chưa có thiết bị xác thực hai bước" in response.text
    assert client.get(STAFF_HOME).status_code == 302


def test_the_totp_step_expires(client, officer):
    device = TOTPDeviceFactory(user=officer)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)):
        _password_step(client, officer)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 6, tzinfo=datetime.UTC)):
        response = client.post(OTP, {"otp": current_totp(device)})

    assert response.headers["Location"] == LOGIN


def test_otp_step_without_password_step_goes_to_login(client, db):
    assert client.get(OTP).headers["Location"] == LOGIN


def test_every_staff_role_needs_the_totp_step(client, unit_a):
    for role in [Role.SPECIALIST, Role.LEADER, Role.DIGITAL_TEAM, Role.ADMINISTRATOR]:
        user = UserFactory(roles=[role], org_unit=unit_a)
        assert _password_step(client, user).headers["Location"] == OTP


def test_admin_site_requires_a_verified_session(client, admin_user, login_staff):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 302

    client.logout()
    login_staff(client, admin_user)
    assert client.get("/admin/").status_code == 200


# --- Lockout ------------------------------------------------------------------


@pytest.mark.django_db
def test_five_failures_lock_the_username_and_ip_out(client, citizen):
    for _ in range(4):
        assert _password_step(client, citizen, password="sai").status_code == 200

    fifth = _password_step(client, citizen, password="sai")
    right_password = _password_step(client, citizen)

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    assert "tạm khóa 15 phút" in right_password.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_usernames_are_locked_out_the_same_way(client):
    for _ in range(5):
        response = client.post(LOGIN, {"username": "khongco", "password": "sai"})

    assert response.status_code == 429


@pytest.mark.django_db
def test_lockout_ends_after_fifteen_minutes(client, citizen):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _password_step(client, citizen, password="sai")
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert _password_step(client, citizen).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert _password_step(client, citizen).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_ip(client, citizen):
    for _ in range(5):
        _password_step(client, citizen, password="sai")

    other_ip = client.post(
        LOGIN,
        {"username": citizen.username, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )

    assert other_ip.status_code == 302


def test_wrong_totp_codes_count_toward_the_lockout(client, officer):
    TOTPDeviceFactory(user=officer)
    _password_step(client, officer)
    # django-otp's own throttle slows guessing down; the lockout ends it.
    TOTPDevice.objects.update(throttling_failure_count=0)
    for _ in range(5):
        response = client.post(OTP, {"otp": "000000"})
        TOTPDevice.objects.update(throttling_failure_count=0)

    assert response.status_code == 429


# --- Sign-up ------------------------------------------------------------------

SIGNUP = reverse("accounts:signup")
VALID = {
    "personal_id": "036190001234",
    "full_name": "Phạm Thị Dung",
    "date_of_birth": "1990-05-17",
    "sex": "female",
    "phone": "+84 912 000 111",
    "email": "dung@example.com",
    "password1": "Hoa-sen-2024!",
    "password2": "Hoa-sen-2024!",
}


@pytest.mark.django_db
def test_citizen_signs_up_with_a_valid_personal_id(client):
    response = client.post(SIGNUP, VALID)

    assert response.headers["Location"] == reverse("accounts:account-home")
    user = User.objects.get(username="036190001234")
    assert user.is_citizen
    assert user.phone == "0912000111"
    assert user.identity_level == 0
    assert user.check_password("Hoa-sen-2024!")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"personal_id": "099190001234"}, "Mã tỉnh 099 không hợp lệ"),
        ({"personal_id": "036290001234"}, "Chữ số thứ 4 là 2"),
        ({"sex": "male"}, "phải có chữ số 0"),
        ({"date_of_birth": "1991-05-17"}, "hai số cuối của năm sinh (91)"),
        ({"personal_id": "03619000123"}, "đúng 12 chữ số"),
        ({"personal_id": "03619000123A"}, "chỉ gồm chữ số"),
        ({"phone": "0212345678"}, "bắt đầu bằng 03, 05, 07, 08"),
        ({"password2": "khac-han-2024"}, "không khớp"),
        ({"password1": "12345678", "password2": "12345678"}, "password"),
    ],
)
def test_sign_up_names_each_wrong_part_and_keeps_the_input(client, change, message):
    response = client.post(SIGNUP, VALID | change)

    assert response.status_code == 200
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert "Phạm Thị Dung" in response.text
    assert not User.objects.filter(full_name="Phạm Thị Dung").exists()


def test_sign_up_with_a_number_that_has_an_account(client, citizen):
    response = client.post(SIGNUP, VALID | {"personal_id": citizen.username})

    assert "đã có tài khoản" in response.text


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_client(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    bad = VALID | {"personal_id": "099190001234"}
    client.post(SIGNUP, bad)
    client.post(SIGNUP, bad)

    response = client.post(SIGNUP, VALID)

    assert response.status_code == 429
    assert not User.objects.filter(username=VALID["personal_id"]).exists()


# --- Password reset -----------------------------------------------------------

RESET = reverse("accounts:password-reset")


def test_password_reset_by_email(client, citizen):
    citizen.email = "cong@example.com"
    citizen.save()

    response = client.post(RESET, {"email": "cong@example.com"})

    assert response.headers["Location"] == reverse("accounts:password-reset-done")
    [message] = mail.outbox
    link = re.search(
        r"http://testserver(/accounts/password-reset/\S+)", str(message.body)
    )
    assert link
    page = client.get(link[1], follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"},
    )
    assert response.headers["Location"] == reverse("accounts:password-reset-complete")
    citizen.refresh_from_db()
    assert citizen.check_password("Mat-khau-moi-2025")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post(RESET, {"email": "nobody@example.com"})

    assert response.headers["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_is_rate_limited(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    for n in range(2):
        client.post(RESET, {"email": f"a{n}@example.com"})

    assert client.post(RESET, {"email": "b@example.com"}).status_code == 429
