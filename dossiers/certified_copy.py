"""The electronic certified copy (chứng thực bản sao điện tử từ bản chính,
issue 22 point 3): the scan of the original the officer compared at the counter,
as PDF pages, followed by a page with the certification statement. It becomes
the dossier's draft result; the issue stamps the certification register's number
on its first page and signs the whole file with the agency's certificate, as for
every result (docs/registers.md, decisions 300-302).

The statement's wording is ours: the model statements of the Ministry of
Justice's circular are not in the reference facts, and an agency whose model
differs changes `statement_lines`.
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from .slips import pdf_build, pdf_styles, pdf_when


class NotAScan(Exception):
    """A file that cannot be made into the copy's pages (broken, encrypted)."""


@dataclass(frozen=True)
class CopyStatement:
    """What the certification statement says."""

    agency: str
    document_name: str
    applicant: str
    officer: str
    seen_at: datetime.datetime
    copies: int | None = None


def statement_lines(statement: CopyStatement, pages: int) -> list[str]:
    """The statement's paragraphs, in the order printed."""
    lines = [
        "Chứng thực bản sao này đúng với bản chính.",
        f"Giấy tờ, văn bản: {statement.document_name or '(không ghi tên)'}.",
        f"Bản sao gồm {pages} trang, không kể trang lời chứng này.",
    ]
    if statement.copies:
        lines.append(f"Số bản sao điện tử được chứng thực: {statement.copies}.")
    lines += [
        f"Người yêu cầu chứng thực: {statement.applicant}.",
        (
            f"Bản chính do người yêu cầu xuất trình đã được {statement.officer} "
            f"đối chiếu trực tiếp lúc {pdf_when(statement.seen_at)}."
        ),
        (
            "Số chứng thực và quyển số ghi ở đầu trang thứ nhất. Bản sao điện tử "
            f"được ký số bằng chứng thư số của {statement.agency}; chữ ký và tính "
            "toàn vẹn của tệp được kiểm tra trên Cổng Dịch vụ công, mục Xác thực "
            "kết quả."
        ),
    ]
    return lines


def _statement_page(statement: CopyStatement, pages: int) -> bytes:
    s = pdf_styles()
    story = [
        Paragraph(escape(statement.agency.upper()), s["center_bold"]),
        Spacer(1, 8 * mm),
        Paragraph("LỜI CHỨNG", s["title"]),
        Paragraph("Chứng thực bản sao điện tử từ bản chính", s["center"]),
        Spacer(1, 6 * mm),
    ]
    for line in statement_lines(statement, pages):
        story += [Paragraph(escape(line), s["base"]), Spacer(1, 2 * mm)]
    return pdf_build(story, pagesize=A4)


def _image_page(content: bytes) -> bytes:
    """One A4 page with the image fitted inside its margins."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = ImageReader(io.BytesIO(content))
    width, height = image.getSize()
    page_width, page_height = A4
    margin = 10 * mm
    scale = min((page_width - 2 * margin) / width, (page_height - 2 * margin) / height)
    drawn_width, drawn_height = width * scale, height * scale
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    drawing.drawImage(
        image,
        (page_width - drawn_width) / 2,
        (page_height - drawn_height) / 2,
        drawn_width,
        drawn_height,
    )
    drawing.showPage()
    drawing.save()
    return out.getvalue()


def certified_copy_pdf(
    *, scan: bytes, content_type: str, statement: CopyStatement
) -> tuple[bytes, int]:
    """The copy's PDF (the scan's pages, then the statement) and how many pages
    the scan has. `content_type` is what the upload check found: a PDF, or a
    photo (JPEG, PNG) that becomes one page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        if content_type == "application/pdf":
            reader = PdfReader(io.BytesIO(scan))
            if reader.is_encrypted:
                raise NotAScan("encrypted")
        else:
            reader = PdfReader(io.BytesIO(_image_page(scan)))
        pages = len(reader.pages)
        if pages == 0:
            raise NotAScan("no page")
        writer = PdfWriter(clone_from=reader)
        writer.append(PdfReader(io.BytesIO(_statement_page(statement, pages))))
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise NotAScan(str(exc)) from exc
    return out.getvalue(), pages
