import datetime
from functools import cache
from typing import Any

from accounts.models import IdentityLevel, Sex
from idp.services import client_register, identity_upsert

IDENTITY_PASSWORD = "Dinh-danh-thu-2024"
CALLBACK = "http://testserver/accounts/oidc/callback/"


@cache
def signing_key() -> str:
    """One RS256 key for the whole test session (generating one takes time)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def identity(**fields):
    values: dict[str, Any] = {
        "personal_id": "036188004321",
        "full_name": "Hoàng Thị Thu",
        "date_of_birth": datetime.date(1988, 9, 9),
        "sex": Sex.FEMALE,
        "level": IdentityLevel.LEVEL_2,
        "phone": "0978123456",
        "email": "thu@example.com",
        "password": IDENTITY_PASSWORD,
    }
    return identity_upsert(**(values | fields))


def enable_idp(settings, *, issuer: str = "") -> None:
    """Turn the bundled provider on, with a key and the portal registered."""
    settings.IDP_ENABLED = True
    settings.OIDC_ISSUER_URL = issuer
    settings.OAUTH2_PROVIDER = settings.OAUTH2_PROVIDER | {
        "OIDC_RSA_PRIVATE_KEY": signing_key()
    }
    client_register(
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        redirect_uris=[CALLBACK],
        name="Cổng thử",
    )
