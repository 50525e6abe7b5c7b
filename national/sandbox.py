"""The twin's example of a dossier filed on the national portal, ready to push
from `/dvcqg-sandbox/` (development and demo only): a demo citizen asks the demo
centre to certify a copy, the original's scan given by reference in the store on
the national side."""

import datetime
import secrets
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from procedures.selectors import procedure_by_code
from units.models import OrgUnit

# Certifying copies from originals: a short form, and a paper by reference.
EXAMPLE_PROCEDURE = "2.000815"
EXAMPLE_CITIZEN = "036085012345"  # Nguyễn Văn An of the demo
EXAMPLE_AGENCY = "DEMO.37.13741.01"  # the demo's centre of xã Vụ Bản


def _citizen() -> User | None:
    return (
        User.objects.filter(username=EXAMPLE_CITIZEN).first()
        or User.objects.filter(groups__name=Role.CITIZEN).order_by("pk").first()
    )


def twin_example_push(*, today: datetime.date | None = None) -> dict[str, Any]:
    """A push the demo accepts as it is; where the demo data are missing, the
    same shape for the developer to fill in."""
    today = today or timezone.localdate()
    national_code = f"G22.99-{today:%y%m%d}-{secrets.randbelow(10**6):06d}"
    citizen = _citizen()
    unit = (
        OrgUnit.objects.filter(agency_code=EXAMPLE_AGENCY).first()
        or OrgUnit.objects.filter(is_active=True).exclude(agency_code="").first()
    )
    procedure = procedure_by_code(code=EXAMPLE_PROCEDURE)
    applicant: dict[str, Any] = {"personal_id": "", "full_name": ""}
    if citizen is not None:
        applicant = {
            "personal_id": citizen.username,
            "full_name": citizen.full_name,
            "date_of_birth": (
                citizen.date_of_birth.isoformat() if citizen.date_of_birth else ""
            ),
            "sex": citizen.sex,
            "phone": citizen.phone or "0912345678",
        }
    return {
        "national_code": national_code,
        "procedure": procedure.code if procedure else EXAMPLE_PROCEDURE,
        "agency_code": unit.agency_code if unit else "",
        "applicant": applicant,
        "data": {
            "applicant": {
                key: applicant.get(key, "")
                for key in ("full_name", "date_of_birth", "sex", "personal_id", "phone")
            },
            "document_name": "Bằng tốt nghiệp trung học phổ thông",
            "page_count": 2,
            "copy_count": 1,
        },
        "papers": [
            {
                "title": "Bằng tốt nghiệp trung học phổ thông (bản chính, bản chụp)",
                "reference": f"KHODL-{national_code}",
                "document": "ban-chinh",
            }
        ],
    }


# The demo papers of the demo citizens in the twin's store: (slug, doc type,
# title, number, issued by, issued how many days after birth).
DEMO_PAPERS = (
    ("khai-sinh", "birth_certificate", "Giấy khai sinh", "125", "UBND xã Vụ Bản", 8),
    (
        "bang-thpt",
        "other",
        "Bằng tốt nghiệp trung học phổ thông",
        "B 0123456",
        "Sở Giáo dục và Đào tạo tỉnh Nam Định",
        18 * 365,
    ),
)


def demo_paper_pdf(*, title: str, full_name: str, number: str, issued_by: str) -> bytes:
    """A one-page PDF that says what it is: a demo paper, not a real one."""
    import io

    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from dossiers.slips import FONTS

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5)
    canvas.setTitle(title)
    width, height = A5
    canvas.setFont("DejaVu", 14)
    canvas.drawCentredString(width / 2, height - 60, title.upper())
    canvas.setFont("DejaVu", 10)
    lines = (
        f"Họ và tên: {full_name}",
        f"Số: {number}",
        f"Cơ quan cấp: {issued_by}",
        "Giấy tờ mẫu của Cổng quốc gia mẫu (/dvcqg-sandbox/), không có giá trị.",
    )
    for index, line in enumerate(lines):
        canvas.drawString(40, height - 110 - index * 18, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def twin_store_seed(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: datetime.date | None = None,
) -> int:
    """Give a demo citizen the demo papers in the twin's store (again: nothing
    more); how many were added."""
    from .models import TwinStorePaper, TwinStoreSource

    born = date_of_birth or datetime.date(1985, 3, 12)
    added = 0
    for slug, doc_type, title, number, issued_by, after in DEMO_PAPERS:
        issued_on = born + datetime.timedelta(days=after)
        if slug == "khai-sinh":
            number = f"{number}/{issued_on:%Y}"
        _row, created = TwinStorePaper.objects.get_or_create(
            idempotency_key=f"demo:{personal_id}:{slug}",
            defaults={
                "personal_id": personal_id,
                "reference": f"KHODL-{personal_id}-{slug}",
                "title": f"{title} – {full_name}"[:200],
                "doc_type": doc_type,
                "number": number,
                "issued_by": issued_by,
                "issued_on": issued_on,
                "content_type": "application/pdf",
                "content": demo_paper_pdf(
                    title=title,
                    full_name=full_name,
                    number=number,
                    issued_by=issued_by,
                ),
                "source": TwinStoreSource.DEMO,
            },
        )
        added += created
    return added
