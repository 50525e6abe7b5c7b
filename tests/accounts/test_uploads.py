"""Upload attacks are refused with messages a citizen can act on."""

import base64
import io
import random
import re
import struct
import zlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts import pdf_check
from accounts.pdf_check import PdfProblem, pdf_problem
from accounts.uploads import inspect_upload, printable_text, safe_name
from dossiers import services
from tests.accounts.pdfs import PAGES as PAGE_TREE
from tests.accounts.pdfs import catalog as with_catalog
from tests.accounts.pdfs import document, make_pdf, page, stream
from tests.dossiers.factories import make_dossier, pdf_upload

MB = 1024 * 1024
PLAIN_PDF = document()


def check(data: bytes, name: str = "giay-to.pdf", max_bytes: int = 10 * MB):
    return inspect_upload(
        io.BytesIO(data), name=name, size=len(data), max_bytes=max_bytes
    )


def png(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height, with a tiny body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def real_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "JPEG")
    return out.getvalue()


def test_genuine_pdf_png_and_jpeg_are_accepted():
    assert check(PLAIN_PDF).content_type == "application/pdf"
    assert check(png(800, 600), "anh.png").content_type == "image/png"
    assert check(real_jpeg(), "anh.jpg").content_type == "image/jpeg"


def test_wrong_content_behind_a_good_extension_is_refused():
    with pytest.raises(ValidationError, match="không phải PDF, JPEG hay PNG"):
        check(b"MZ\x90\x00\x03 windows program", "giay-khai-sinh.pdf")
    with pytest.raises(ValidationError, match="không phải PDF, JPEG hay PNG"):
        check(b"<html><script>alert(1)</script></html>", "anh.png")


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(ValidationError, match="lớn hơn 1 MB"):
        check(PLAIN_PDF + b"0" * MB, max_bytes=MB)


@pytest.fixture(autouse=True)
def _no_remembered_verdicts(monkeypatch):
    # The check remembers verdicts by SHA-256; tests change its bounds.
    monkeypatch.setattr(pdf_check, "_RECENT", {})


@pytest.mark.parametrize(
    "pdf",
    [
        document(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        document(catalog_extra=b"/AA << /O << /S /J#61vaScript >> >>"),
        document(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        document(
            b"<< /S /JavaScript /JS (this.print()) >>",
            catalog_extra=b"/OpenAction 4 0 R",
            packed={4},
        ),
        # An object stream as reportlab writes its pages: ASCII85 over Flate.
        document(
            b"<< /S /Ja#76aScript /JS (x) >>",
            catalog_extra=b"/OpenAction 4 0 R",
            packed={1, 4},
            pack_filter=b"[ /ASCII85Decode /FlateDecode ]",
            pack_encode=lambda raw: base64.a85encode(zlib.compress(raw)) + b"~>",
        ),
        # Only the short name, in an object stream.
        document(
            b"<< /JS (app.alert(1)) >>", catalog_extra=b"/OpenAction 4 0 R", packed={4}
        ),
    ],
    ids=[
        "plain",
        "hex-escaped name",
        "launch action",
        "inside a compressed object stream",
        "inside an ASCII85 object stream",
        "short name in an object stream",
    ],
)
def test_a_pdf_with_active_content_is_refused(pdf):
    assert pdf_problem(pdf) is PdfProblem.ACTIVE_CONTENT
    with pytest.raises(ValidationError, match="JavaScript") as refused:
        check(pdf)
    assert refused.value.code == "pdf_active_content"


def _stream_pdf(filters: bytes, body: bytes) -> bytes:
    """A one-page PDF drawn by `body` (its page text, or a picture on it)."""
    drawing = stream(b"/Filter %s" % filters, body)
    if filters == b"/DCTDecode":
        drawing = stream(
            b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /Filter /DCTDecode",
            body,
        )
        return make_pdf(
            with_catalog(b""),
            PAGE_TREE,
            page(b"/Resources << /XObject << /Im1 4 0 R >> >>"),
            drawing,
        )
    return make_pdf(with_catalog(b""), PAGE_TREE, page(b"/Contents 4 0 R"), drawing)


def _chance_js(encode: Callable[[bytes], bytes], size: int) -> bytes:
    """Encoded random data in which "/JS" and a delimiter turn up by chance."""
    rng = random.Random(6)
    for _ in range(2000):
        body = encode(rng.randbytes(size))
        if re.search(rb"/JS[^A-Za-z0-9#]", body):
            return body
    raise AssertionError("no chance /JS in 2000 tries")


def test_a_chance_js_in_encoded_or_picture_bytes_is_not_active_content():
    # reportlab writes page contents as ASCII85 over Flate: "/JS?" turns up in
    # its text by chance, and a linked step's result slip was refused so.
    a85 = _chance_js(lambda raw: base64.a85encode(zlib.compress(raw)) + b"~>", 4096)
    jpeg = _chance_js(lambda raw: b"\xff\xd8\xff\xe0" + raw, 65536)
    flate = _chance_js(zlib.compress, 65536)

    for pdf in (
        _stream_pdf(b"[ /ASCII85Decode /FlateDecode ]", a85),
        _stream_pdf(b"/DCTDecode", jpeg),
        _stream_pdf(b"/FlateDecode", flate),
    ):
        assert pdf_problem(pdf) is None
        assert check(pdf).content_type == "application/pdf"


def test_a_picture_whose_bytes_spell_an_action_is_accepted():
    # The byte check refused it (it looked for the long names in every stream);
    # a reader never takes a picture's bytes for objects.
    pdf = _stream_pdf(b"/DCTDecode", b"<< /S /JavaScript /JS (app.alert(1)) >>")

    assert check(pdf).content_type == "application/pdf"


def _encrypted() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="1234", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("pdf", "code", "message"),
    [
        (
            document(
                catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) "
                b"<< /Type /Filespec /EF << /F 4 0 R >> >>] >> >>"
            ),
            "pdf_embedded_file",
            "có tệp khác đính kèm bên trong",
        ),
        (_encrypted(), "pdf_encrypted", "có mật khẩu"),
        (PLAIN_PDF[: len(PLAIN_PDF) // 2], "pdf_broken", "bị hỏng hoặc không trọn vẹn"),
        (
            b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n",
            "pdf_broken",
            "bị hỏng",
        ),
        (
            document(
                *[b"<< /Next %d 0 R >>" % (n + 1) for n in range(4, 40)],
                catalog_extra=b"/Foo 4 0 R",
            ),
            "pdf_too_complex",
            "quá phức tạp",
        ),
    ],
    ids=["attached file", "password", "cut short", "no table", "too complex"],
)
def test_a_refused_pdf_is_told_why(monkeypatch, pdf, code, message):
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 20)

    with pytest.raises(ValidationError, match=message) as refused:
        check(pdf, "giấy tờ.pdf")

    assert refused.value.code == code
    assert "“giấy tờ.pdf”" in refused.value.messages[0]


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real JPEG whose frame header is changed to declare width × height."""
    data = bytearray(real_jpeg())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_an_image_bomb_is_refused_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 40_000_000
    bomb = png(60_000, 60_000)  # 3.6 billion pixels declared in 100 bytes

    assert len(bomb) < 200
    with pytest.raises(ValidationError, match="quá lớn"):
        check(bomb, "anh.png")


@pytest.mark.parametrize(
    ("picture", "vietnamese", "english"),
    [
        (
            png(60_000, 60_000),
            "60.000 × 60.000 điểm ảnh (khoảng 3.600 triệu điểm ảnh)",
            "60,000 × 60,000 pixels (about 3,600 megapixels)",
        ),
        (
            jpeg_declaring(8000, 6000),
            "8.000 × 6.000 điểm ảnh (khoảng 48 triệu điểm ảnh)",
            "8,000 × 6,000 pixels (about 48 megapixels)",
        ),
        (
            png(7000, 6500),
            "7.000 × 6.500 điểm ảnh (khoảng 45,5 triệu điểm ảnh)",
            "7,000 × 6,500 pixels (about 45.5 megapixels)",
        ),
    ],
    ids=["past Pillow's own limit", "a phone's 48 MP mode", "a fraction"],
)
def test_an_oversized_picture_is_told_its_real_size(
    settings, picture, vietnamese, english
):
    settings.UPLOAD_MAX_PIXELS = 40_000_000

    with pytest.raises(ValidationError) as refused:
        check(picture, "anh.jpg")
    with translation.override("en"), pytest.raises(ValidationError) as in_english:
        check(picture, "anh.jpg")

    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        f"Ảnh “anh.jpg” quá lớn: {vietnamese}, hệ thống chỉ nhận ảnh đến 40 triệu "
        "điểm ảnh. Hãy chụp lại ở chế độ thường của điện thoại hoặc thu nhỏ ảnh."
    ]
    assert (
        f"{english}; the portal accepts pictures of up to 40 megapixels"
        in (in_english.value.messages[0])
    )


def test_a_picture_within_the_limit_is_accepted(settings):
    settings.UPLOAD_MAX_PIXELS = 40_000_000

    assert check(jpeg_declaring(6000, 4000), "anh.jpg").content_type == "image/jpeg"


def test_a_broken_image_is_refused():
    with pytest.raises(ValidationError, match="bị hỏng"):
        check(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "anh.png")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("giay\x00to\x1b[31m.pdf", "giayto[31m.pdf"),
        ("\u202egpj.exe", "gpj.exe"),
        ("", "tep"),
        # Bidirectional embeddings, overrides, isolates and marks.
        ("a\u202ab\u202b\u202c\u202d.pdf", "ab.pdf"),
        ("\u2066tên\u2067\u2068\u2069.pdf", "tên.pdf"),
        ("a\u200e\u200fb\u061c.pdf", "ab.pdf"),
        # Line breaks, odd spaces, invisible fillers and joiners.
        ("dòng\u2028một\u2029hai.pdf", "dòng một hai.pdf"),
        ("hai\u00a0\u3000 khoảng\t.pdf", "hai khoảng .pdf"),
        ("ẩn\u3164\u115f\u034f\ufe0f\u200b.pdf", "ẩn.pdf"),
        (" giấy tờ.pdf. ", "giấy tờ.pdf"),
        # Letters composed as a Vietnamese keyboard writes them.
        ("Nguye\u0302\u0303n.pdf", "Nguyễn.pdf"),
    ],
)
def test_names_lose_folders_and_control_characters(name, shown):
    assert safe_name(name) == shown


def test_printable_text_keeps_slashes_and_words():
    assert printable_text("Giấy khai sinh\u202e 01/2020 ") == "Giấy khai sinh 01/2020"


BIDI_NAME = "\u202ehoa\u2028don\u2066\u3164.pdf"


@pytest.mark.django_db
def test_attachment_names_are_kept_printable(citizen, unit_a):
    dossier = make_dossier(applicant=citizen, unit=unit_a)

    attachment = services.attachment_add_to_dossier(
        dossier=dossier, uploaded_by=citizen, upload=pdf_upload(BIDI_NAME)
    )

    assert attachment.original_name == "hoa don.pdf"


@pytest.mark.django_db
def test_the_document_store_keeps_titles_printable(citizen, unit_a):
    from accounts.services import stored_document_add

    document_ = stored_document_add(
        owner=citizen,
        doc_type="other",
        title="\u202eCCCD\u2069 mặt trước\u2028",
        file=pdf_upload(BIDI_NAME),
    )
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    copied = services.attachment_from_stored_document(
        owner=citizen, stored_document_id=document_.pk, document_key="", dossier=dossier
    )

    assert document_.title == "CCCD mặt trước"
    assert copied.original_name == "CCCD mặt trước"


@pytest.mark.django_db
def test_a_dossier_refuses_more_files_than_its_cap(settings, citizen, unit_a):
    settings.DOSSIER_MAX_FILES = 3
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    for _ in range(3):
        services.attachment_add_to_dossier(
            dossier=dossier, uploaded_by=citizen, upload=pdf_upload()
        )

    with pytest.raises(services.DossierError, match="3 tệp"):
        services.attachment_add_to_dossier(
            dossier=dossier, uploaded_by=citizen, upload=pdf_upload()
        )
    assert dossier.attachments.count() == 3


@pytest.mark.django_db
def test_the_document_store_applies_the_same_inspection(citizen):
    from accounts.services import stored_document_add

    evil = SimpleUploadedFile(
        "cccd.pdf",
        document(catalog_extra=b"/OpenAction << /S /JavaScript >>"),
    )

    with pytest.raises(ValidationError, match="JavaScript"):
        stored_document_add(owner=citizen, doc_type="other", title="CCCD", file=evil)
