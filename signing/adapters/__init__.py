"""Who signs for an agency: `agency_signers()` makes the one SIGNATURE_BACKEND names
(docs/signing.md says how a real agency plugs in its certificate or its signing
service)."""

from django.conf import settings

from .base import AgencySigners, SigningUnavailable
from .development import DEVELOPMENT_MARK, DevelopmentAuthority
from .local import DevelopmentSigners, Pkcs12Signers
from .remote import (
    DevelopmentSigningService,
    RemoteSigner,
    RemoteSigners,
    SigningService,
    remote_service,
)

BACKENDS = ("development", "pkcs12", "remote")


def agency_signers() -> AgencySigners:
    backend = settings.SIGNATURE_BACKEND
    if backend == "development":
        return DevelopmentSigners(settings.SIGNATURE_DIR)
    if backend == "pkcs12":
        return Pkcs12Signers(settings.SIGNATURE_PKCS12_DIR)
    if backend == "remote":
        return RemoteSigners(remote_service())
    raise SigningUnavailable(
        f"SIGNATURE_BACKEND is {backend!r}; expected one of {', '.join(BACKENDS)}."
    )


__all__ = [
    "BACKENDS",
    "DEVELOPMENT_MARK",
    "AgencySigners",
    "DevelopmentAuthority",
    "DevelopmentSigners",
    "DevelopmentSigningService",
    "Pkcs12Signers",
    "RemoteSigner",
    "RemoteSigners",
    "SigningService",
    "SigningUnavailable",
    "agency_signers",
    "remote_service",
]
