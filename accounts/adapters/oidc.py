"""OpenID Connect client for electronic-identity login (VNeID-style).

Authorization-code flow with PKCE (S256); authlib keeps state, nonce and the code
verifier in the session and checks the ID token's signature (JWKS), issuer,
audience, expiry and nonce. Without OIDC_ISSUER_URL the client talks to the
bundled development identity provider (`idp`) of this same server, which is a
real OpenID provider (django-oauth-toolkit): the same code path as production.
"""

import datetime
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from ..addresses import absolute_url
from ..services import IdentityClaims

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
METADATA_CACHE_SECONDS = 3600


class OidcError(Exception):
    """The login did not complete; the message is safe to show."""


def issuer_url(request: HttpRequest) -> str:
    """The configured issuer, else the bundled provider on this server."""
    if settings.OIDC_ISSUER_URL:
        return str(settings.OIDC_ISSUER_URL).rstrip("/")
    if settings.IDP_ENABLED:
        discovery = absolute_url(
            reverse("oauth2_provider:oidc-connect-discovery-info"), request
        )
        return discovery.removesuffix(DISCOVERY_SUFFIX)
    raise OidcError(_("Đăng nhập bằng định danh điện tử chưa được cấu hình."))


def _metadata(issuer: str) -> dict[str, Any]:
    key = f"oidc:metadata:{issuer}"
    metadata: dict[str, Any] | None = cache.get(key)
    if metadata is None:
        response = requests.get(
            issuer + DISCOVERY_SUFFIX, timeout=settings.OIDC_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        metadata = response.json()
        # OpenID Connect Discovery 1.0 §4.3: the issuer must be the one asked.
        if metadata.get("issuer") != issuer:
            raise OidcError(_("Nhà cung cấp định danh trả về issuer không khớp."))
        cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def _client(request: HttpRequest) -> DjangoOAuth2App:
    metadata = _metadata(issuer_url(request))
    return DjangoOAuth2App(
        DjangoIntegration("oidc"),
        name="oidc",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        client_kwargs={
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": settings.OIDC_TIMEOUT_SECONDS,
        },
        **metadata,
    )


def redirect_uri(request: HttpRequest) -> str:
    return absolute_url(reverse("accounts:oidc-callback"), request)


def login_begin(request: HttpRequest) -> HttpResponseRedirect:
    """Send the browser to the provider, with fresh state, nonce and PKCE."""
    try:
        response: HttpResponseRedirect = _client(request).authorize_redirect(
            request, redirect_uri(request)
        )
    except (requests.RequestException, ValueError) as error:
        raise OidcError(
            _("Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau.")
        ) from error
    return response


def login_complete(request: HttpRequest) -> IdentityClaims:
    """Check the provider's answer and return the identity it asserts."""
    try:
        token = _client(request).authorize_access_token(request)
    except (AuthlibBaseError, JoseError) as error:
        raise OidcError(
            _(
                "Phiên đăng nhập bằng định danh điện tử không hợp lệ hoặc đã được "
                "dùng. Vui lòng đăng nhập lại."
            )
        ) from error
    except (requests.RequestException, ValueError) as error:
        raise OidcError(
            _("Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau.")
        ) from error
    userinfo = token.get("userinfo")
    if not userinfo:
        raise OidcError(_("Nhà cung cấp định danh không trả về ID token."))
    return claims_from_id_token(dict(userinfo))


def claims_from_id_token(claims: dict[str, Any]) -> IdentityClaims:
    """Map the ID token's claims (names set in docs/identity.md) to an identity."""
    try:
        level = int(claims[settings.OIDC_CLAIM_IDENTITY_LEVEL])
        if claims["gender"] not in ("male", "female"):
            raise ValueError("gender")
        return IdentityClaims(
            personal_id=str(claims[settings.OIDC_CLAIM_PERSONAL_ID]),
            full_name=str(claims["name"]),
            date_of_birth=datetime.date.fromisoformat(str(claims["birthdate"])),
            sex=str(claims["gender"]),
            identity_level=level,
            phone=str(claims.get("phone_number") or ""),
            email=str(claims.get("email") or ""),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise OidcError(
            _("Thông tin định danh nhận được thiếu hoặc sai: %(detail)s")
            % {"detail": error}
        ) from error
