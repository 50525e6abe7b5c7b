"""The dossier tracking book (sổ theo dõi hồ sơ: Circular 01/2018 form 06,
Circular 03/2025 form 07) of one unit for a period, as PDF and XLSX: the
dossiers the unit received, one line each, in the order of receipt. Officers of
the unit export it from /staff/tracking-book/. Written in Vietnamese whatever
the reader's language, as the slips are."""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape as _e

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from rules.selectors import Rules, rules_on
from units.models import OrgUnit

from .models import Dossier
from .slips import pdf_build, pdf_styles

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Thủ tục hành chính",
    "Người nộp",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Cơ quan giải quyết",
    "Trạng thái",
    "Kết thúc",
    "Ghi chú",
]


# Column widths in mm on landscape A4; the note takes the rest.
_WIDTHS = (9, 42, 52, 30, 24, 24, 34, 22, 24)


@dataclass(frozen=True)
class Book:
    unit: OrgUnit
    start: datetime.date
    end: datetime.date
    rules: Rules
    rows: list[list[str]]

    @property
    def title(self) -> str:
        form = self.rules.form("tracking_book")
        return (form["name"] if form else "Sổ theo dõi hồ sơ").upper()

    @property
    def number(self) -> str:
        form = self.rules.form("tracking_book")
        return form["number"] if form else ""


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def book_dossiers(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date
) -> QuerySet[Dossier]:
    """The dossiers `unit` received (or that were filed with it) from `start`
    to `end`, local days included, in the order they arrived."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return (
        Dossier.objects.filter(
            receiving_unit=unit, submitted_at__gte=since, submitted_at__lt=until
        )
        .select_related("procedure", "applicant", "processing_unit", "receiving_unit")
        .order_by("submitted_at", "pk")
    )


def tracking_book(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> Book:
    """The book, under the rule set in force on its last day (the form's number
    and name)."""
    rows = []
    for number, d in enumerate(book_dossiers(unit=unit, start=start, end=end), 1):
        ended = d.completed_at if d.is_final else None
        rows.append(
            [
                str(number),
                d.code,
                d.procedure.name,
                d.applicant.full_name,
                _when(d.received_at or d.submitted_at),
                _when(d.due_at),
                str(d.processing_unit or d.receiving_unit),
                str(d.get_status_display()),
                _when(ended),
                "Nộp trực tuyến" if d.channel == "online" else "",
            ]
        )
    return Book(unit=unit, start=start, end=end, rules=rules_on(end), rows=rows)


def tracking_book_pdf(book: Book) -> bytes:
    s = pdf_styles()
    cell = s["small"]
    data: list[list[Flowable | str]] = [
        [Paragraph(f"<b>{_e(h)}</b>", cell) for h in HEADER]
    ]
    data += [[Paragraph(_e(v), cell) for v in row] for row in book.rows]
    table = Table(
        data,
        colWidths=[w * mm for w in _WIDTHS] + [None],
        repeatRows=1,
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
        Paragraph(f"<b>{_e(book.unit.name.upper())}</b>", s["base"]),
    ]
    if book.number:
        story.append(Paragraph(f"Mẫu số {_e(book.number)}", s["center"]))
    story += [
        Paragraph(_e(book.title), s["title"]),
        Paragraph(
            f"Từ ngày {book.start:%d/%m/%Y} đến ngày {book.end:%d/%m/%Y} · "
            f"{len(book.rows)} hồ sơ",
            s["center"],
        ),
        Spacer(1, 3 * mm),
        table,
    ]
    if book.rules.rule_set is not None:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(
                f"Áp dụng: {_e(book.rules.rule_set.name)}. Căn cứ: "
                f"{_e(book.rules.rule_set.legal_basis)}.",
                s["small"],
            ),
        ]
    return pdf_build(story, pagesize=landscape(A4))


def tracking_book_xlsx(book: Book) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "So theo doi ho so"
    heading = book.title + (f" (Mẫu số {book.number})" if book.number else "")
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True)
    sheet.append([book.unit.name, f"{book.start:%d/%m/%Y}", f"{book.end:%d/%m/%Y}"])
    if book.rules.rule_set is not None:
        sheet.append([f"Áp dụng: {book.rules.rule_set.name}"])
    sheet.append(HEADER)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in book.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
