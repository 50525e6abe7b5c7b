"""The signature scheme of gateway messages (docs/payments.md, "Signatures").

Every field but `signature` is signed. The canonical string is the fields sorted
by name, each `name=value` with the value as text (integers in decimal, no
thousands separator) percent-encoded as in RFC 3986 (UTF-8; letters, digits and
`-._~` unchanged), joined by `&`. The signature is HMAC-SHA256 of that string
with the merchant's secret key, in lower-case hexadecimal.
"""

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote


def canonical(fields: Mapping[str, Any]) -> str:
    return "&".join(
        f"{name}={quote(str(fields[name]), safe='-._~')}"
        for name in sorted(fields)
        if name != "signature"
    )


def sign(fields: Mapping[str, Any], secret: str) -> str:
    return hmac.new(
        secret.encode(), canonical(fields).encode(), hashlib.sha256
    ).hexdigest()


def signature_valid(fields: Mapping[str, Any], secret: str) -> bool:
    given = fields.get("signature")
    if not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(sign(fields, secret), given.lower())
