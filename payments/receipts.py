"""The e-receipt of a paid fee (PDF, Vietnamese, with the dossier's tracking QR
code), from the same fonts and layout as the one-stop shop's slips. It confirms
the payment recorded by the portal; it is not the tax authority's e-receipt
(biên lai điện tử), which the collecting agency issues under its own rules."""

from xml.sax.saxutils import escape as _e

from num2words import num2words
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from dossiers.slips import (
    pdf_build,
    pdf_heading,
    pdf_qr,
    pdf_signature,
    pdf_styles,
    pdf_when,
)

from .models import DossierFee, Method, Payment


def _amount(vnd: int) -> str:
    return f"{vnd:,}".replace(",", ".")


def amount_in_words(vnd: int) -> str:
    """7000 → "Bảy nghìn đồng", as receipts write the sum beside its figures
    (num2words' Vietnamese: lẻ, mốt, lăm, nghìn, triệu, tỷ)."""
    words = num2words(vnd, lang="vi")
    return f"{words[:1].upper()}{words[1:]} đồng"


def fee_computation(payment: Payment) -> list[str]:
    """How the dossier's fee was computed (pages × rate, the province's
    table ...), as assessed; empty for a fixed amount."""
    fee = DossierFee.objects.filter(dossier_id=payment.dossier_id).first()
    return [str(line) for line in fee.computation] if fee is not None else []


def receipt_pdf(payment: Payment, *, tracking_url: str) -> bytes:
    """The receipt of one paid payment."""
    s = pdf_styles()
    dossier = payment.dossier
    agency = Paragraph(
        f"{_e(dossier.receiving_unit.name.upper())}<br/>"
        "<b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b>",
        s["center"],
    )
    header = pdf_heading(agency, pdf_qr(tracking_url))
    method = (
        "Trực tuyến qua cổng thanh toán"
        if payment.method == Method.ONLINE
        else "Tiền mặt tại Bộ phận Một cửa"
    )
    rows = [
        f"Số biên nhận: <b>{_e(payment.receipt_number)}</b>",
        f"Mã hồ sơ: <b>{_e(dossier.code)}</b>",
        f"Người nộp: <b>{_e(dossier.applicant.full_name)}</b> · Số định danh cá nhân: "
        f"{_e(dossier.applicant.username)}",
        f"Thủ tục: {_e(dossier.procedure.name)}"
        + (f" (mã {_e(dossier.procedure.code)})" if dossier.procedure.code else ""),
        "Nội dung: Phí, lệ phí giải quyết thủ tục hành chính",
        *[f"Cách tính: {_e(line)}" for line in fee_computation(payment)],
        f"Số tiền: <b>{_amount(payment.amount_vnd)} đồng</b>",
        f"Bằng chữ: {_e(amount_in_words(payment.amount_vnd))}",
        f"Hình thức nộp: {method}",
        f"Thời điểm nộp: {pdf_when(payment.paid_at)}",
        f"Mã đơn thanh toán: {_e(payment.order_id)}",
    ]
    if payment.gateway_transaction_id:
        rows.append(f"Mã giao dịch: {_e(payment.gateway_transaction_id)}")
    if payment.note:
        rows.append(f"Ghi chú: {_e(payment.note)}")
    story: list[Flowable] = [
        header,
        Paragraph("BIÊN NHẬN NỘP PHÍ, LỆ PHÍ", s["title"]),
        *[Paragraph(row, s["base"]) for row in rows],
        Spacer(1, 4 * mm),
        Paragraph(
            "Biên nhận điện tử do Cổng Dịch vụ công lập khi ghi nhận khoản nộp; "
            "không thay thế biên lai thu phí, lệ phí của cơ quan thu. Tra cứu hồ "
            "sơ bằng mã QR ở góc trái.",
            s["small"],
        ),
    ]
    if payment.method == Method.CASH:
        story += [Spacer(1, 5 * mm), pdf_signature(s, "NGƯỜI THU TIỀN")]
    return pdf_build(story)
