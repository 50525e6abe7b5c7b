"""`Authorization: Token <key>` for the API, with keys stored only as hashes."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from portal.db import PreparedRead

from .models import ApiToken
from .services import api_token_hash

# "Last used" is kept to the minute: a system filing for its users with one
# token wrote the token's row on every request, in each submission's time.
USED_PRECISION = datetime.timedelta(minutes=1)

# Every API request reads its token: compiled once (portal.db.PreparedRead).
TOKEN = PreparedRead(
    lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash)[
        :1
    ],
    key_hash=str,
)


class TokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = TOKEN.first(key_hash=api_token_hash(key))
        now = timezone.now()
        if token is None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ hoặc đã hết hạn.")
            )
        if token.last_used_at is None or now - token.last_used_at >= USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
