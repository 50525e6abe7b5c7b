"""The portal's public address (accounts/addresses.py): PORTAL_URL when set, else
the address of the request that caused the work, carried to the worker; never a
guessed host or port."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.adapters import oidc
from accounts.addresses import (
    ORIGIN_HEADER,
    PublicAddressMiddleware,
    absolute_url,
    adopt_origin,
    carry_origin,
)
from tests.accounts.factories import CitizenFactory
from tests.idp.factories import enable_idp, signing_key

PUBLIC = "https://dichvucong.example.gov.vn"


def test_portal_url_is_the_address_whatever_host_served_the_request(rf, settings):
    settings.PORTAL_URL = PUBLIC + "/"
    request = rf.get("/", HTTP_HOST="127.0.0.1:8123")

    assert absolute_url("/dossiers/", request) == f"{PUBLIC}/dossiers/"
    assert absolute_url("/dossiers/") == f"{PUBLIC}/dossiers/"


def test_unset_it_is_the_address_the_request_came_to_port_included(rf, settings):
    settings.PORTAL_URL = ""
    request = rf.get("/", HTTP_HOST="127.0.0.1:8123")

    assert absolute_url("/dossiers/", request) == "http://127.0.0.1:8123/dossiers/"


def test_behind_a_tls_proxy_the_address_is_https(rf, settings):
    settings.PORTAL_URL = ""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["dichvucong.example.gov.vn"]
    request = rf.get(
        "/", HTTP_HOST="dichvucong.example.gov.vn", HTTP_X_FORWARDED_PROTO="https"
    )

    assert absolute_url("/x/", request) == f"{PUBLIC}/x/"


def test_work_a_request_causes_takes_its_address_and_no_other_work_does(rf, settings):
    settings.PORTAL_URL = ""
    seen = []

    def view(request):
        # A service deep in the request (notify, a result's QR code, an eager
        # task after commit) is not given the request.
        seen.append(absolute_url("/ket-qua/"))
        return None

    PublicAddressMiddleware(view)(rf.get("/", HTTP_HOST="127.0.0.1:8123"))

    assert seen == ["http://127.0.0.1:8123/ket-qua/"]
    # Outside any request (a periodic task) there is no address to guess.
    assert absolute_url("/ket-qua/") == "/ket-qua/"


def test_a_task_sent_while_serving_carries_the_address_to_the_worker(rf, settings):
    settings.PORTAL_URL = ""
    sent: list[dict[str, str]] = []

    def view(request):
        headers: dict[str, str] = {}
        carry_origin(headers=headers)
        sent.append(headers)

    PublicAddressMiddleware(view)(rf.get("/", HTTP_HOST="127.0.0.1:8123"))
    assert sent == [{ORIGIN_HEADER: "http://127.0.0.1:8123"}]

    # On the worker: the task's headers are attributes of its request.
    carried = SimpleNamespace(
        request=SimpleNamespace(portal_origin=sent[0][ORIGIN_HEADER])
    )
    adopt_origin(task=carried)
    try:
        assert absolute_url("/ket-qua/") == "http://127.0.0.1:8123/ket-qua/"
        # ...and what that task sends carries it on (a chain's next step).
        onwards: dict[str, str] = {}
        carry_origin(headers=onwards)
        assert onwards == {ORIGIN_HEADER: "http://127.0.0.1:8123"}

        # The next task the worker runs, sent by beat, has none.
        adopt_origin(task=SimpleNamespace(request=SimpleNamespace()))
        assert absolute_url("/ket-qua/") == "/ket-qua/"
        nothing: dict[str, str] = {}
        carry_origin(headers=nothing)
        assert nothing == {}
    finally:
        adopt_origin(task=SimpleNamespace(request=SimpleNamespace()))


def test_a_task_run_in_process_keeps_the_address_of_its_request(rf, settings):
    settings.PORTAL_URL = ""
    seen = []

    def view(request):
        adopt_origin(task=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
        seen.append(absolute_url("/x/"))

    PublicAddressMiddleware(view)(rf.get("/", HTTP_HOST="localhost:8123"))

    assert seen == ["http://localhost:8123/x/"]


# --- The OIDC redirect and the bundled provider's issuer ---------------------------


def test_the_oidc_redirect_uri_is_at_the_public_address(rf, settings):
    settings.PORTAL_URL = PUBLIC
    request = rf.get("/", HTTP_HOST="127.0.0.1:8123")

    assert oidc.redirect_uri(request) == f"{PUBLIC}/accounts/oidc/callback/"

    settings.PORTAL_URL = ""
    assert oidc.redirect_uri(request) == (
        "http://127.0.0.1:8123/accounts/oidc/callback/"
    )


@pytest.mark.django_db
def test_the_bundled_providers_issuer_is_at_the_public_address(rf, settings):
    enable_idp(settings, issuer="")
    settings.PORTAL_URL = PUBLIC

    assert oidc.issuer_url(rf.get("/", HTTP_HOST="127.0.0.1:8123")) == (
        f"{PUBLIC}/idp/o"
    )


@pytest.mark.django_db
def test_idp_setup_registers_the_redirect_uri_of_the_public_address(settings):
    from oauth2_provider.models import Application

    settings.IDP_ENABLED = True
    settings.IDP_RSA_PRIVATE_KEY = signing_key()
    settings.DEMO_MODE = False
    settings.PORTAL_URL = PUBLIC
    call_command("idp_setup", stdout=io.StringIO())

    uris = Application.objects.get(client_id=settings.OIDC_CLIENT_ID).redirect_uris
    assert f"{PUBLIC}/accounts/oidc/callback/" in uris.split()
    assert "http://127.0.0.1/accounts/oidc/callback/" in uris.split()


# --- The password-reset email ------------------------------------------------------


@pytest.mark.django_db
def test_the_password_reset_link_goes_to_the_public_address(client, settings):
    settings.PORTAL_URL = PUBLIC
    CitizenFactory(email="an@example.vn")

    client.post(
        reverse("accounts:password-reset"),
        {"email": "an@example.vn"},
        HTTP_HOST="127.0.0.1",
    )

    (message,) = mail.outbox
    assert re.search(
        rf"{re.escape(PUBLIC)}/accounts/password-reset/\S+", str(message.body)
    )
    assert "127.0.0.1" not in message.body
