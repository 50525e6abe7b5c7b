"""Signers whose keys the portal holds: the development authority's, and each
agency's own PKCS#12 file."""

from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.signers import SimpleSigner

from .base import SigningUnavailable, certificate_store, to_asn1
from .development import DevelopmentAuthority

if TYPE_CHECKING:
    from units.models import OrgUnit


class DevelopmentSigners:
    """Every agency signs with its certificate from the development authority
    (SIGNATURE_DIR), issued at its first signature."""

    development = True

    def __init__(self, directory: Path | str) -> None:
        self.authority = DevelopmentAuthority(directory)

    def signer_for(self, unit: "OrgUnit") -> SimpleSigner:
        credential = self.authority.for_unit(code=unit.agency_code, name=unit.name)
        key = asn1_keys.PrivateKeyInfo.load(
            credential.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return SimpleSigner(
            signing_cert=to_asn1(credential.certificate),
            signing_key=key,
            cert_registry=certificate_store([to_asn1(c) for c in credential.chain]),
        )

    def trust_roots(self) -> list[x509.Certificate]:
        return [self.authority.root_certificate()]


class Pkcs12Signers:
    """Each agency's own certificate: `<agency code>.p12` in `directory`, its
    passphrase in `<agency code>.pass` beside it (one line; absent for a file
    without one). Read at each signature, so a renewed certificate needs no
    restart."""

    development = False

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory) if directory else None

    def signer_for(self, unit: "OrgUnit") -> SimpleSigner:
        if self.directory is None:
            raise SigningUnavailable("SIGNATURE_PKCS12_DIR is not set.")
        path = self.directory / f"{unit.agency_code}.p12"
        try:
            archive = path.read_bytes()
        except OSError as exc:
            raise SigningUnavailable(
                f"No certificate for the agency {unit.agency_code}: {path} "
                "cannot be read."
            ) from exc
        secret = self.directory / f"{unit.agency_code}.pass"
        passphrase = secret.read_text().strip().encode() if secret.is_file() else None
        try:
            signer: SimpleSigner = SimpleSigner.load_pkcs12_data(
                archive, other_certs=[], passphrase=passphrase
            )
        except Exception as exc:  # pyHanko raises what cryptography raises
            raise SigningUnavailable(
                f"The certificate of the agency {unit.agency_code} ({path}) cannot "
                "be opened: a wrong passphrase or a damaged file."
            ) from exc
        return signer

    def trust_roots(self) -> list[x509.Certificate]:
        return []
