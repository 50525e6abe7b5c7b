"""The one-stop shop's slips as PDF: the forms of the rule set in force on the
dossier's day of receipt (rules app: Circular 01/2018's forms 01-06, then
Circular 03/2025's 01-07), each slip with its form's number and name and the
rule set it follows. Slips go to citizens: they never carry the rule set's
unverified marks (officers see those in the explanation of the due date).

Official papers are written in Vietnamese whatever the reader's language. Each
slip carries, top left, a QR code linking to the public tracking page of the
dossier (TT 01/2023/TT-VPCP puts a QR code top left of issued papers).
"""

import datetime
import io
from pathlib import Path
from xml.sax.saxutils import escape as _e

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from rules.selectors import Rules

from .calendar import EARLY, LATE, ON_TIME, completion_timeliness
from .models import Dossier, Event, Result
from .no_appointment import dossier_no_appointment_notice
from .services.core import dossier_rules

FONTS = Path(__file__).resolve().parent / "fonts"
_registered = False


def _fonts() -> None:
    # DejaVu covers every Vietnamese letter with its diacritics.
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(
            TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf"))
        )
        # <b> in a paragraph ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ") needs the family.
        pdfmetrics.registerFontFamily(
            "DejaVu", normal="DejaVu", bold="DejaVu-Bold", boldItalic="DejaVu-Bold"
        )
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()  # paragraphs parse their markup, fonts included, when created
    base = ParagraphStyle("base", fontName="DejaVu", fontSize=9.5, leading=13)
    return {
        "base": base,
        "bold": ParagraphStyle("bold", parent=base, fontName="DejaVu-Bold"),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, fontName="DejaVu-Bold", alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=12.5,
            leading=17,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=6,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
    }


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return "…"
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _qr(url: str, size: float = 24 * mm) -> Flowable:
    # The flowable draws the modules straight on the page: a quarter of the time
    # of the graphics widget, which builds the code twice and a shape per run
    # (docs/benchmarks.md, linked chains).
    return QrCode(url, width=size, height=size)


class _Motto(Flowable):
    """The national motto (quốc hiệu, tiêu ngữ), each line whole and centred,
    the second underlined (NĐ 30/2020/NĐ-CP, Phụ lục I). A paragraph wraps
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA / VIỆT NAM" in a narrow column; this shrinks the
    font to the column's width instead (9.5 pt at most, 7 pt at least)."""

    LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    FONT = "DejaVu-Bold"

    def __init__(self, largest: float = 9.5, smallest: float = 7) -> None:
        super().__init__()
        self.largest, self.smallest, self.size = largest, smallest, largest

    def wrap(
        self, available_width: float, available_height: float
    ) -> tuple[float, float]:
        _fonts()
        widest = max(pdfmetrics.stringWidth(line, self.FONT, 1) for line in self.LINES)
        self.size = max(self.smallest, min(self.largest, available_width / widest))
        self.width = available_width
        self.height = self.size * 2.7 + 2
        return self.width, self.height

    def draw(self) -> None:
        canvas, middle, size = self.canv, self.width / 2, self.size
        canvas.setFont(self.FONT, size)
        first = self.height - size
        second = first - size * 1.35
        canvas.drawCentredString(middle, first, self.LINES[0])
        canvas.drawCentredString(middle, second, self.LINES[1])
        half = pdfmetrics.stringWidth(self.LINES[1], self.FONT, size) / 2
        canvas.setLineWidth(0.5)
        canvas.line(middle - half, second - 2, middle + half, second - 2)


def _heading(agency: Flowable, qr: Flowable) -> Table:
    """The top of a paper: the agency and the QR code on the left, the motto on
    the right (60 % of the width: one line each, 8.4 pt on A5, 9.5 pt on A4)."""
    table = Table(
        [[[agency, Spacer(1, 1.5 * mm), qr], _Motto()]], colWidths=["40%", "60%"]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _header(dossier: Dossier, tracking_url: str, s: dict[str, ParagraphStyle]) -> Table:
    agency = Paragraph(
        f"{_e(dossier.receiving_unit.name.upper())}<br/>"
        "<b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b>",
        s["center"],
    )
    return _heading(agency, _qr(tracking_url))


def _build(story: list[Flowable], pagesize: tuple[float, float] = A5) -> bytes:
    _fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title="Phiếu hồ sơ",
        author="Cổng Dịch vụ công",
    )
    doc.build(story)
    return buffer.getvalue()


def _signature(s: dict[str, ParagraphStyle], who: str) -> Table:
    sign = Paragraph(f"<b>{who}</b><br/>(Ký, ghi rõ họ tên)", s["center"])
    table = Table([["", sign]], colWidths=[None, 70 * mm])
    return table


def _common_rows(dossier: Dossier, s: dict[str, ParagraphStyle]) -> list[Paragraph]:
    applicant = dossier.applicant
    return [
        Paragraph(f"Mã hồ sơ: <b>{dossier.code}</b>", s["base"]),
        Paragraph(
            f"Ông/bà: <b>{_e(applicant.full_name)}</b> · Số định danh cá nhân: "
            f"{_e(applicant.username)}",
            s["base"],
        ),
        Paragraph(
            f"Thủ tục: {_e(dossier.procedure.name)}"
            + (f" (mã {dossier.procedure.code})" if dossier.procedure.code else ""),
            s["base"],
        ),
    ]


def _form_title(
    rules: Rules, key: str, default: str, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The form's number (when the rule set numbers it) and its name as title."""
    form = rules.form(key)
    story: list[Flowable] = []
    if form is not None:
        story.append(Paragraph(f"Mẫu số {_e(form['number'])}", s["center"]))
    story.append(Paragraph(_e((form["name"] if form else default).upper()), s["title"]))
    return story


def _rule_set_line(rules: Rules, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Which rule set the slip follows, by its name and legal basis."""
    if rules.rule_set is None:
        return []
    return [
        Spacer(1, 3 * mm),
        Paragraph(
            f"Áp dụng: {_e(rules.rule_set.name)}. Căn cứ: "
            f"{_e(rules.rule_set.legal_basis)}.",
            s["small"],
        ),
    ]


def _no_appointment_lines(
    dossier: Dossier, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The centre's "no writing, no appointment" day, when it covers the
    dossier (issue 22): the citizen is told the rule on the slip."""
    notice = dossier_no_appointment_notice(dossier)
    if notice is None:
        return []
    return [Paragraph(_e(notice.text_vi()), s["small"])]


def receipt_pdf(dossier: Dossier, *, tracking_url: str) -> bytes:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    s = _styles()
    rules = dossier_rules(dossier)
    papers = [
        Paragraph(f"{i}. {_e(a.original_name)}", s["base"])
        for i, a in enumerate(dossier.attachments.all(), start=1)
    ] or [Paragraph("(Hồ sơ điện tử theo tờ khai)", s["base"])]
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", s),
        *_common_rows(dossier, s),
        Paragraph("Thành phần hồ sơ đã nhận:", s["bold"]),
        *papers,
        Spacer(1, 3 * mm),
        Paragraph(
            "Thời gian nhận hồ sơ: "
            f"{_when(dossier.received_at or dossier.submitted_at)}",
            s["base"],
        ),
        Paragraph(f"Thời gian trả kết quả: <b>{_when(dossier.due_at)}</b>", s["base"]),
        *_no_appointment_lines(dossier, s),
        Paragraph(
            "Nhận kết quả tại Bộ phận tiếp nhận và trả kết quả hoặc trực tuyến trên "
            "Cổng Dịch vụ công. Tra cứu tiến độ bằng mã QR ở góc trái.",
            s["small"],
        ),
        Spacer(1, 5 * mm),
        _signature(s, "NGƯỜI TIẾP NHẬN HỒ SƠ"),
        *_rule_set_line(rules, s),
    ]
    return _build(story)


def supplement_pdf(dossier: Dossier, event: Event, *, tracking_url: str) -> bytes:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    s = _styles()
    rules = dossier_rules(dossier)
    items = event.details.get("items", [])
    clock = (
        "Thời hạn giải quyết tạm dừng trong những ngày chờ bổ sung."
        if rules.supplement_mode == "pause"
        else "Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ."
    )
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", s),
        *_common_rows(dossier, s),
        Paragraph("Yêu cầu bổ sung, hoàn thiện các nội dung sau:", s["bold"]),
        *[
            Paragraph(f"{i}. {_e(item)}", s["base"])
            for i, item in enumerate(items, start=1)
        ],
        Paragraph(f"Lý do: {_e(event.note)}", s["base"]),
        Paragraph(f"Ngày yêu cầu: {_when(event.at)}", s["base"]),
        Paragraph(
            f"Xin lỗi ông/bà vì sự bất tiện này. {clock}",
            s["small"],
        ),
        Spacer(1, 5 * mm),
        _signature(s, "NGƯỜI HƯỚNG DẪN"),
        *_rule_set_line(rules, s),
    ]
    return _build(story)


def refusal_pdf(dossier: Dossier, event: Event, *, tracking_url: str) -> bytes:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    s = _styles()
    rules = dossier_rules(dossier)
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", s),
        *_common_rows(dossier, s),
        Paragraph(f"Lý do từ chối: <b>{_e(event.note)}</b>", s["base"]),
        Paragraph(f"Ngày: {_when(event.at)}", s["base"]),
        Spacer(1, 5 * mm),
        _signature(s, "NGƯỜI LẬP PHIẾU"),
        *_rule_set_line(rules, s),
    ]
    return _build(story)


def apology_pdf(dossier: Dossier, event: Event, *, tracking_url: str) -> bytes:
    """Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (Circular 01/2018);
    Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Circular 03/2025)."""
    s = _styles()
    rules = dossier_rules(dossier)
    old_due = datetime.datetime.fromisoformat(event.details["old_due_at"])
    new_due = datetime.datetime.fromisoformat(event.details["new_due_at"])
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", s),
        *_common_rows(dossier, s),
        Paragraph(f"Theo giấy hẹn, kết quả được trả vào: {_when(old_due)}.", s["base"]),
        Paragraph(f"Lý do chậm trả kết quả: {_e(event.note)}", s["base"]),
        Paragraph(
            f"Cơ quan thành thật xin lỗi ông/bà và hẹn lại thời gian trả kết quả vào: "
            f"<b>{_when(new_due)}</b>.",
            s["base"],
        ),
        Spacer(1, 5 * mm),
        _signature(s, "THỦ TRƯỞNG CƠ QUAN"),
        *_rule_set_line(rules, s),
    ]
    return _build(story)


def stop_notice_pdf(dossier: Dossier, event: Event, *, tracking_url: str) -> bytes:
    """Form 05 of Circular 03/2025: Thông báo dừng giải quyết hồ sơ, issued when
    the applicant asked to stop and nothing had been decided (art. 7)."""
    s = _styles()
    rules = dossier_rules(dossier)
    where = (
        "tại Bộ phận tiếp nhận và trả kết quả"
        if event.details.get("at_counter")
        else "trực tuyến trên Cổng Dịch vụ công"
    )
    basis = (
        " theo Điều 7 Thông tư 03/2025/TT-VPCP"
        if rules.form("stop") is not None
        else ""
    )
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "stop", "Thông báo dừng giải quyết hồ sơ", s),
        *_common_rows(dossier, s),
        Paragraph(
            f"Ông/bà đề nghị dừng giải quyết hồ sơ {where} lúc {_when(event.at)}.",
            s["base"],
        ),
        Paragraph(f"Lý do: {_e(event.note)}", s["base"]),
        Paragraph(
            "Hồ sơ chưa có quyết định giải quyết nên cơ quan <b>dừng giải quyết hồ "
            f"sơ</b>{basis} kể từ {_when(event.at)}. Muốn giải quyết thủ tục này, "
            "ông/bà nộp một hồ sơ mới.",
            s["base"],
        ),
        Spacer(1, 5 * mm),
        _signature(s, "NGƯỜI LẬP THÔNG BÁO"),
        *_rule_set_line(rules, s),
    ]
    return _build(story)


_HANDOFFS = {
    "submit": "Nộp hồ sơ",
    "receive": "Bộ phận Một cửa tiếp nhận",
    "forward": "Giao cơ quan, đơn vị xử lý",
    "request_supplement": "Yêu cầu bổ sung",
    "supplement": "Nhận hồ sơ bổ sung",
    "approve": "Lãnh đạo phê duyệt",  # the earlier flow's dossiers (decision 234)
    "appraise": "Chuyên viên thẩm định, dự thảo kết quả",
    "submit_for_signature": "Trình lãnh đạo ký duyệt",
    "send_back": "Lãnh đạo trả lại chuyên viên",
    "sign": "Lãnh đạo ký duyệt",
    "issue_result": "Phát hành kết quả",
    "return_result": "Trả kết quả",
    "refuse": "Từ chối",
    "stop": "Dừng xử lý",
    "stop_on_request": "Dừng giải quyết theo đề nghị",
    "apologize": "Xin lỗi, hẹn lại",
}
_TIMELINESS = {EARLY: "Trước hạn", ON_TIME: "Đúng hạn", LATE: "Quá hạn"}


def control_slip_pdf(dossier: Dossier, *, tracking_url: str) -> bytes:
    """Form 05 (Circular 01/2018) or 06 (Circular 03/2025): Phiếu kiểm soát quá
    trình giải quyết hồ sơ, one row per hand-off with its timeliness against the
    due date in force."""
    s = _styles()
    rules = dossier_rules(dossier)
    rows: list[list[Flowable | str]] = [
        [
            Paragraph("<b>Bước</b>", s["small"]),
            Paragraph("<b>Cơ quan, cán bộ</b>", s["small"]),
            Paragraph("<b>Thời gian giao, nhận</b>", s["small"]),
            Paragraph("<b>Kết quả</b>", s["small"]),
            Paragraph("<b>Ghi chú</b>", s["small"]),
        ]
    ]
    for event in dossier.events.select_related("actor", "actor_unit"):
        if event.action not in _HANDOFFS:
            continue
        verdict = ""
        if dossier.due_at is not None and event.action != "submit":
            verdict = _TIMELINESS[
                completion_timeliness(due_at=dossier.due_at, completed_at=event.at)
            ]
        who = " · ".join(str(x) for x in (event.actor_unit, event.actor) if x)
        rows.append(
            [
                Paragraph(_HANDOFFS[event.action], s["small"]),
                Paragraph(_e(who), s["small"]),
                Paragraph(_when(event.at), s["small"]),
                Paragraph(verdict, s["small"]),
                Paragraph(_e(event.note[:200]), s["small"]),
            ]
        )
    table = Table(
        rows, colWidths=[30 * mm, 45 * mm, 38 * mm, 20 * mm, None], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story: list[Flowable] = [
        _header(dossier, tracking_url, s),
        *_form_title(rules, "control", "Phiếu kiểm soát quá trình giải quyết hồ sơ", s),
        *_common_rows(dossier, s),
        Paragraph(f"Hẹn trả kết quả: {_when(dossier.due_at)}", s["base"]),
        Spacer(1, 3 * mm),
        table,
        *_send_backs(dossier, s),
        *_rule_set_line(rules, s),
    ]
    return _build(story, pagesize=A4)


def _send_backs(dossier: Dossier, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """How many times the leader sent the draft back, and why (issue 18)."""
    if not dossier.send_back_count:
        return []
    reasons = dossier.events.filter(action="send_back").order_by("at", "pk")
    return [
        Spacer(1, 3 * mm),
        Paragraph(
            f"Số lần lãnh đạo trả lại chuyên viên: {dossier.send_back_count}",
            s["base"],
        ),
        *(Paragraph(f"- {_when(e.at)}: {_e(e.note)}", s["small"]) for e in reasons),
    ]


# --- The generated result (officer pages) -------------------------------------------


def result_pdf(
    dossier: Dossier,
    result: Result,
    *,
    verify_url: str,
    data_rows: list[tuple[str, str]],
) -> bytes:
    """An electronic result generated from the dossier's data when the unit has no
    file of its own to upload. The QR code (top left) and the printed address lead
    to the public verification page of its token. It is the portal's own layout,
    not the legal form of any particular paper."""
    s = _styles()
    unit = result.issued_by_unit
    agency = Paragraph(f"<b>{_e(unit.name.upper())}</b>", s["center"])
    header = _heading(agency, _qr(verify_url))
    rows = [
        [Paragraph(_e(label), s["small"]), Paragraph(_e(value), s["small"])]
        for label, value in data_rows
    ]
    story: list[Flowable] = [header]
    if result.number:
        story.append(Paragraph(_e(register_line(result)), s["center"]))
    story += [
        Paragraph(_e(result.title.upper()), s["title"]),
        *_common_rows(dossier, s),
    ]
    if rows:
        table = Table(rows, colWidths=[55 * mm, None])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [Spacer(1, 2 * mm), table]
    story += [
        Spacer(1, 3 * mm),
        Paragraph(f"Ngày cấp: {_when(result.issued_at)}", s["base"]),
        Spacer(1, 5 * mm),
        _signature(s, "THỦ TRƯỞNG CƠ QUAN"),
        Spacer(1, 4 * mm),
        Paragraph(
            "Văn bản điện tử do Cổng Dịch vụ công tạo từ dữ liệu hồ sơ. Kiểm tra "
            f"tính xác thực bằng mã QR hoặc tại: {_e(verify_url)}",
            s["small"],
        ),
    ]
    return _build(story, pagesize=A4)


def register_line(result: Result) -> str:
    """ "Số: 12, Quyển số: 01/2026": the number the agency's register gave the
    result (registers), or the number it was issued with elsewhere."""
    if result.book:
        return f"Số: {result.number}, Quyển số: {result.book}"
    return f"Số: {result.number}"


class NotStampable(Exception):
    """A PDF the number cannot be written on (broken, encrypted)."""


def number_stamp(content: bytes, line: str) -> bytes:
    """The PDF `content` with `line` written at the top right of its first page, on
    a white box (an overlay drawn by reportlab, merged by pypdf). The uploaded
    result was already checked (accounts.pdf_check); the whole file is written
    again, so the agency's signature that follows covers the number."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from reportlab.pdfgen import canvas

    _fonts()
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise NotStampable("encrypted")
        writer = PdfWriter(clone_from=reader)
        page = writer.pages[0]
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        overlay = io.BytesIO()
        size = 9.0
        text_width = pdfmetrics.stringWidth(line, "DejaVu", size)
        drawing = canvas.Canvas(overlay, pagesize=(width, height))
        x = float(box.left) + width - text_width - 12 * mm
        y = float(box.bottom) + height - 10 * mm
        drawing.setFillColor(colors.white)
        drawing.rect(x - 2 * mm, y - 1.5 * mm, text_width + 4 * mm, size + 3 * mm, 0, 1)
        drawing.setFillColor(colors.black)
        drawing.setFont("DejaVu", size)
        drawing.drawString(x, y, line)
        drawing.save()
        page.merge_page(PdfReader(io.BytesIO(overlay.getvalue())).pages[0])
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise NotStampable(str(exc)) from exc
    return out.getvalue()


# --- Shared with other apps' documents (the payments app's e-receipt) --------------
# The same fonts (Vietnamese diacritics), styles, QR code and page set-up.
pdf_styles = _styles
pdf_build = _build
pdf_qr = _qr
pdf_when = _when
pdf_signature = _signature
pdf_heading = _heading
