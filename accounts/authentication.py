"""`Authorization: Token <key>` for the API, with keys stored only as hashes."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import api_token_hash


class TokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=api_token_hash(key))
            .first()
        )
        if (
            token is None
            or token.expires_at <= timezone.now()
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ hoặc đã hết hạn.")
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
