"""Inspection of uploaded files, shared by the document store and dossiers.

A file is accepted when its content (never its name or the browser's claim) is a
PDF, JPEG or PNG, it is not too big, a PDF carries no active content (JavaScript,
launch actions), and an image does not declare more pixels than any scan needs
(a "decompression bomb"). The display name keeps no folders or control
characters; the stored name never comes from the user.
"""

import base64
import binascii
import contextlib
import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What the first bytes of a file say it is: (magic, content type, extension).
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]

# PDF names that run code or other programs when the file is opened.
_ACTIVE_PDF_NAMES = {b"/JavaScript", b"/JS", b"/Launch", b"/RichMedia"}
_LONG_ACTIVE_NAMES = _ACTIVE_PDF_NAMES - {b"/JS"}
_PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
# The end of line before "endstream" is optional: reportlab writes none.
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n(.*?)(?:\r?\n)?endstream", re.S)
# Filters whose data is a picture: it holds no PDF objects.
_IMAGE_FILTERS = {b"DCTDecode", b"DCT", b"JPXDecode", b"CCITTFaxDecode", b"CCF"}
_IMAGE_FILTERS |= {b"JBIG2Decode"}
_INFLATED_MAX = 20 * 1024 * 1024


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


def safe_name(name: str) -> str:
    """A display name without folders, control characters or odd Unicode forms."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "tep"
    return name[:150]


def _pdf_names(data: bytes) -> set[bytes]:
    # Names may hide letters as #xx escapes: /J#61vaScript is /JavaScript.
    return {
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)
        for name in _PDF_NAME.findall(data)
    }


def _stream_dictionary(data: bytes, start: int) -> bytes:
    """The dictionary of the stream whose data starts at `start`: the text
    between its `obj` keyword and `stream`."""
    head = data[max(0, start - 2048) : start]
    opened = head.rfind(b"obj")
    return head[opened + 3 :] if opened >= 0 else head


def _stream_filters(dictionary: bytes) -> list[bytes]:
    match = re.search(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9#]+)", dictionary)
    if match is None:
        return []
    return [name[1:] for name in _PDF_NAME.findall(match.group(1))]


def _decoded(stream: bytes, filters: list[bytes]) -> bytes | None:
    """The stream's data with its text and Flate filters undone, in their order;
    None when a filter is unknown here or the data does not decode."""
    data = stream
    for name in filters:
        try:
            if name in {b"ASCII85Decode", b"A85"}:
                data = base64.a85decode(data.strip().removesuffix(b"~>"))
            elif name in {b"ASCIIHexDecode", b"AHx"}:
                data = bytes.fromhex(data.split(b">")[0].decode("ascii"))
            elif name in {b"FlateDecode", b"Fl"}:
                data = zlib.decompressobj().decompress(data, _INFLATED_MAX)
            else:
                return None
        except (ValueError, binascii.Error, zlib.error):
            return None
    return data


def _stream_names(stream: bytes, filters: list[bytes]) -> set[bytes]:
    """The names of the stream as a reader decodes it; when it cannot be decoded
    here, those of its bytes as they are and inflated (if they inflate)."""
    decoded = _decoded(stream, filters)
    if decoded is not None:
        return _pdf_names(decoded)
    names = _pdf_names(stream)
    with contextlib.suppress(zlib.error):
        names |= _pdf_names(zlib.decompressobj().decompress(stream, _INFLATED_MAX))
    return names


def pdf_has_active_content(data: bytes) -> bool:
    """Whether the PDF holds JavaScript or launch actions, in the open or inside
    object streams, read decoded as a reader reads them.

    Elsewhere in streams (pages, fonts, pictures) names are data, and the short
    name /JS turns up there by chance: reportlab writes its pages as ASCII85 text,
    where "/JS" and a delimiter come about once in 2 MB (a linked step's result
    slip was refused so, about one in several hundred), and a scan's pixels may
    hold it too. The long names are looked for in every
    stream, raw and decoded, and a JavaScript action cannot do without
    /JavaScript."""
    outside = _PDF_STREAM.sub(b"stream\nendstream", data)
    if _pdf_names(outside) & _ACTIVE_PDF_NAMES:
        return True
    for match in _PDF_STREAM.finditer(data):
        stream = match.group(1)
        if _pdf_names(stream) & _LONG_ACTIVE_NAMES:
            return True
        dictionary = _stream_dictionary(data, match.start())
        filters = _stream_filters(dictionary)
        if _IMAGE_FILTERS.intersection(filters) or re.search(
            rb"/Subtype\s*/Image", dictionary
        ):
            continue
        wanted = _ACTIVE_PDF_NAMES if b"/ObjStm" in dictionary else _LONG_ACTIVE_NAMES
        if _stream_names(stream, filters) & wanted:
            return True
    return False


def image_pixels(handle: IO[bytes]) -> int | None:
    """Width × height from the image header (nothing is decoded), None when the
    header cannot be read."""
    from PIL import Image

    handle.seek(0)
    try:
        with Image.open(handle) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        return 1 << 62
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        handle.seek(0)
    return int(width) * int(height)


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
    if content_type == "application/pdf" and pdf_has_active_content(data):
        raise ValidationError(
            _(
                "Tệp PDF “%(name)s” có chứa mã chạy tự động (JavaScript), hệ thống "
                "không nhận. Hãy in ra PDF lại hoặc chụp ảnh giấy tờ."
            )
            % {"name": shown},
            code="pdf_active_content",
        )
    if content_type.startswith("image/"):
        pixels = image_pixels(upload)
        if pixels is None:
            raise ValidationError(
                _("Ảnh “%(name)s” bị hỏng, không đọc được. Hãy chụp lại.")
                % {"name": shown},
                code="bad_image",
            )
        if pixels > settings.UPLOAD_MAX_PIXELS:
            raise ValidationError(
                _(
                    "Ảnh “%(name)s” quá lớn (%(megapixels)d triệu điểm ảnh). Hãy "
                    "chụp lại ở độ phân giải thường."
                )
                % {"name": shown, "megapixels": pixels // 1_000_000},
                code="too_many_pixels",
            )
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        safe_name=shown,
    )
