"""The SMS adapter, one-time codes sent by SMS, accounts created at the counter and
the test SMS inbox."""

import datetime
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.adapters import sms
from accounts.checks import sms_settings_check
from accounts.models import OutboundSms, PhoneCode, PhoneCodePurpose, Sex, User
from accounts.roles import Role
from accounts.services import PhoneCodeError
from tests.a11y import accessibility_problems
from tests.accounts.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

FILING = PhoneCodePurpose.FILE_FOR_CITIZEN


@pytest.fixture(autouse=True)
def _development_gateway(settings):
    settings.SMS_BACKEND = "accounts.adapters.sms.DatabaseSmsBackend"
    settings.SMS_DEV_LATENCY_MS = 0
    settings.SMS_DEV_FAILURE_RATE = 0.0


@pytest.fixture
def helper(unit_a):
    return UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)


@pytest.fixture
def resident(db):
    return CitizenFactory(full_name="Phạm Văn Dân", phone="0912345678")


def sent_code() -> str:
    text = OutboundSms.objects.first().text
    return re.search(r"\b(\d{6})\b", text).group(1)


# --- The adapter ----------------------------------------------------------------


def test_the_development_gateway_keeps_the_message(caplog):
    caplog.set_level(logging.INFO, logger="accounts.adapters.sms")

    message_id = sms.send_sms(phone="+84 912 345 678", text="Ma xac nhan 123456")

    stored = OutboundSms.objects.get()
    assert stored.message_id == message_id
    assert stored.phone == "0912345678"
    assert stored.text == "Ma xac nhan 123456"
    # Neither the number nor the text reaches the log in clear.
    assert "sms sent" in caplog.text
    assert "345678" not in caplog.text
    assert "123456" not in caplog.text


def test_a_number_no_gateway_would_take_is_refused():
    with pytest.raises(sms.SmsError):
        sms.send_sms(phone="0212345678", text="Xin chao")

    assert not OutboundSms.objects.exists()


def test_the_setting_chooses_the_backend(settings):
    settings.SMS_BACKEND = "accounts.adapters.sms.FailingSmsBackend"

    with pytest.raises(sms.SmsError):
        sms.send_sms(phone="0912345678", text="Xin chao")

    assert not OutboundSms.objects.exists()


def test_the_development_gateway_fails_and_waits_as_configured(settings, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("accounts.adapters.sms.time.sleep", slept.append)
    settings.SMS_DEV_LATENCY_MS = 300

    sms.send_sms(phone="0912345678", text="Xin chao")
    settings.SMS_DEV_FAILURE_RATE = 1.0
    with pytest.raises(sms.SmsError):
        sms.send_sms(phone="0912345678", text="Xin chao")

    assert slept == [0.3, 0.3]
    assert OutboundSms.objects.count() == 1


def test_the_development_gateway_in_production_is_flagged(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False

    assert [p.id for p in sms_settings_check(None)] == ["accounts.W002"]

    settings.SMS_BACKEND = "portal.sms.RealGateway"
    assert sms_settings_check(None) == []


# --- One-time codes ---------------------------------------------------------------


def test_a_code_is_six_digits_sent_by_sms_and_kept_only_as_a_hash(resident, helper):
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )

    code = sent_code()
    assert OutboundSms.objects.get().phone == "0912345678"
    assert challenge.phone_hint == "09*****678"
    row = PhoneCode.objects.filter(pk=challenge.pk).values()[0]
    assert not any(code in str(value) for value in row.values())
    assert challenge.expires_at - challenge.created_at == datetime.timedelta(minutes=10)


def test_the_right_code_confirms_once_and_is_used_once(resident, helper):
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )

    services.phone_code_verify(
        challenge_id=challenge.pk, requested_by=helper, code=sent_code()
    )
    services.phone_code_consume(
        challenge_id=challenge.pk, user=resident, requested_by=helper, purpose=FILING
    )

    with pytest.raises(PhoneCodeError):
        services.phone_code_consume(
            challenge_id=challenge.pk,
            user=resident,
            requested_by=helper,
            purpose=FILING,
        )


def test_a_wrong_code_counts_and_five_void_the_code(resident, helper):
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )
    right = sent_code()
    wrong = f"{(int(right) + 1) % 1000000:06d}"

    for left in (4, 3, 2, 1):
        with pytest.raises(PhoneCodeError, match=f"còn {left} lần"):
            services.phone_code_verify(
                challenge_id=challenge.pk, requested_by=helper, code=wrong
            )
    with pytest.raises(PhoneCodeError, match="sai 5 lần"):
        services.phone_code_verify(
            challenge_id=challenge.pk, requested_by=helper, code=wrong
        )
    with pytest.raises(PhoneCodeError, match="sai 5 lần"):
        services.phone_code_verify(
            challenge_id=challenge.pk, requested_by=helper, code=right
        )

    challenge.refresh_from_db()
    assert challenge.attempts == 5
    assert challenge.confirmed_at is None


def test_a_code_expires_after_ten_minutes(resident, helper, time_machine):
    time_machine.move_to("2026-03-09 09:00 +07:00", tick=False)
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )

    time_machine.move_to("2026-03-09 09:10:01 +07:00", tick=False)
    with pytest.raises(PhoneCodeError, match="hết hạn"):
        services.phone_code_verify(
            challenge_id=challenge.pk, requested_by=helper, code=sent_code()
        )


def test_a_confirmation_is_good_for_thirty_minutes(resident, helper, time_machine):
    time_machine.move_to("2026-03-09 09:00 +07:00", tick=False)
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )
    services.phone_code_verify(
        challenge_id=challenge.pk, requested_by=helper, code=sent_code()
    )

    time_machine.move_to("2026-03-09 09:31 +07:00", tick=False)
    with pytest.raises(PhoneCodeError, match="30 phút"):
        services.phone_code_consume(
            challenge_id=challenge.pk,
            user=resident,
            requested_by=helper,
            purpose=FILING,
        )


def test_only_the_helper_who_asked_can_use_the_code(resident, helper, unit_a):
    other_helper = UserFactory(roles=[Role.DIGITAL_TEAM], org_unit=unit_a)
    challenge = services.phone_code_send(
        user=resident, requested_by=helper, purpose=FILING
    )

    with pytest.raises(PhoneCodeError):
        services.phone_code_verify(
            challenge_id=challenge.pk, requested_by=other_helper, code=sent_code()
        )


def test_a_new_code_replaces_the_unused_one(resident, helper):
    first = services.phone_code_send(user=resident, requested_by=helper, purpose=FILING)
    first_code = sent_code()
    services.phone_code_send(user=resident, requested_by=helper, purpose=FILING)

    with pytest.raises(PhoneCodeError, match="hết hạn"):
        services.phone_code_verify(
            challenge_id=first.pk, requested_by=helper, code=first_code
        )


def test_no_more_than_three_codes_in_ten_minutes(resident, helper):
    for _i in range(3):
        services.phone_code_send(user=resident, requested_by=helper, purpose=FILING)

    with pytest.raises(PhoneCodeError, match="3 mã"):
        services.phone_code_send(user=resident, requested_by=helper, purpose=FILING)
    assert OutboundSms.objects.count() == 3


def test_a_gateway_failure_voids_the_code(resident, helper, settings):
    settings.SMS_BACKEND = "accounts.adapters.sms.FailingSmsBackend"

    with pytest.raises(PhoneCodeError, match="Không gửi được tin nhắn"):
        services.phone_code_send(user=resident, requested_by=helper, purpose=FILING)

    challenge = PhoneCode.objects.get()
    assert challenge.expires_at == challenge.created_at


def test_no_code_without_a_mobile_number(helper):
    no_phone = CitizenFactory(phone="")

    with pytest.raises(PhoneCodeError, match="số điện thoại"):
        services.phone_code_send(user=no_phone, requested_by=helper, purpose=FILING)
    assert not PhoneCode.objects.exists()


# --- Accounts created at the counter ------------------------------------------------


def test_a_citizen_registered_at_the_counter_has_no_password(officer):
    user = services.citizen_register_assisted(
        personal_id="036190001234",
        full_name="Đặng Thị Hồng ",
        date_of_birth=datetime.date(1990, 5, 1),
        sex=Sex.FEMALE,
        phone="0987 654 321",
        registered_by=officer,
    )

    assert user.is_citizen
    assert user.full_name == "Đặng Thị Hồng"
    assert user.phone == "0987654321"
    assert not user.has_usable_password()
    assert user.data_accesses.get().staff == officer


def test_registration_checks_the_id_against_birth_and_sex(officer, citizen):
    with pytest.raises(ValidationError) as caught:
        services.citizen_register_assisted(
            personal_id="036090001234",  # 0 = a man; she is a woman
            full_name="Đặng Thị Hồng",
            date_of_birth=datetime.date(1990, 5, 1),
            sex=Sex.FEMALE,
            phone="12345",
            registered_by=officer,
        )
    assert set(caught.value.message_dict) == {"personal_id", "phone"}

    with pytest.raises(ValidationError, match="đã có tài khoản"):
        services.citizen_register_assisted(
            personal_id=citizen.username,
            full_name=citizen.full_name,
            date_of_birth=citizen.date_of_birth,
            sex=citizen.sex,
            phone="0912345678",
            registered_by=officer,
        )
    assert User.objects.filter(username="036090001234").count() == 0


# --- The test SMS inbox -------------------------------------------------------------


def test_the_inbox_shows_messages_in_demo_mode_with_numbers_masked(
    client, settings, citizen
):
    settings.DEMO_MODE = True
    citizen.phone = "0912345678"
    citizen.save(update_fields=["phone"])
    sms.send_sms(phone="0912345678", text="Ma xac nhan 654321")
    client.force_login(citizen)

    response = client.get(reverse("accounts:sms-outbox"))

    assert response.status_code == 200
    assert accessibility_problems(response.text) == []
    assert "Ma xac nhan 654321" in response.text
    assert "09*****678" in response.text
    assert "0912345678" not in response.text


def test_a_citizen_never_reads_the_codes_sent_to_another_phone(
    client, settings, citizen, other_citizen, officer, login_staff
):
    settings.DEMO_MODE = True
    sms.send_sms(phone=other_citizen.phone, text="Ma xac nhan 777888")
    client.force_login(citizen)

    assert "777888" not in client.get(reverse("accounts:sms-outbox")).text

    # At a demo counter, the officer reads the code the citizen before them got.
    client.logout()
    login_staff(client, officer)
    assert "777888" in client.get(reverse("accounts:sms-outbox")).text


def test_the_inbox_does_not_exist_in_production(client, settings, citizen):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    client.force_login(citizen)

    assert client.get(reverse("accounts:sms-outbox")).status_code == 404


def test_the_inbox_needs_a_login(client, settings):
    settings.DEMO_MODE = True

    assert client.get(reverse("accounts:sms-outbox")).status_code == 302


def test_administrators_read_messages_in_the_admin(client, admin_user, login_staff):
    sms.send_sms(phone="0912345678", text="Ma xac nhan 111222")
    login_staff(client, admin_user)

    listing = client.get("/admin/accounts/outboundsms/")

    assert listing.status_code == 200
    assert "Ma xac nhan 111222" in listing.text
    assert client.get("/admin/accounts/outboundsms/add/").status_code == 403
