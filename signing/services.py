"""Signing a document for its agency (PAdES) and recording what was signed."""

import datetime
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError

from .adapters import SigningUnavailable, agency_signers
from .adapters.base import without_event_loop
from .models import SignedDocument

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

    from units.models import OrgUnit

# The signature's field in the PDF: one per document, the agency's.
FIELD_NAME = "ChuKyCoQuan"


class NotSignable(Exception):
    """The file is not a PDF that can carry a signature (damaged, encrypted, an
    image); the message says so in the officer's words."""


@dataclass(frozen=True)
class Signed:
    content: bytes
    record: SignedDocument


@dataclass(frozen=True)
class Signature:
    """A signed PDF, before it is recorded: its bytes and who signed it."""

    content: bytes
    certificate: "asn1_x509.Certificate"
    development: bool


def pdf_signed(*, content: bytes, unit: "OrgUnit", reason: str) -> Signature:
    """The PDF `content` with `unit`'s PAdES signature (the agency's certificate
    through SIGNATURE_BACKEND); nothing is recorded (`pdf_sign` records it).
    Raises NotSignable or SigningUnavailable."""
    if not content.startswith(b"%PDF"):
        raise NotSignable("not a PDF")
    signers_ = agency_signers()
    signer = signers_.signer_for(unit)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=unit.name,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        if writer.prev.encrypted:
            raise NotSignable("encrypted")
        output = without_event_loop(
            lambda: signers.sign_pdf(writer, metadata, signer=signer)
        )
    except SigningUnavailable:
        raise
    except SigningError as exc:  # the signer's side: its key, its certificate
        raise SigningUnavailable(str(exc)) from exc
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotSignable(str(exc)) from exc
    certificate = signer.signing_cert
    assert certificate is not None  # noqa: S101 - every signer of ours has one
    return Signature(output.getvalue(), certificate, signers_.development)


def pdf_sign(
    *,
    content: bytes,
    unit: "OrgUnit",
    document: models.Model,
    reason: str,
    now: datetime.datetime | None = None,
) -> Signed:
    """Sign the PDF `content` for `unit` (`pdf_signed`) and record it as the
    signature of `document` (saved already). Returns the signed bytes, which the
    caller stores as the document's file. Raises NotSignable or
    SigningUnavailable; then nothing is recorded."""
    now = now or timezone.now()
    signature = pdf_signed(content=content, unit=unit, reason=reason)
    signed, certificate = signature.content, signature.certificate
    with transaction.atomic():
        record = SignedDocument.objects.create(
            content_type=ContentType.objects.get_for_model(document),
            object_id=document.pk,
            unit=unit,
            sha256=hashlib.sha256(signed).hexdigest(),
            signer_name=str(certificate.subject.native.get("common_name", ""))[:255],
            signer_subject=certificate.subject.human_friendly[:500],
            certificate_serial=format(certificate.serial_number, "x")[:64],
            backend=settings.SIGNATURE_BACKEND,
            development=signature.development,
            signed_at=now,
        )
    return Signed(content=signed, record=record)
