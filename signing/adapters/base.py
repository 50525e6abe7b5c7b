"""What every way of signing for an agency offers the signing service."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator.registry import SimpleCertificateStore

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from units.models import OrgUnit


class SigningUnavailable(Exception):
    """The agency cannot sign now: no certificate, a wrong passphrase, the signing
    service down. The message names what is missing, for the officers and the
    operators; nothing was signed."""


class AgencySigners(Protocol):
    """One way of signing for the agencies (SIGNATURE_BACKEND)."""

    # Keys of the development authority: refused with DEBUG off (signing/checks.py),
    # and the development root is trusted only while they sign.
    development: bool

    def signer_for(self, unit: "OrgUnit") -> "Signer":
        """pyHanko's signer of `unit`, with its certificate and chain; raises
        SigningUnavailable."""
        ...

    def trust_roots(self) -> list[x509.Certificate]:
        """Roots this way of signing brings besides SIGNATURE_TRUST_ROOTS."""
        ...


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """pyHanko's certificate type (asn1crypto) of a `cryptography` certificate."""
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def certificate_store(
    certificates: list[asn1_x509.Certificate],
) -> SimpleCertificateStore:
    """The certificates a signer embeds beside its own (its chain)."""
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    store.register_multiple(certificates)
    return store


T = TypeVar("T")


def without_event_loop(call: Callable[[], T]) -> T:
    """Run `call`, which uses pyHanko's synchronous API (it starts an event loop
    with asyncio.run), in a thread of its own when this thread already runs a
    loop (an async caller; Playwright's synchronous API in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
