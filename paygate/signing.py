"""The platform's side of the signature scheme (docs/payments.md): HMAC-SHA256,
lower-case hex, over the fields but `signature` sorted by name, `name=value`
with RFC 3986 percent-encoding, joined by `&`. Written apart from the portal's
copy on purpose: both are checked against the documented example."""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote


def canonical(fields: Mapping[str, Any]) -> str:
    pairs = sorted((k, v) for k, v in fields.items() if k != "signature")
    return "&".join(f"{k}={quote(str(v), safe='-._~')}" for k, v in pairs)


def sign(fields: Mapping[str, Any], secret: str) -> str:
    digest = hmac.new(secret.encode(), canonical(fields).encode(), hashlib.sha256)
    return digest.hexdigest()


def verify(fields: Mapping[str, Any], secret: str) -> bool:
    given = fields.get("signature")
    return isinstance(given, str) and hmac.compare_digest(
        sign(fields, secret), given.lower()
    )
