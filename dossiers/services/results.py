"""The result of a dossier: issued (uploaded or generated from the data) and
handed over.
"""

import datetime
import logging
import secrets
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import absolute_url

from .. import hooks
from ..files import (
    DiskFull,
    check_upload,
    file_store,
    files_removed_on_failure,
    safe_name,
)
from ..models import Dossier, Origin, Result
from ..transactions import atomic_retrying
from .core import transition_apply
from .errors import DossierError, storage_full

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@files_removed_on_failure
@atomic_retrying
def dossier_issue_result(
    *,
    dossier: Dossier,
    actor: "User",
    title: str,
    number: str = "",
    file: UploadedFile[bytes] | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Issue the electronic result with its verification token. With a file the
    result counts as digitised."""
    if not title.strip():
        raise DossierError(_("Hãy nhập tên kết quả (ví dụ: Giấy khai sinh)."))
    if file is not None and check_upload(file).content_type != "application/pdf":
        # A PAdES signature lives inside a PDF: a photo cannot carry the agency's
        # signature (docs/decisions.md, 251).
        raise DossierError(
            _(
                "Kết quả điện tử phải là tệp PDF để cơ quan ký số. Hãy chuyển ảnh "
                "chụp thành tệp PDF rồi tải lên lại."
            )
        )
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.completed_at = now
        d.result_digitized = file is not None

    dossier = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="issue_result",
        change=change,
        now=now,
    ).dossier
    result = Result(
        dossier=dossier,
        token=secrets.token_urlsafe(24),
        title=title.strip(),
        number=number.strip(),
        issued_at=now,
        issued_by_unit=dossier.processing_unit or dossier.receiving_unit,
        issued_by=actor,
    )
    result.save()
    # Its number in the agency's register, taken in this transaction (registers).
    hooks.result_number(result=result)
    if file is not None:
        file.seek(0)
        content = result_number_stamp(result, file.read())
        result_file_sign(result, content, name=file.name or "")
    return dossier


def result_number_stamp(result: Result, content: bytes) -> bytes:
    """The uploaded PDF with the result's register number stamped on its first
    page, before it is signed (the signature covers the number)."""
    from .. import slips

    if not result.book:
        return content
    try:
        return slips.number_stamp(content, slips.register_line(result))
    except slips.NotStampable as exc:
        raise DossierError(
            _(
                "Không ghi được số vào sổ lên tệp kết quả: tệp PDF bị hỏng, có mật "
                "khẩu hoặc không đúng định dạng. Hãy tải lên một tệp PDF khác."
            )
        ) from exc


def result_file_sign(result: Result, content: bytes, *, name: str = "") -> None:
    """Store the PDF `content` as the result's file, signed by the agency that
    issues it (signing: a PAdES signature with its certificate, and the record
    of what was signed). The last step before the file is kept: nothing is
    issued unsigned, a file that cannot be signed refuses the issue."""
    from signing.adapters import SigningUnavailable
    from signing.services import NotSignable, pdf_sign

    try:
        signed = pdf_sign(
            content=content,
            unit=result.issued_by_unit,
            document=result,
            reason=f"Kết quả giải quyết hồ sơ {result.dossier.code}",
            now=result.issued_at,
        )
    except NotSignable as exc:
        raise DossierError(
            _(
                "Không ký số được tệp kết quả: tệp PDF bị hỏng, có mật khẩu hoặc "
                "không đúng định dạng. Hãy tải lên một tệp PDF khác."
            )
        ) from exc
    except SigningUnavailable as exc:
        logger.error("result of %s not signed: %s", result.dossier.code, exc)
        raise DossierError(
            _(
                "Chưa ký số được kết quả vì chứng thư số của cơ quan chưa sẵn sàng. "
                "Hãy thử lại sau hoặc báo quản trị hệ thống."
            )
        ) from exc
    try:
        file_store(
            result.file, f"{secrets.token_hex(16)}.pdf", ContentFile(signed.content)
        )
    except DiskFull as exc:
        raise storage_full(safe_name(name or "ket-qua.pdf")) from exc
    result.save(update_fields=["file"])


@atomic_retrying
def dossier_return_result(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    method: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Hand the result over (at the counter, by post or online)."""
    if method not in {"counter", "post", "online"}:
        raise DossierError(_("Hãy chọn hình thức trả kết quả."))
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.returned_at = now
        d.return_method = method

    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="return_result",
        note=note,
        change=change,
        details={"method": method},
        now=now,
    ).dossier


@files_removed_on_failure
@atomic_retrying
def dossier_issue_generated_result(
    *,
    dossier: Dossier,
    actor: "User",
    title: str,
    number: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Issue the result and generate its document (PDF with the verification QR
    code, at the portal's public address) from the dossier's data: the result is
    digitised."""
    from django.utils import translation

    from .. import slips
    from ..selectors import dossier_data_rows

    dossier = dossier_issue_result(
        dossier=dossier, actor=actor, title=title, number=number, now=now
    )
    result = Result.objects.select_related("issued_by_unit").get(dossier=dossier)
    # An official paper is in Vietnamese whoever issues it.
    with translation.override("vi"):
        content = slips.result_pdf(
            dossier,
            result,
            verify_url=absolute_url(result.get_absolute_url()),
            data_rows=dossier_data_rows(dossier=dossier),
        )
    result_file_sign(result, content)
    Dossier.objects.filter(pk=dossier.pk).update(result_digitized=True)
    dossier.result_digitized = True
    return dossier
