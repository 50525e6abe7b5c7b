"""The development certificate authority: a root and one certificate per agency,
named as development ones, kept under SIGNATURE_DIR (var/signing, outside the
repository's tracked files). Made once and reused: `manage.py signing_setup`
(run by `make setup`) makes them ahead, and a unit without a certificate gets
one at its first signature.

Each file holds a private key and its certificate (PEM). A file is written under
a temporary name and linked into place, so two processes making the same one at
once (the portal and a worker) both end up with the one that won.
"""

import contextlib
import datetime
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Said in every development certificate's name: its common name ends with the
# mark, its organisation says it has no legal value. (X.520 caps each at 64
# bytes of UTF-8 in `cryptography`; Vietnamese letters take two or three.)
DEVELOPMENT_MARK = "(DEVELOPMENT)"
ORGANIZATION = "DEVELOPMENT – không có giá trị pháp lý"
ROOT_NAME = f"CA phát triển Cổng Dịch vụ công {DEVELOPMENT_MARK}"
# Wide validity: tests move the clock to dates of past years, and a development
# certificate that expires during a demo helps nobody.
NOT_BEFORE = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
ROOT_YEARS = 30
UNIT_YEARS = 20


@dataclass(frozen=True)
class Credential:
    """A private key with its certificate and the chain above it (root last)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def unit_common_name(name: str) -> str:
    """`name (DEVELOPMENT)`, the name shortened to fit 64 bytes."""
    mark = f" {DEVELOPMENT_MARK}"
    room = 64 - len(mark.encode())
    short = name.encode()[:room].decode(errors="ignore").rstrip()
    return short + mark


class DevelopmentAuthority:
    """The authority whose files live in `directory`."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    @property
    def root_path(self) -> Path:
        return self.directory / "ca.pem"

    def unit_path(self, *, code: str, name: str) -> Path:
        # A renamed unit (or a test's unit of the same code) gets its own
        # certificate: the name it signs under is the one it has now.
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        return self.directory / "agencies" / f"{code}-{digest}.pem"

    def root(self) -> Credential:
        """The root, made on first use."""
        if not self.root_path.is_file():
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name(ROOT_NAME)
            certificate = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(NOT_BEFORE)
                .not_valid_after(NOT_BEFORE.replace(year=NOT_BEFORE.year + ROOT_YEARS))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=False,
                        content_commitment=False,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=True,
                        crl_sign=True,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .add_extension(
                    x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                    critical=False,
                )
                .sign(key, hashes.SHA256())
            )
            _write_once(self.root_path, key, certificate)
        key, certificate = _read(self.root_path)
        return Credential(key=key, certificate=certificate, chain=())

    def root_certificate(self) -> x509.Certificate:
        return self.root().certificate

    def exists(self) -> bool:
        return self.root_path.is_file()

    def for_unit(self, *, code: str, name: str) -> Credential:
        """The signing credential of the agency `code` named `name`, issued on
        first use."""
        root = self.root()
        path = self.unit_path(code=code, name=name)
        if not path.is_file():
            key = ec.generate_private_key(ec.SECP256R1())
            certificate = (
                x509.CertificateBuilder()
                .subject_name(
                    x509.Name(
                        [
                            *_name(unit_common_name(name)),
                            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, code),
                        ]
                    )
                )
                .issuer_name(root.certificate.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(NOT_BEFORE)
                .not_valid_after(NOT_BEFORE.replace(year=NOT_BEFORE.year + UNIT_YEARS))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=True,
                        content_commitment=True,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=False,
                        crl_sign=False,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .add_extension(
                    x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                    critical=False,
                )
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(
                        root.key.public_key()
                    ),
                    critical=False,
                )
                .sign(root.key, hashes.SHA256())
            )
            _write_once(path, key, certificate)
        key, certificate = _read(path)
        return Credential(key=key, certificate=certificate, chain=(root.certificate,))


def _write_once(
    path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        # Another process that made it first wins: theirs is the one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _read(path: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    body = path.read_bytes()
    key = serialization.load_pem_private_key(body, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} does not hold an EC key")
    (certificate,) = x509.load_pem_x509_certificates(
        body[body.index(b"-----BEGIN CERTIFICATE-----") :]
    )
    return key, certificate
