"""Writes of the bundled identity provider: identities, its signing key and the
portal's client registration."""

import datetime
from pathlib import Path

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.models import Application

from accounts.identifiers import personal_id_errors
from accounts.models import User

from .models import Identity

SUBJECT_PREFIX = "idp-subject."


@transaction.atomic
def identity_upsert(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: datetime.date,
    sex: str,
    level: int,
    password: str,
    phone: str = "",
    email: str = "",
) -> Identity:
    """Create or update an identity (and its inert technical user)."""
    errors = personal_id_errors(personal_id, date_of_birth=date_of_birth, sex=sex)
    if errors:
        raise ValidationError({"personal_id": errors})
    identity = Identity.objects.filter(personal_id=personal_id).first()
    if identity is None:
        subject = User(username=f"{SUBJECT_PREFIX}{personal_id}", is_active=False)
        subject.set_unusable_password()
        subject.save()
        identity = Identity(personal_id=personal_id, subject=subject)
    identity.full_name = full_name
    identity.date_of_birth = date_of_birth
    identity.sex = sex
    identity.level = level
    identity.phone = phone
    identity.email = email
    identity.password = make_password(password)
    identity.full_clean()
    identity.save()
    return identity


def identity_authenticate(*, personal_id: str, password: str) -> Identity | None:
    identity = Identity.objects.filter(personal_id=personal_id).first()
    if identity is None:
        # Same work either way, so timing does not tell who exists.
        make_password(password)
        return None
    return identity if check_password(password, identity.password) else None


def signing_key_ensure(*, path: Path) -> bool:
    """Write a new RS256 signing key (PEM) to `path` unless one is there."""
    if path.exists():
        return False
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return True


@transaction.atomic
def client_register(
    *, client_id: str, client_secret: str, redirect_uris: list[str], name: str
) -> Application:
    """Register (or update) the portal as a confidential OIDC client."""
    application, _created = Application.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": name,
            "client_secret": client_secret,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": " ".join(redirect_uris),
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    return application
