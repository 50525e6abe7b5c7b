"""Inspection of uploaded files, shared by the document store and dossiers.

A file is accepted when its content (never its name or the browser's claim) is a
PDF, JPEG or PNG, it is not too big, a PDF opens without a password and carries
no active content (JavaScript, launch actions, attached files: accounts/
pdf_check.py walks it with pypdf), and an image does not declare more pixels than
any scan needs (a "decompression bomb"). The display name keeps no folders,
control or invisible characters; the stored name never comes from the user.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .pdf_check import PdfProblem, pdf_problem

# What the first bytes of a file say it is: (magic, content type, extension).
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]

# Default-ignorable code points outside Unicode's "C" categories: they display
# as nothing (Hangul fillers, variation selectors, the combining grapheme
# joiner), so a name could hide or fake its letters with them.
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef]"
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str
    safe_name: str


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, PNG or JPEG file, else None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def printable_text(text: str) -> str:
    """`text` as people should see it: composed (NFC) letters, without control
    or format characters (bidirectional overrides and isolates U+202A-U+202E and
    U+2066-U+2069, marks U+200E/F and U+061C, zero-width characters), private
    or unassigned code points, invisible fillers, or line breaks; every run of
    spaces (no-break, ideographic ...) is one space."""
    text = unicodedata.normalize("NFC", text or "")
    kept = []
    for ch in _INVISIBLE.sub("", text):
        kind = unicodedata.category(ch)
        if kind[0] == "Z" or ch in "\t\n\r":
            kept.append(" ")
        elif kind[0] != "C":
            kept.append(ch)
    return " ".join("".join(kept).split())


def safe_name(name: str) -> str:
    """A file's display name: printable (see printable_text), without folders or
    leading and trailing dots."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = printable_text(name).strip(" .") or "tep"
    return name[:150]


def _pdf_refusal(problem: PdfProblem, shown: str) -> ValidationError:
    messages = {
        PdfProblem.ACTIVE_CONTENT: _(
            "Tệp PDF “%(name)s” có chứa mã chạy tự động (JavaScript), hệ thống "
            "không nhận. Hãy in ra PDF lại hoặc chụp ảnh giấy tờ."
        ),
        PdfProblem.EMBEDDED_FILE: _(
            "Tệp PDF “%(name)s” có tệp khác đính kèm bên trong, hệ thống không "
            "nhận. Hãy in ra PDF lại hoặc chụp ảnh giấy tờ."
        ),
        PdfProblem.ENCRYPTED: _(
            "Tệp PDF “%(name)s” có mật khẩu nên không mở được. Hãy gỡ mật khẩu "
            "hoặc in ra PDF lại, rồi tải lên."
        ),
        PdfProblem.BROKEN: _(
            "Tệp PDF “%(name)s” bị hỏng hoặc không trọn vẹn (có thể chưa tải hết "
            "về máy), không đọc được. Hãy tải lại tệp gốc; nếu vẫn lỗi, hãy in ra "
            "PDF lại hoặc chụp ảnh giấy tờ."
        ),
        PdfProblem.TOO_COMPLEX: _(
            "Tệp PDF “%(name)s” có cấu trúc quá phức tạp để hệ thống kiểm tra. Hãy "
            "chỉ gửi các trang cần nộp, in ra PDF lại hoặc chụp ảnh giấy tờ."
        ),
    }
    return ValidationError(messages[problem] % {"name": shown}, code=problem.value)


def image_size(handle: IO[bytes], content_type: str) -> tuple[int, int] | None:
    """(width, height) from the image header (nothing is decoded), None when the
    header cannot be read."""
    from PIL import JpegImagePlugin, PngImagePlugin

    # The format's own reader, not Image.open: that refuses a header of more
    # than twice Pillow's pixel limit without saying its size, which the
    # citizen is told.
    reader = (
        PngImagePlugin.PngImageFile
        if content_type == "image/png"
        else JpegImagePlugin.JpegImageFile
    )
    handle.seek(0)
    try:
        with reader(handle) as image:
            width, height = image.size
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        handle.seek(0)
    return int(width), int(height)


def _megapixels(pixels: int) -> str:
    value = round(pixels / 1_000_000, 1)
    places = 0 if value.is_integer() or value >= 100 else 1
    return number_format(value, decimal_pos=places, force_grouping=True)


def _too_many_pixels(shown: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "Ảnh “%(name)s” quá lớn: %(width)s × %(height)s điểm ảnh (khoảng "
            "%(megapixels)s triệu điểm ảnh), hệ thống chỉ nhận ảnh đến %(limit)s "
            "triệu điểm ảnh. Hãy chụp lại ở chế độ thường của điện thoại hoặc thu "
            "nhỏ ảnh."
        )
        % {
            "name": shown,
            "width": number_format(width, force_grouping=True),
            "height": number_format(height, force_grouping=True),
            "megapixels": _megapixels(width * height),
            "limit": _megapixels(settings.UPLOAD_MAX_PIXELS),
        },
        code="too_many_pixels",
    )


def inspect_upload(
    upload: IO[bytes], *, name: str, size: int, max_bytes: int
) -> CheckedFile:
    """Check one uploaded file; raise ValidationError with a message a citizen can
    act on. Reads the file (at most `max_bytes`) once."""
    shown = safe_name(name)
    if size <= 0:
        raise ValidationError(_("Tệp trống, hãy chọn lại tệp."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _(
                "Tệp “%(name)s” lớn hơn %(limit)d MB. Hãy chụp lại ảnh nhỏ hơn "
                "hoặc nén PDF."
            )
            % {"name": shown, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    sniffed = sniff_content_type(data[:16])
    if sniffed is None:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, JPEG hay PNG (hệ thống kiểm tra nội "
                "dung tệp, không chỉ phần đuôi tên)."
            )
            % {"name": shown},
            code="bad_type",
        )
    content_type, extension = sniffed
    sha256 = hashlib.sha256(data).hexdigest()
    if content_type == "application/pdf":
        problem = pdf_problem(data, sha256=sha256)
        if problem is not None:
            raise _pdf_refusal(problem, shown)
    else:
        dimensions = image_size(upload, content_type)
        if dimensions is None:
            raise ValidationError(
                _("Ảnh “%(name)s” bị hỏng, không đọc được. Hãy chụp lại.")
                % {"name": shown},
                code="bad_image",
            )
        width, height = dimensions
        if width * height > settings.UPLOAD_MAX_PIXELS:
            raise _too_many_pixels(shown, width, height)
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        safe_name=shown,
    )
