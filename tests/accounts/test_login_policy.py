"""The login policy (issue 19, point 4): with CITIZEN_EID_LOGIN_ONLY, citizens
log in by electronic identity only; the password login stays the staff's."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.policy import password_login_allowed
from portal.checks import login_policy_check
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
EID_ONLY = "Công dân đăng nhập bằng tài khoản định danh điện tử (VNeID)"


@pytest.fixture
def eid_only(settings):
    settings.CITIZEN_EID_LOGIN_ONLY = True
    settings.IDP_ENABLED = True
    return settings


def test_by_default_a_citizen_still_logs_in_with_a_password(client, citizen):
    response = client.post(LOGIN, {"username": citizen.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(citizen.pk)


def test_a_citizens_right_password_opens_nothing_and_says_where_to_go(
    client, citizen, eid_only
):
    response = client.post(LOGIN, {"username": citizen.username, "password": PASSWORD})

    assert response.status_code == 200
    assert EID_ONLY in response.text
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập bằng định danh điện tử" in response.text


def test_a_wrong_password_still_gets_the_one_message_revealing_nothing(
    client, citizen, eid_only
):
    response = client.post(LOGIN, {"username": citizen.username, "password": "sai"})

    assert "không đúng" in response.text
    assert EID_ONLY not in response.text


def test_staff_keep_the_password_step_then_their_totp_code(client, officer, eid_only):
    TOTPDeviceFactory(user=officer)

    response = client.post(LOGIN, {"username": officer.username, "password": PASSWORD})

    assert response.headers["Location"] == reverse("accounts:login-otp")
    assert password_login_allowed(officer)


def test_the_login_page_speaks_to_staff_and_offers_no_sign_up(client, eid_only):
    page = client.get(LOGIN).text

    assert "Cán bộ: bằng tên đăng nhập và mật khẩu" in page
    assert reverse("accounts:signup") not in page


def test_sign_up_leads_to_the_electronic_identity_login(client, eid_only):
    response = client.get(reverse("accounts:signup"), follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert EID_ONLY in response.text
    posted = client.post(
        reverse("accounts:signup"), {"personal_id": "036090001234"}, follow=False
    )
    assert posted.headers["Location"] == LOGIN


def test_no_password_reset_mail_for_a_citizen_but_one_for_staff(
    client, citizen, officer, eid_only
):
    citizen.email = "cong@example.com"
    citizen.save()
    officer.email = "canbo@example.com"
    officer.save()
    reset = reverse("accounts:password-reset")

    for_citizen = client.post(reset, {"email": "cong@example.com"})
    for_staff = client.post(reset, {"email": "canbo@example.com"})

    # The same answer either way; only the staff member gets a mail.
    assert for_citizen.headers["Location"] == for_staff.headers["Location"]
    assert [message.to for message in mail.outbox] == [["canbo@example.com"]]


def test_no_api_token_for_a_citizens_password(client, citizen, eid_only):
    response = client.post(
        reverse("accounts-api:auth-token"),
        {"username": citizen.username, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert EID_ONLY in response.json()["detail"]


def test_the_policy_without_an_identity_provider_is_an_error(settings):
    settings.CITIZEN_EID_LOGIN_ONLY = True
    settings.IDP_ENABLED = False
    settings.OIDC_ISSUER_URL = ""
    assert [message.id for message in login_policy_check()] == ["portal.E010"]

    settings.OIDC_ISSUER_URL = "https://vneid.example.gov.vn"
    assert login_policy_check() == []
    settings.CITIZEN_EID_LOGIN_ONLY = False
    settings.OIDC_ISSUER_URL = ""
    assert login_policy_check() == []
