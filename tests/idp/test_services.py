import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from oauth2_provider.models import Application

from idp.models import Identity
from idp.services import identity_authenticate, signing_key_ensure
from tests.idp.factories import IDENTITY_PASSWORD, identity


@pytest.mark.django_db
def test_identity_subjects_are_inert_users():
    subject = identity().subject

    assert not subject.is_active
    assert not subject.has_usable_password()
    assert not subject.groups.exists()


@pytest.mark.django_db
def test_identity_personal_ids_follow_the_rule():
    with pytest.raises(ValidationError, match="Mã tỉnh 099"):
        identity(personal_id="099188004321")


@pytest.mark.django_db
def test_identity_authenticate():
    made = identity()

    assert (
        identity_authenticate(personal_id="036188004321", password=IDENTITY_PASSWORD)
        == made
    )
    assert identity_authenticate(personal_id="036188004321", password="x") is None
    assert identity_authenticate(personal_id="036000000000", password="x") is None


def test_signing_key_is_made_once(tmp_path):
    path = tmp_path / "var" / "key.pem"

    assert signing_key_ensure(path=path)
    first = path.read_bytes()
    assert not signing_key_ensure(path=path)

    assert path.read_bytes() == first
    assert first.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_idp_setup_is_idempotent(settings, tmp_path):
    settings.IDP_ENABLED = True
    settings.DEMO_MODE = True
    settings.IDP_RSA_PRIVATE_KEY = ""
    settings.IDP_KEY_FILE = tmp_path / "key.pem"

    call_command("idp_setup")
    call_command("idp_setup")

    application = Application.objects.get(client_id=settings.OIDC_CLIENT_ID)
    assert application.algorithm == "RS256"
    assert "http://127.0.0.1/accounts/oidc/callback/" in application.redirect_uris
    assert Identity.objects.filter(level=2).exists()
    assert Identity.objects.filter(level=1).exists()
    assert (tmp_path / "key.pem").exists()
    for demo in Identity.objects.all():
        assert demo.date_of_birth < datetime.date.today()


@pytest.mark.django_db
def test_idp_setup_does_nothing_when_disabled(settings):
    settings.IDP_ENABLED = False

    call_command("idp_setup")

    assert not Application.objects.exists()
