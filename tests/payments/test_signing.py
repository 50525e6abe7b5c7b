"""The signature scheme, checked on the example docs/payments.md publishes, in
the portal's adapter and in the sandbox platform (written apart on purpose)."""

import hashlib
import hmac

from paygate import signing as platform
from payments.adapters import signing as portal

# The example of docs/payments.md, "Signatures".
FIELDS = {
    "merchant_id": "CONG-DVC-VU-BAN",
    "order_id": "000.00.59.H00-260302-0001-A1B2C3",
    "amount": 7000,
    "currency": "VND",
    "status": "paid",
    "transaction_id": "SBX20260302ABCDEF",
    "paid_at": "2026-03-02T02:15:00+00:00",
    "timestamp": "2026-03-02T02:15:01+00:00",
}
SECRET = "khoa-bi-mat-thu-nghiem"
CANONICAL = (
    "amount=7000&currency=VND&merchant_id=CONG-DVC-VU-BAN"
    "&order_id=000.00.59.H00-260302-0001-A1B2C3"
    "&paid_at=2026-03-02T02%3A15%3A00%2B00%3A00&status=paid"
    "&timestamp=2026-03-02T02%3A15%3A01%2B00%3A00"
    "&transaction_id=SBX20260302ABCDEF"
)
# Computed with `openssl dgst -sha256 -hmac` on CANONICAL (docs/payments.md).
SIGNATURE = "9d68eb5d799d6a5fcdc9215aa2c00f880650b93c1611cc9e0d4509d97bfe4f88"


def test_both_sides_build_the_documented_canonical_string():
    assert portal.canonical(FIELDS) == CANONICAL
    assert platform.canonical(FIELDS) == CANONICAL


def test_both_sides_sign_alike_and_the_signature_is_hmac_sha256():
    expected = hmac.new(SECRET.encode(), CANONICAL.encode(), hashlib.sha256).hexdigest()

    assert portal.sign(FIELDS, SECRET) == expected
    assert platform.sign(FIELDS, SECRET) == expected


def test_the_documented_signature_is_the_real_one():
    assert portal.sign(FIELDS, SECRET) == SIGNATURE


def test_any_changed_field_breaks_the_signature():
    signed = {**FIELDS, "signature": portal.sign(FIELDS, SECRET)}

    assert portal.signature_valid(signed, SECRET)
    assert platform.verify(signed, SECRET)
    for name in FIELDS:
        changed = {**signed, name: str(signed[name]) + "0"}
        assert not portal.signature_valid(changed, SECRET), name
    assert not portal.signature_valid({**signed, "extra": "1"}, SECRET)
    assert not portal.signature_valid(signed, "another secret")


def test_non_ascii_values_are_percent_encoded_as_utf8():
    assert portal.canonical({"description": "Phí hồ sơ"}) == (
        "description=Ph%C3%AD%20h%E1%BB%93%20s%C6%A1"
    )
