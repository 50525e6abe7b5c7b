"""Electronic-identity login end to end: the portal's OIDC client against the
bundled provider, served by a live server (the client fetches discovery, JWKS
and the token over real HTTP), the browser played by the test client."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import IdentityLevel, User
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.idp.factories import IDENTITY_PASSWORD, enable_idp, identity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def idp(live_server, settings):
    enable_idp(settings, issuer=f"{live_server.url}/idp/o")
    return live_server


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _to_callback(client, personal_id="036188004321", next_url="/accounts/me/"):
    """Play the browser up to the redirect back to the portal; return its URL."""
    start = client.get(reverse("accounts:oidc-login"), {"next": next_url})
    assert start.status_code == 302, start
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"]
    assert query["nonce"]
    assert query["code_challenge"]

    to_login = client.get(_local(authorize))
    assert urlsplit(to_login.headers["Location"]).path == reverse("idp:login")
    logged_in = client.post(
        reverse("idp:login"),
        {
            "personal_id": personal_id,
            "password": IDENTITY_PASSWORD,
            "next": _local(authorize),
        },
    )
    back = client.get(logged_in.headers["Location"])
    callback = back.headers["Location"]
    assert callback.startswith("http://testserver/accounts/oidc/callback/?code=")
    return _local(callback)


def test_level_2_identity_creates_a_citizen_account(client, idp):
    identity()

    response = client.get(_to_callback(client))

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/me/"
    user = User.objects.get(username="036188004321")
    assert user.is_citizen
    assert user.identity_level == IdentityLevel.LEVEL_2
    assert user.full_name == "Hoàng Thị Thu"
    assert str(user.date_of_birth) == "1988-09-09"
    assert user.sex == "female"
    assert user.phone == "0978123456"
    assert not user.has_usable_password()
    assert client.get("/accounts/me/").context["user"] == user


def test_identity_links_the_existing_account_by_personal_id(client, idp, citizen):
    citizen.identity_level = IdentityLevel.NONE
    citizen.save()
    identity(
        personal_id=citizen.username,
        full_name="Nguyễn Văn Công",
        date_of_birth=citizen.date_of_birth,
        sex=citizen.sex,
        level=IdentityLevel.LEVEL_1,
    )

    client.get(_to_callback(client, personal_id=citizen.username))

    citizen.refresh_from_db()
    assert citizen.identity_level == IdentityLevel.LEVEL_1
    assert User.objects.filter(username=citizen.username).count() == 1
    assert client.get("/accounts/me/").context["user"] == citizen


def test_state_mismatch_is_refused(client, idp):
    identity()
    callback = _to_callback(client)
    tampered = callback.replace("state=", "state=x")

    response = client.get(tampered)

    assert response.status_code == 400
    assert "không hợp lệ" in response.text
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="036188004321").exists()


def test_replayed_callback_is_refused(client, idp):
    identity()
    callback = _to_callback(client)
    assert client.get(callback).status_code == 302
    client.logout()

    response = client.get(callback)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_replayed_code_with_a_fresh_state_is_refused_by_the_provider(client, idp):
    identity()
    first = parse_qs(urlsplit(_to_callback(client)).query)
    assert client.get(reverse("accounts:oidc-callback"), first).status_code == 302
    client.logout()
    # A new login gives a fresh state; an attacker swaps in the used code.
    fresh = parse_qs(urlsplit(_to_callback(client)).query)

    response = client.get(
        reverse("accounts:oidc-callback"),
        {"code": first["code"][0], "state": fresh["state"][0]},
    )

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_staff_accounts_cannot_log_in_by_identity(client, idp, unit_a):
    officer = UserFactory(username="036188004321", roles=["receiving_officer"])
    officer.org_unit = unit_a
    officer.save()
    TOTPDeviceFactory(user=officer)
    identity()

    response = client.get(_to_callback(client))

    assert response.status_code == 400
    assert "mã xác thực hai bước" in response.text
    assert "_auth_user_id" not in client.session


def test_idp_subjects_cannot_log_in_to_the_portal(client, idp):
    subject = identity().subject

    response = client.post(
        reverse("accounts:login"),
        {"username": subject.username, "password": IDENTITY_PASSWORD},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("level", [IdentityLevel.LEVEL_1, IdentityLevel.LEVEL_2])
def test_with_citizens_by_eid_only_both_levels_log_in_by_electronic_identity(
    client, idp, settings, level
):
    """The login policy (issue 19, point 4) leaves the electronic identity as the
    citizens' way in; the test provider serves both assurance levels."""
    settings.CITIZEN_EID_LOGIN_ONLY = True
    identity(level=level)

    response = client.get(_to_callback(client))

    assert response.headers["Location"] == "/accounts/me/"
    user = User.objects.get(username="036188004321")
    assert user.identity_level == level
    assert client.get("/accounts/me/").context["user"] == user
