"""The commune's counter procedures of issue 22 (certification and the rest of
civil status, from ../shared/reference/commune-procedures.md): in the catalogue
with their facts; what needs a person's presence is taken at the counter only."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from dossiers.services import DossierError, submission_check
from procedures.fees import CASE, UNKNOWN, procedure_fee
from procedures.models import Procedure

pytestmark = pytest.mark.django_db

COMMUNE_CODES = {
    "2.000815",  # certified copies from originals
    "2.000884",  # signatures
    "2.001035",  # contracts
    "2.000913",  # amendments of contracts
    "2.000927",  # error corrections of certified contracts
    "1.001022",  # recognition of a parent
    "1.004859",  # change, correction, addition of civil-status details
    "1.004837",  # guardianship
    "1.004845",  # end of guardianship
    "2.000635",  # copies of civil-status extracts
    "1.000689",  # birth registration with recognition
    "1.004884",  # re-registration of birth
    "1.004746",  # re-registration of marriage
}
# Without a national code in the records (NF).
COMMUNE_KEYS = {"cap-ban-sao-hop-dong-da-chung-thuc", "dang-ky-lai-khai-tu"}


@pytest.fixture
def commune(catalogue):
    return Procedure.objects.filter(code__in=COMMUNE_CODES) | Procedure.objects.filter(
        key__in=COMMUNE_KEYS
    )


def test_the_commune_procedures_are_in_the_catalogue_but_not_among_the_53(commune):
    assert commune.count() == len(COMMUNE_CODES) + len(COMMUNE_KEYS)
    assert not commune.filter(essential=True).exists()
    certification = Procedure.objects.filter(field__code="chung-thuc")
    assert certification.get(code="2.000815").field.name == "Chứng thực"
    assert set(certification.values_list("code", flat=True)) == {
        "2.000815",
        "2.000884",
        "2.001035",
        "2.000913",
        "2.000927",
        "",
    }
    # The change / correction procedure the "no appointment" day names.
    change = Procedure.objects.get(code="1.004859")
    assert change.name == (
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc"
    )
    assert change.field.code == "ho-tich"
    assert change.processing_days == 3


def test_facts_from_the_records(commune):
    copies = Procedure.objects.get(code="2.000815")
    assert copies.same_day
    assert {d.key for d in copies.documents.all()} >= {"ban-chinh", "giay-to-tuy-than"}
    assert Procedure.objects.get(code="1.001022").processing_days == 3
    assert Procedure.objects.get(code="1.004845").processing_days == 2
    assert Procedure.objects.get(key="dang-ky-lai-khai-tu").processing_days == 5
    # Time limits read only in secondary sources are being updated.
    for code in ("1.004837", "1.004884", "1.004746", "2.001035"):
        procedure = Procedure.objects.get(code=code)
        assert procedure.processing_days is None
        assert not procedure.same_day
        assert procedure.processing_note.startswith("Đang cập nhật")


def test_fees_not_confirmed_by_a_record_are_being_updated(commune):
    with override("vi"):
        contract = procedure_fee(Procedure.objects.get(code="2.001035"))
        fix = procedure_fee(Procedure.objects.get(code="2.000927"))
        amendment = procedure_fee(Procedure.objects.get(code="2.000913"))
        copies = procedure_fee(Procedure.objects.get(code="2.000815"))
    assert contract.kind == fix.kind == UNKNOWN
    assert str(contract) == "Đang cập nhật"
    assert amendment.kind == CASE
    assert str(amendment) == "30.000 đồng/hợp đồng, giao dịch"
    assert str(copies) == (
        "2.000 đồng/trang với 2 trang đầu, 1.000 đồng/trang từ trang thứ 3, "
        "tối đa 200.000 đồng/bản"
    )


def test_signing_in_front_of_the_official_is_counter_only(commune, client, citizen):
    counter_only = {p.code or p.key for p in commune if p.counter_only}
    assert counter_only == {
        "2.000884",
        "2.001035",
        "2.000913",
        "2.000927",
        "cap-ban-sao-hop-dong-da-chung-thuc",
        "1.000689",
    }
    signature = Procedure.objects.get(code="2.000884")
    assert signature.submittable  # the counter files it
    with pytest.raises(DossierError, match="không cần hẹn trước"):
        submission_check(applicant=citizen, procedure=signature)

    page = client.get(signature.get_absolute_url()).content.decode()
    assert 'id="counter-only"' in page
    assert "không cần đặt lịch hẹn trước" in page
    assert "Nộp hồ sơ</a>" not in page

    client.force_login(citizen)
    start = client.get(reverse("dossiers:dossier-create", args=["2.000884"]))
    assert "Chỉ nhận trực tiếp tại Bộ phận Một cửa" in start.content.decode()


def test_online_procedures_stay_open_online(commune, citizen):
    for code in ("2.000815", "1.004859", "1.001022", "2.000635"):
        assert not Procedure.objects.get(code=code).counter_only
