"""The fee e-receipt read back as a reader sees it: the motto's two lines whole,
the amount in figures and in words."""

import io
from collections import defaultdict

import pytest
from pypdf import PdfReader

from dossiers import services as dossier_services
from payments.receipts import amount_in_words, receipt_pdf
from payments.services import payment_record_cash
from tests.dossiers.factories import make_dossier
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def printed_lines(pdf: bytes) -> list[str]:
    """The text of each printed line, top to bottom: the fragments drawn at one
    height of the page, in the order they are drawn (a paragraph's from left to
    right; a table's cells one after the other)."""
    rows: dict[int, list[str]] = defaultdict(list)

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            rows[round(tm[5] * cm[3] + cm[5])].append(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return [" ".join(parts) for _y, parts in sorted(rows.items(), reverse=True)]


@pytest.mark.parametrize(
    ("vnd", "words"),
    [
        (7_000, "Bảy nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (105_000, "Một trăm lẻ năm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (100_000_000, "Một trăm triệu đồng"),
    ],
)
def test_amounts_are_written_in_vietnamese_words(vnd, words):
    assert amount_in_words(vnd) == words


@pytest.fixture
def paid(citizen, unit_a, officer):
    """Paid in cash at the counter: 1 250 000 đồng."""
    procedure = ProcedureFactory(fee_online_vnd=1_250_000, fee_counter_vnd=1_250_000)
    dossier = make_dossier(applicant=citizen, unit=unit_a, procedure=procedure)
    dossier = dossier_services.dossier_receive(dossier=dossier, actor=officer)
    return payment_record_cash(dossier=dossier, officer=officer, paper_receipt="0042")


def test_the_receipt_prints_the_motto_on_its_two_lines(paid):
    lines = printed_lines(receipt_pdf(paid, tracking_url="https://dvc.example/t/"))

    motto = [line for line in lines if "CỘNG HÒA" in line or "Hạnh phúc" in line]
    # Each line of the motto whole, and alone at its height: nothing of the
    # agency's column beside it, no "VIỆT NAM" carried to the next line.
    assert [line for line in lines if MOTTO in line] == [MOTTO]
    assert [line for line in lines if MOTTO_2 in line] == [MOTTO_2]
    assert motto == [MOTTO, MOTTO_2]


def test_the_receipt_gives_the_amount_in_figures_and_in_words(paid):
    lines = printed_lines(receipt_pdf(paid, tracking_url="https://dvc.example/t/"))

    assert "Số tiền: 1.250.000 đồng" in lines
    assert "Bằng chữ: Một triệu hai trăm năm mươi nghìn đồng" in lines
