"""Checks on uploaded files: type by content, size caps, safe names."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.services import sniff_content_type


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str
    safe_name: str


def safe_name(name: str) -> str:
    """A display name without folders, control characters or odd Unicode forms."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "tep"
    return name[:150]


def check_upload(
    upload: UploadedFile[bytes], *, already_stored: int = 0
) -> CheckedFile:
    """Validate one upload; `already_stored` is the dossier's total so far.

    Raises ValidationError with a message the citizen can act on.
    """
    max_file = settings.DOSSIER_MAX_FILE_MB * 1024 * 1024
    max_total = settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Tệp trống, hãy chọn lại tệp."), code="empty")
    if size > max_file:
        raise ValidationError(
            _(
                "Tệp “%(name)s” lớn hơn %(limit)d MB. Hãy chụp lại ảnh nhỏ hơn "
                "hoặc nén PDF."
            )
            % {
                "name": safe_name(upload.name or ""),
                "limit": settings.DOSSIER_MAX_FILE_MB,
            },
            code="too_large",
        )
    if already_stored + size > max_total:
        raise ValidationError(
            _("Tổng dung lượng tệp của hồ sơ vượt quá %(limit)d MB.")
            % {"limit": settings.DOSSIER_MAX_TOTAL_MB},
            code="total_too_large",
        )
    upload.seek(0)
    # What a file starts with decides its type, never its name (the same check
    # as the personal document store's).
    sniffed = sniff_content_type(upload.read(16))
    if sniffed is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, JPEG hay PNG (hệ thống kiểm tra nội "
                "dung tệp, không chỉ phần đuôi tên)."
            )
            % {"name": safe_name(upload.name or "")},
            code="bad_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        content_type=sniffed[0],
        size=size,
        sha256=digest.hexdigest(),
        safe_name=safe_name(upload.name or ""),
    )
