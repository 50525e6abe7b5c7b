"""Signing by a key the portal never holds: an HSM or a signing service. The
portal builds the PDF signature (CMS) itself and sends the service only the
digest of its signed attributes; the service answers the raw signature value.

A real service is a class with the two methods of `SigningService`, named by
SIGNATURE_REMOTE_SERVICE (docs/signing.md): a PKCS#11 HSM, a provider's remote
signing API (CSC and the like), each in its own adapter.
"""

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.sign.signers import Signer

from .base import SigningUnavailable, certificate_store, to_asn1
from .development import Credential, DevelopmentAuthority

if TYPE_CHECKING:
    from units.models import OrgUnit

DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
# Reserved for the signature value while pyHanko sizes the CMS (a dry run asks
# no service): room for RSA 4096 and any ECDSA signature.
DRY_RUN_SIGNATURE = bytes(512)


class SigningService(Protocol):
    """What an HSM or a signing service does for the portal, per key (the
    agency's code). Raises SigningUnavailable when it cannot."""

    # True for the development service: refused with DEBUG off.
    development: bool

    def certificates(self, *, key_id: str) -> list[x509.Certificate]:
        """The key's certificate first, then its chain (the root may be left out)."""
        ...

    def sign_digest(
        self, *, key_id: str, digest: bytes, digest_algorithm: str
    ) -> bytes:
        """The raw signature of `digest` (PKCS#1 v1.5 for RSA, DER for ECDSA)."""
        ...


class RemoteSigner(Signer):
    """pyHanko's signer that hands the digest to a `SigningService`."""

    def __init__(self, service: SigningService, key_id: str) -> None:
        certificates = [to_asn1(c) for c in service.certificates(key_id=key_id)]
        if not certificates:
            raise SigningUnavailable(f"The signing service has no key {key_id}.")
        self.service = service
        self.key_id = key_id
        super().__init__(
            signing_cert=certificates[0],
            cert_registry=certificate_store(certificates[1:]),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return DRY_RUN_SIGNATURE
        algorithm = DIGESTS.get(digest_algorithm.lower())
        if algorithm is None:
            raise SigningUnavailable(f"Digest {digest_algorithm} is not supported.")
        digest = hashes.Hash(algorithm())
        digest.update(data)
        # A service answers over the network or from a device: not on the event
        # loop pyHanko signs in (as its own signers do).
        return await asyncio.to_thread(
            self.service.sign_digest,
            key_id=self.key_id,
            digest=digest.finalize(),
            digest_algorithm=digest_algorithm.lower(),
        )


class RemoteSigners:
    """Every agency signs through SIGNATURE_REMOTE_SERVICE with the key named by
    its agency code."""

    def __init__(self, service: SigningService) -> None:
        self.service = service
        self.development = service.development

    def signer_for(self, unit: "OrgUnit") -> RemoteSigner:
        return RemoteSigner(self.service, unit.agency_code)

    def trust_roots(self) -> list[x509.Certificate]:
        if isinstance(self.service, DevelopmentSigningService):
            return [self.service.authority.root_certificate()]
        return []


def remote_service() -> SigningService:
    service: SigningService = import_string(settings.SIGNATURE_REMOTE_SERVICE)()
    return service


class DevelopmentSigningService:
    """A signing service for development, as a remote one behaves: it knows only
    the keys it was told about (`enrol`, run for every agency by `signing_setup`),
    it answers after a delay (SIGNATURE_REMOTE_DELAY_MS, as a network would), it
    refuses a digest of the wrong length, and it signs with the development
    authority's keys (SIGNATURE_DIR), which never leave it."""

    development = True

    def __init__(self, directory: Path | str | None = None) -> None:
        self.authority = DevelopmentAuthority(directory or settings.SIGNATURE_DIR)

    def _keys(self) -> Path:
        return self.authority.directory / "remote-keys"

    def enrol(self, *, key_id: str, name: str) -> None:
        """Make `key_id` (an agency's code) one of the service's keys."""
        self.authority.for_unit(code=key_id, name=name)
        self._keys().mkdir(parents=True, exist_ok=True)
        (self._keys() / key_id).write_text(name)

    def _credential(self, key_id: str) -> Credential:
        entry = self._keys() / key_id
        if "/" in key_id or not entry.is_file():
            raise SigningUnavailable(f"The signing service has no key {key_id}.")
        return self.authority.for_unit(code=key_id, name=entry.read_text())

    def certificates(self, *, key_id: str) -> list[x509.Certificate]:
        credential = self._credential(key_id)
        return [credential.certificate, *credential.chain]

    def sign_digest(
        self, *, key_id: str, digest: bytes, digest_algorithm: str
    ) -> bytes:
        delay = settings.SIGNATURE_REMOTE_DELAY_MS
        if delay:
            time.sleep(delay / 1000)
        algorithm = DIGESTS.get(digest_algorithm)
        if algorithm is None or len(digest) != algorithm().digest_size:
            raise SigningUnavailable("The digest does not match its algorithm.")
        key = self._credential(key_id).key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(digest, ec.ECDSA(Prehashed(algorithm())))
        if isinstance(key, rsa.RSAPrivateKey):  # pragma: no cover - EC keys here
            return key.sign(digest, padding.PKCS1v15(), Prehashed(algorithm()))
        raise SigningUnavailable("Unsupported key type.")  # pragma: no cover
