"""Checks on files added to a dossier: the shared inspection (accounts/uploads.py:
type by content, active PDF content, image bombs, safe names) plus the dossier's
own caps on file size, total size and number of files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.uploads import CheckedFile, inspect_upload, safe_name

__all__ = ["CheckedFile", "check_upload", "safe_name"]


def check_upload(
    upload: UploadedFile[bytes], *, already_stored: int = 0, already_count: int = 0
) -> CheckedFile:
    """Validate one upload against a dossier holding `already_count` files of
    `already_stored` bytes. Raises ValidationError with a message the citizen can
    act on."""
    if already_count >= settings.DOSSIER_MAX_FILES:
        raise ValidationError(
            _("Hồ sơ đã có %(limit)d tệp, không thêm được nữa.")
            % {"limit": settings.DOSSIER_MAX_FILES},
            code="too_many_files",
        )
    size = upload.size or 0
    max_total = settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
    if size and already_stored + size > max_total:
        raise ValidationError(
            _("Tổng dung lượng tệp của hồ sơ vượt quá %(limit)d MB.")
            % {"limit": settings.DOSSIER_MAX_TOTAL_MB},
            code="total_too_large",
        )
    return inspect_upload(
        upload,
        name=upload.name or "",
        size=size,
        max_bytes=settings.DOSSIER_MAX_FILE_MB * 1024 * 1024,
    )
