import json

import pytest
from django.urls import reverse

from accounts.models import User
from tests.idp.factories import IDENTITY_PASSWORD, enable_idp, identity


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/idp/login/",
        "/idp/o/authorize/",
        "/idp/o/.well-known/openid-configuration",
        "/idp/o/.well-known/jwks.json",
    ],
)
def test_the_provider_is_404_when_disabled(client, settings, url):
    settings.IDP_ENABLED = False

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_discovery_announces_rs256_and_s256(client, settings):
    enable_idp(settings)

    metadata = client.get("/idp/o/.well-known/openid-configuration").json()

    assert metadata["issuer"] == "http://testserver/idp/o"
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]
    assert "S256" in metadata["code_challenge_methods_supported"]
    keys = json.loads(client.get("/idp/o/.well-known/jwks.json").content)["keys"]
    assert keys[0]["kty"] == "RSA"


@pytest.mark.django_db
def test_wrong_password_at_the_provider(client, settings):
    enable_idp(settings)
    identity()

    response = client.post(
        reverse("idp:login"), {"personal_id": "036188004321", "password": "sai"}
    )

    assert "không đúng" in response.text
    assert "idp_identity_id" not in client.session


@pytest.mark.django_db
def test_provider_login_does_not_log_in_to_the_portal(client, settings):
    enable_idp(settings)
    identity()

    client.post(
        reverse("idp:login"),
        {"personal_id": "036188004321", "password": IDENTITY_PASSWORD},
    )

    assert "idp_identity_id" in client.session
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="036188004321").exists()


@pytest.mark.django_db
def test_provider_login_does_not_redirect_off_site(client, settings):
    enable_idp(settings)
    identity()

    response = client.post(
        reverse("idp:login"),
        {
            "personal_id": "036188004321",
            "password": IDENTITY_PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response.headers["Location"] == reverse("idp:login")
