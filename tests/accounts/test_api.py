import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import ApiToken
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory, current_totp

TOKEN = reverse("accounts-api:auth-token")
ME = reverse("accounts-api:me")
GENERIC = "Đăng nhập không thành công"


def _token(client, **data):
    return client.post(TOKEN, data, content_type="application/json")


def test_citizen_gets_a_token_and_reads_me(client, citizen):
    response = _token(client, username=citizen.username, password=PASSWORD, otp="x")

    token = response.json()["token"]
    me = client.get(ME, headers={"Authorization": f"Token {token}"})
    assert me.status_code == 200
    assert me.json() == {
        "username": citizen.username,
        "full_name": "Nguyễn Văn Công",
        "roles": ["citizen"],
        "identity_level": 2,
        "org_unit": None,
    }


def test_staff_need_the_current_totp_code(client, officer):
    device = TOTPDeviceFactory(user=officer)

    without = _token(client, username=officer.username, password=PASSWORD)
    wrong = _token(client, username=officer.username, password=PASSWORD, otp="000000")
    # django-otp makes the next try wait after a wrong code; skip the wait.
    device.refresh_from_db()
    device.throttle_reset()
    right = _token(
        client,
        username=officer.username,
        password=PASSWORD,
        otp=current_totp(device),
    )

    assert without.status_code == wrong.status_code == 400
    assert right.status_code == 200
    me = client.get(ME, headers={"Authorization": f"Token {right.json()['token']}"})
    assert me.json()["roles"] == ["receiving_officer"]
    assert me.json()["org_unit"]["name"] == "UBND xã An"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"username": "khongco", "password": "x"},
        {"username": "khongco"},
        {},
    ],
)
def test_every_failure_is_the_same_400(client, data):
    response = _token(client, **data)

    assert response.status_code == 400
    assert GENERIC in response.json()["detail"]


def test_wrong_password_is_the_same_400(client, citizen):
    response = _token(client, username=citizen.username, password="sai")

    assert response.status_code == 400
    assert GENERIC in response.json()["detail"]


def test_the_token_endpoint_is_counted_by_the_lockout(client, citizen):
    for _ in range(5):
        _token(client, username=citizen.username, password="sai")

    response = _token(client, username=citizen.username, password=PASSWORD)

    # A 429 with Retry-After, as the login page (it was the generic 400).
    assert response.status_code == 429
    assert "tạm bị khóa" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_wrong_totp_codes_on_the_api_are_counted_too(client, officer):
    TOTPDeviceFactory(user=officer)
    for _ in range(5):
        _token(client, username=officer.username, password=PASSWORD, otp="000000")

    login = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": PASSWORD}
    )

    assert login.status_code == 429


@pytest.mark.django_db
def test_me_needs_authentication(client):
    assert client.get(ME).status_code in (401, 403)
    assert (
        client.get(ME, headers={"Authorization": "Token nonsense"}).status_code == 401
    )


def test_browser_session_works_for_me(client, citizen):
    client.force_login(citizen)

    assert client.get(ME).json()["username"] == citizen.username


def test_tokens_expire(client, citizen, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token = _token(client, username=citizen.username, password=PASSWORD).json()
    header = {"Authorization": f"Token {token['token']}"}

    with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
        assert client.get(ME, headers=header).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=31), tick=False):
        assert client.get(ME, headers=header).status_code == 401


def test_schema_documents_the_endpoints(client, db):
    schema = client.get(reverse("api-schema")).text

    assert "/api/v1/auth/token/" in schema
    assert "/api/v1/me/" in schema


def test_a_tokens_last_use_is_kept_to_the_minute(client, citizen):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token = _token(client, username=citizen.username, password=PASSWORD).json()
    header = {"Authorization": f"Token {token['token']}"}
    stored = ApiToken.objects.get(user=citizen)
    assert stored.last_used_at is None

    def used_at(moment: datetime.datetime) -> datetime.datetime | None:
        with time_machine.travel(moment, tick=False):
            assert client.get(ME, headers=header).status_code == 200
        stored.refresh_from_db()
        return stored.last_used_at

    assert used_at(start + datetime.timedelta(seconds=5)) == start + datetime.timedelta(
        seconds=5
    )
    # Within the minute the row is not written again.
    assert used_at(
        start + datetime.timedelta(seconds=50)
    ) == start + datetime.timedelta(seconds=5)
    assert used_at(
        start + datetime.timedelta(seconds=65)
    ) == start + datetime.timedelta(seconds=65)
