"""Fees that depend on the case (issue 22): pages × rate with a cap per copy,
per contract, per case, per copy, and the province's dated table with its
online amount and the groups it exempts; the receipt prints the computation."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from dossiers import services as dossier_services
from dossiers.models import Channel
from payments.fees import fee_assess
from payments.models import DossierFee, ProvinceFee
from payments.receipts import receipt_pdf
from payments.selectors import fee_of_dossier
from payments.services import payment_record_cash
from procedures.catalogue_data import read_data_dir
from procedures.fees import copy_certification_fee, fee_compute
from tests.payments.test_receipts import printed_lines
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db


def _basis(code: str) -> dict[str, Any]:
    """The fee rule of a procedure as the reviewed data file gives it."""
    basis: dict[str, Any] = next(
        p for p in read_data_dir()["procedures"] if p.get("code") == code
    )["fee_basis"]
    return basis


def _number(name: str, vi: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "number",
        "required": True,
        "min": 1,
        "label": {"vi": vi, "en": name},
    }


COUNTS = {
    "version": 1,
    "sections": [
        {
            "key": "tinh-phi",
            "title": {"vi": "Tính phí", "en": "Fee"},
            "fields": [
                _number("page_count", "Số trang"),
                _number("copy_count", "Số bản"),
                {
                    "name": "fee_exemption_group",
                    "type": "select",
                    "required": False,
                    "label": {"vi": "Nhóm miễn", "en": "Exempt group"},
                    "choices": [
                        {"value": "ho-ngheo", "label": {"vi": "Hộ nghèo", "en": "P"}},
                        {
                            "value": "nguoi-co-cong",
                            "label": {"vi": "Người có công", "en": "M"},
                        },
                    ],
                },
            ],
        }
    ],
}


# --- The computation against the facts ----------------------------------------------


def test_a_certified_copy_of_7_pages_2_copies_costs_what_the_fee_table_says():
    # TT 226/2016: 2 000 đ a page for pages 1-2, 1 000 đ from page 3.
    assert copy_certification_fee(pages=7, copies=2) == 2 * (2 * 2000 + 5 * 1000)
    computed = fee_compute(_basis("2.000815"), {"page_count": 7, "copy_count": 2})
    assert computed is not None
    assert computed.amount_vnd == 18_000
    assert computed.lines == (
        "Mỗi bản (7 trang): 2 trang × 2.000 đồng + 5 trang × 1.000 đồng = 9.000 đồng",
        "2 bản × 9.000 đồng = 18.000 đồng",
    )


@pytest.mark.parametrize(
    ("pages", "copies", "vnd"),
    [
        (1, 1, 2_000),
        (2, 3, 12_000),
        (198, 1, 200_000),  # exactly the cap
        (199, 1, 200_000),  # one page over: capped
        (500, 2, 400_000),  # the cap is per copy
    ],
)
def test_the_cap_is_200_000_dong_per_copy(pages, copies, vnd):
    assert copy_certification_fee(pages=pages, copies=copies) == vnd
    computed = fee_compute(
        _basis("2.000815"), {"page_count": pages, "copy_count": copies}
    )
    assert computed is not None
    assert computed.amount_vnd == vnd


def test_the_capped_copy_says_so():
    computed = fee_compute(_basis("2.000815"), {"page_count": 300, "copy_count": 1})
    assert computed is not None
    assert "Tối đa 200.000 đồng/bản" in computed.lines


def test_per_contract_per_case_per_copy():
    signature = fee_compute(_basis("2.000884"), {"case_count": 3})
    amendment = fee_compute(_basis("2.000913"), {"contract_count": 2})
    extract = fee_compute(_basis("2.000635"), {"copy_count": 4})
    assert signature is not None
    assert amendment is not None
    assert extract is not None
    assert signature.amount_vnd == 30_000
    assert amendment.amount_vnd == 60_000
    assert amendment.lines == ("2 hợp đồng, giao dịch × 30.000 đồng = 60.000 đồng",)
    assert extract.amount_vnd == 32_000


def test_without_counts_or_with_an_unconfirmed_rate_nothing_is_computed():
    assert fee_compute(_basis("2.000815"), {"page_count": 7}) is None
    assert fee_compute(_basis("2.000815"), {"page_count": 0, "copy_count": 1}) is None
    # 50 000 đ a contract is read only in secondary sources.
    assert fee_compute(_basis("2.001035"), {"contract_count": 1}) is None


# --- A dossier: counted by the officer at the counter, paid, receipted ---------------


@pytest.fixture
def copies_procedure(db):
    return ProcedureFactory(
        fee_online_vnd=None,
        fee_counter_vnd=None,
        fee_basis=_basis("2.000815"),
        form_schema=COUNTS,
    )


def test_the_counter_officer_enters_pages_and_copies_and_the_receipt_shows_the_sum(
    copies_procedure, citizen, unit_a, officer
):
    dossier = dossier_services.dossier_submit(
        applicant=citizen,
        procedure=copies_procedure,
        receiving_unit=unit_a,
        data={"page_count": "7", "copy_count": "2"},
        channel=Channel.COUNTER,
        assisted_by=officer,
    )
    fee = DossierFee.objects.get(dossier=dossier)
    assert fee.base_vnd == fee.amount_vnd == 18_000
    dossier.refresh_from_db()
    assert dossier.fee_vnd == 18_000
    with override("vi"):
        assert str(fee_of_dossier(dossier)) == "18.000 đồng"

    dossier = dossier_services.dossier_receive(dossier=dossier, actor=officer)
    payment = payment_record_cash(dossier=dossier, officer=officer, paper_receipt="7")
    lines = printed_lines(receipt_pdf(payment, tracking_url="https://dvc.example/t/"))
    # A long line wraps on the page: read the receipt as one text.
    text = " ".join(lines)
    assert (
        "Cách tính: Mỗi bản (7 trang): 2 trang × 2.000 đồng + 5 trang × 1.000 đồng "
        "= 9.000 đồng Cách tính: 2 bản × 9.000 đồng = 18.000 đồng Số tiền: 18.000 đồng"
    ) in text
    assert "Số tiền: 18.000 đồng" in lines


# --- The province's dated table -------------------------------------------------------


@pytest.fixture
def civil_status(db):
    return ProcedureFactory(
        fee_online_vnd=None,
        fee_counter_vnd=None,
        fee_basis={"per": "province"},
        form_schema=COUNTS,
    )


def _assess(procedure, province, *, channel="counter", data=None, on=None):
    return fee_assess(
        procedure=procedure,
        channel=channel,
        data=data or {},
        on=on or datetime.date(2026, 3, 1),
        rules=[],
        province_id=province.pk,
    )


def test_the_province_table_is_dated_and_gives_an_online_discount(civil_status, tree):
    province = tree["province"]
    ProvinceFee.objects.create(
        province=province,
        procedure=civil_status,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
        amount_vnd=10_000,
        source="Nghị quyết cũ",
        verified=True,
    )
    ProvinceFee.objects.create(
        province=province,
        procedure=civil_status,
        valid_from=datetime.date(2026, 1, 1),
        amount_vnd=15_000,
        online_amount_vnd=0,
        exempt_groups=["ho-ngheo"],
        source="Nghị quyết số 1/2026/NQ-HĐND",
        verified=True,
    )

    old = _assess(civil_status, province, on=datetime.date(2025, 6, 1))
    counter = _assess(civil_status, province)
    online = _assess(civil_status, province, channel="online")
    poor = _assess(civil_status, province, data={"fee_exemption_group": "ho-ngheo"})
    merit = _assess(
        civil_status, province, data={"fee_exemption_group": "nguoi-co-cong"}
    )

    assert old.amount_vnd == 10_000
    assert counter.amount_vnd == 15_000
    assert counter.lines == (
        "Lệ phí theo Nghị quyết số 1/2026/NQ-HĐND (áp dụng từ 01/01/2026): 15.000 đồng",
    )
    assert online.amount_vnd == 0
    assert poor.amount_vnd == 0
    assert poor.exemption is not None
    assert poor.exemption.name == "Thành viên hộ nghèo"
    # A group the province does not exempt pays.
    assert merit.amount_vnd == 15_000


def test_an_unverified_or_missing_province_amount_is_being_updated(civil_status, tree):
    province = tree["province"]
    assert _assess(civil_status, province).amount_vnd is None
    ProvinceFee.objects.create(
        province=province,
        procedure=civil_status,
        valid_from=datetime.date(2026, 1, 1),
        amount_vnd=20_000,
        source="trang tin, chưa đối chiếu",
    )
    assert _assess(civil_status, province).amount_vnd is None


def test_a_dossier_filed_in_the_province_owes_its_amount(
    civil_status, tree, citizen, unit_a
):
    ProvinceFee.objects.create(
        province=tree["province"],
        procedure=civil_status,
        valid_from=timezone.localdate() - datetime.timedelta(days=10),
        amount_vnd=15_000,
        exempt_groups=["nguoi-co-cong"],
        source="Nghị quyết số 1/2026/NQ-HĐND",
        verified=True,
    )
    dossier = dossier_services.dossier_submit(
        applicant=citizen,
        procedure=civil_status,
        receiving_unit=unit_a,
        data={
            "page_count": "1",
            "copy_count": "1",
            "fee_exemption_group": "nguoi-co-cong",
        },
    )
    fee = DossierFee.objects.get(dossier=dossier)
    assert fee.base_vnd == 15_000
    assert fee.amount_vnd == 0
    assert fee.exemption_key == "tinh:nguoi-co-cong"
    with override("vi"):
        assert str(fee_of_dossier(dossier)) == "Miễn phí: Người có công với cách mạng"


def test_an_unknown_exempt_group_is_refused_with_a_clear_message(civil_status, tree):
    from django.core.exceptions import ValidationError

    row = ProvinceFee(
        province=tree["province"],
        procedure=civil_status,
        valid_from=datetime.date(2026, 1, 1),
        amount_vnd=10_000,
        exempt_groups=["sinh-vien"],
        source="Nghị quyết",
    )
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    assert raised.value.message_dict["exempt_groups"] == [
        "Nhóm được miễn là danh sách các khóa: nguoi-co-cong, ho-ngheo, "
        "nguoi-khuyet-tat."
    ]
