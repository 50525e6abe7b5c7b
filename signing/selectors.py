"""Reading what was signed, and checking a signed PDF."""

import dataclasses
import datetime
import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .adapters import SigningUnavailable, agency_signers
from .adapters.base import to_asn1, without_event_loop
from .models import SignedDocument

logger = logging.getLogger(__name__)


class Problem:
    """Why a document is not valid (the API's `problem`)."""

    UNSIGNED = "unsigned"
    MISSING = "missing"
    CHANGED = "changed"
    BROKEN = "signature_invalid"
    UNTRUSTED = "untrusted"


PROBLEMS = [
    Problem.UNSIGNED,
    Problem.MISSING,
    Problem.CHANGED,
    Problem.BROKEN,
    Problem.UNTRUSTED,
]


@dataclass(frozen=True)
class Verification:
    """What the check of a stored document found. `valid` only when its hash is
    the one recorded at signing, the signature covers the whole file and is
    intact, and its certificate chains to a trusted root."""

    signed: bool
    valid: bool
    problem: str
    signed_by: str
    signed_at: datetime.datetime | None
    document_sha256: str
    development: bool = False

    def message(self) -> str:
        """The finding in words a citizen understands."""
        if self.valid:
            return _(
                "Tệp kết quả còn nguyên vẹn: chữ ký số của %(signer)s hợp lệ và tệp "
                "không bị thay đổi kể từ khi ký."
            ) % {"signer": self.signed_by}
        return {
            Problem.UNSIGNED: _(
                "Tệp kết quả này không có chữ ký số của cơ quan, nên không xác "
                "thực được. Hãy đối chiếu với bản có dấu của cơ quan cấp."
            ),
            Problem.MISSING: _(
                "Không đọc được tệp kết quả đã lưu. Hãy liên hệ cơ quan cấp."
            ),
            Problem.CHANGED: _(
                "Tệp kết quả đã bị thay đổi sau khi cơ quan ký số: nội dung hiện "
                "tại không phải là bản cơ quan đã ký. Không sử dụng tệp này."
            ),
            Problem.BROKEN: _(
                "Chữ ký số trên tệp kết quả không hợp lệ: tệp có thể đã bị sửa. "
                "Không sử dụng tệp này."
            ),
            Problem.UNTRUSTED: _(
                "Chữ ký số không do một tổ chức chứng thực được tin cậy cấp, nên "
                "không xác thực được người ký."
            ),
        }.get(self.problem, "")


def signed_document_of(document: models.Model) -> SignedDocument | None:
    return SignedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
    ).first()


def is_signed(document: models.Model) -> bool:
    return signed_document_of(document) is not None


def trust_roots() -> list[asn1_x509.Certificate]:
    """SIGNATURE_TRUST_ROOTS, plus the development root while development keys
    sign (never in production: signing/checks.py)."""
    roots = []
    for name in settings.SIGNATURE_TRUST_ROOTS:
        roots.extend(_certificates_in(Path(name)))
    try:
        roots.extend(to_asn1(c) for c in agency_signers().trust_roots())
    except SigningUnavailable:
        logger.warning("signing backend unavailable; its roots are not trusted")
    return roots


def _certificates_in(path: Path) -> list[asn1_x509.Certificate]:
    return list(load_certs_from_pemder_data(path.read_bytes()))


def pdf_verify(*, content: bytes | None, record: SignedDocument | None) -> Verification:
    """Check `content`, the stored file of a document signed as `record` says
    (None: never signed)."""
    if record is None:
        return Verification(
            signed=False,
            valid=False,
            problem=Problem.UNSIGNED,
            signed_by="",
            signed_at=None,
            document_sha256=hashlib.sha256(content).hexdigest() if content else "",
        )
    found = Verification(
        signed=True,
        valid=False,
        problem="",
        signed_by=record.signer_name,
        signed_at=record.signed_at,
        document_sha256=record.sha256,
        development=record.development,
    )
    if content is None:
        return _with(found, Problem.MISSING)
    if hashlib.sha256(content).hexdigest() != record.sha256:
        return _with(found, Problem.CHANGED)
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_regular_signatures
        if len(signatures) != 1:
            return _with(found, Problem.BROKEN)
        context = ValidationContext(
            trust_roots=trust_roots(),
            allow_fetching=settings.SIGNATURE_FETCH_REVOCATION,
            revocation_mode="soft-fail",
        )
        status = without_event_loop(
            lambda: validate_pdf_signature(signatures[0], context)
        )
    except Exception:  # a damaged file is a finding, not a server error
        logger.warning(
            "signature check failed on document %s", record.pk, exc_info=True
        )
        return _with(found, Problem.BROKEN)
    # Bytes appended after the signature (another revision) are a change too.
    if not (status.intact and status.valid) or (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    ):
        return _with(found, Problem.BROKEN)
    if not status.trusted:
        return _with(found, Problem.UNTRUSTED)
    signed_at = status.signer_reported_dt or record.signed_at
    return Verification(
        signed=True,
        valid=True,
        problem="",
        signed_by=str(status.signing_cert.subject.native.get("common_name", ""))
        or record.signer_name,
        signed_at=signed_at,
        document_sha256=record.sha256,
        development=record.development,
    )


def _with(found: Verification, problem: str) -> Verification:
    return dataclasses.replace(found, valid=False, problem=problem)
