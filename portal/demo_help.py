"""What /help/ shows in the demo: the units' contacts and a few questions.

Contacts are demo values, left unverified so that every page says so: the real
addresses, numbers and hours of the Vụ Bản units were not verified
(reference/admin-units.md). The address only names the unit's own office; the
numbers should ring no one: after the area code 0228 (Nam Định) a local number
starting with 0 is not a subscriber's (0 is the trunk prefix); the hours are
common office hours, not a fact about these units.

The questions are answered only from the reference facts, each with its source
(kept in the admin). Nothing already written is replaced: an administrator's
edits survive `make run`.
"""

from dataclasses import dataclass

from django.db import transaction

from procedures.models import Faq, Procedure
from procedures.services import faq_create
from units.models import AdminUnit, OrgUnit
from units.services import org_unit_set_contact

DEMO_OPENING_HOURS = (
    "Thứ Hai – thứ Sáu: sáng 7:30 – 11:30, chiều 13:30 – 17:00\n"
    "Thứ Bảy, Chủ nhật và ngày lễ: nghỉ"
)
DEMO_OPENING_HOURS_EN = (
    "Monday – Friday: 7:30 – 11:30 and 13:30 – 17:00\n"
    "Closed on Saturdays, Sundays and public holidays"
)


def demo_phone(index: int) -> str:
    """0228 000 0001, 0228 000 0002, ...: numbers no subscriber has."""
    return f"0228 000 {index:04d}"


@dataclass(frozen=True)
class DemoQuestion:
    code: str  # the procedure's national code
    question: str
    question_en: str
    answer: str
    answer_en: str
    source: str


_CIVIL_STATUS_LAW = "Luật Hộ tịch 2014 (Bộ Pháp điển, đề mục 15.3)"

DEMO_QUESTIONS = [
    DemoQuestion(
        code="1.001193",
        question="Bao lâu thì có Giấy khai sinh?",
        question_en="How long until I get the birth certificate?",
        answer=(
            "Công chức tư pháp - hộ tịch đăng ký khai sinh ngay khi nhận đủ giấy "
            "tờ. Hồ sơ nhận sau 15 giờ mà không giải quyết ngay được thì trả kết "
            "quả trong ngày làm việc tiếp theo."
        ),
        answer_en=(
            "The civil-status officer registers the birth as soon as all the "
            "papers are in. A dossier received after 15:00 that cannot be done at "
            "once gets its result on the next working day."
        ),
        source=f"{_CIVIL_STATUS_LAW}: khoản 2 Điều 16, khoản 3 Điều 5; "
        "reference/linked-groups.md",
    ),
    DemoQuestion(
        code="1.000656",
        question="Phải đăng ký khai tử trong thời hạn nào?",
        question_en="How soon must a death be registered?",
        answer=(
            "Trong 15 ngày kể từ ngày có người mất. Vợ, chồng, con, cha, mẹ hoặc "
            "người thân thích khác của người mất có trách nhiệm đi đăng ký khai tử."
        ),
        answer_en=(
            "Within 15 days of the death. The spouse, children, parents or other "
            "relatives of the deceased must register it."
        ),
        source=f"{_CIVIL_STATUS_LAW}: khoản 1 Điều 33; reference/linked-groups.md",
    ),
    DemoQuestion(
        code="3.000722",
        question="Bao lâu thì xong cả nhóm thủ tục?",
        question_en="How long does the whole group take?",
        answer=(
            "Không quá 3 ngày làm việc kể từ khi các cơ quan nhận đủ hồ sơ, không "
            "quá 5 ngày làm việc nếu phải xác minh. Hồ sơ nộp sau 15 giờ được tính "
            "từ ngày làm việc tiếp theo."
        ),
        answer_en=(
            "At most 3 working days after the agencies have the complete dossier, "
            "at most 5 if something must be verified. A dossier filed after 15:00 "
            "counts from the next working day."
        ),
        source="Nghị định 63/2024/NĐ-CP, khoản 2 Điều 7 (trích dẫn trên "
        "thuvienphapluat.vn); reference/law-2025.md Q4",
    ),
    DemoQuestion(
        code="3.000722",
        question="Có phải nộp bản giấy không?",
        question_en="Do I have to hand in paper copies?",
        answer=(
            "Không. Nhóm thủ tục này làm trực tuyến; giấy tờ không phải nộp bản "
            "giấy, dữ liệu đã có trong các cơ sở dữ liệu được cơ quan tự khai thác."
        ),
        answer_en=(
            "No. This group is done online; no paper copies are asked for, and the "
            "agencies read the data already held in their databases."
        ),
        source="Nghị định 63/2024/NĐ-CP, nguyên tắc thực hiện (tóm tắt trên "
        "vietnam.vn) và Điều 6 (lawnet.vn); reference/linked-groups.md",
    ),
    DemoQuestion(
        code="2.002913",
        question="Tôi có phải làm cả bốn thủ tục không?",
        question_en="Do I have to do all four procedures?",
        answer=(
            "Không. Người nộp chọn 2 thủ tục (đăng ký khai tử và xóa đăng ký thường "
            "trú), 3 thủ tục (thêm mai táng phí) hoặc 4 thủ tục (thêm trợ cấp tử "
            "tuất)."
        ),
        answer_en=(
            "No. You choose 2 procedures (death registration and removal of the "
            "permanent residence), 3 (plus the funeral allowance) or 4 (plus the "
            "survivor benefit)."
        ),
        source="Quyết định 296/QĐ-VPCP năm 2024 (tóm tắt trên lawnet.vn); "
        "reference/linked-groups.md",
    ),
    DemoQuestion(
        code="2.002913",
        question="Ai chi trả tiền mai táng?",
        question_en="Who pays the funeral allowance?",
        answer=(
            "Bảo hiểm xã hội chi trả khi người mất thuộc các trường hợp của bảo "
            "hiểm xã hội, ví dụ đang hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội "
            "hằng tháng. Cơ quan lao động - thương binh và xã hội chi trả khi người "
            "mất đang hưởng trợ cấp bảo trợ xã hội hoặc là người có công."
        ),
        answer_en=(
            "Social insurance pays when the deceased was one of its cases, for "
            "example drawing a pension or a monthly social-insurance allowance. "
            "The labour, invalids and social affairs office pays when the deceased "
            "received social assistance or was a person of merit."
        ),
        source="vss.gov.vn (tin tiếng Anh về nhóm liên thông khai tử); "
        "reference/linked-groups.md",
    ),
    DemoQuestion(
        code="1.004222",
        question="Trẻ mới sinh phải đăng ký thường trú trong bao lâu?",
        question_en="How soon must a newborn's permanent residence be registered?",
        answer=(
            "Trong 60 ngày kể từ ngày đăng ký khai sinh. Nộp nhóm liên thông khai "
            "sinh - thường trú - thẻ bảo hiểm y tế thì việc này được làm cùng lúc."
        ),
        answer_en=(
            "Within 60 days of the birth registration. Filing the linked group "
            "(birth, residence, health insurance card) does it at the same time."
        ),
        source="Nghị định 154/2024/NĐ-CP (hiệu lực 10/01/2025; ata-legal.com); "
        "reference/linked-groups.md",
    ),
    DemoQuestion(
        code="1.003197",
        question="Khi nào phải xóa đăng ký thường trú, bao lâu thì xong?",
        question_en="When must a permanent residence be removed, and how long "
        "does it take?",
        answer=(
            "Hộ gia đình nộp hồ sơ trong 7 ngày kể từ khi có sự việc, ví dụ người "
            "trong hộ mất. Công an xóa đăng ký trong 5 ngày làm việc kể từ khi nhận "
            "đủ hồ sơ."
        ),
        answer_en=(
            "The household files within 7 days of the event, for example a death "
            "in the household. The police remove the registration within 5 working "
            "days of a complete dossier."
        ),
        source="Nghị định 154/2024/NĐ-CP (lawnet.vn, laodong.vn); Cổng Dịch vụ "
        "công quốc gia, thủ tục 1.003197 (QĐ 1523/QĐ-BCA-C06); "
        "reference/linked-groups.md",
    ),
]


@transaction.atomic
def demo_help_seed() -> dict[str, int]:
    """Demo contacts for units without any, and the questions for procedures
    without any. Returns how many of each were added."""
    contacts = 0
    units = OrgUnit.objects.select_related("admin_unit").order_by("agency_code")
    for index, unit in enumerate(units, start=1):
        if unit.has_contact:
            continue
        if unit.valid_to is None:
            # A unit of today (two-tier government): its commune and province.
            top = int(unit.admin_unit.path.strip("/").split("/")[0])
            province = AdminUnit.objects.get(pk=top).name
            address = f"Trụ sở {unit.name}, {province[:1].lower()}{province[1:]}"
        else:
            district = "" if "Vụ Bản" in unit.name else ", huyện Vụ Bản"
            address = f"Trụ sở {unit.name}{district}, tỉnh Nam Định"
        org_unit_set_contact(
            org_unit=unit,
            address=address,
            phone=demo_phone(index),
            opening_hours=DEMO_OPENING_HOURS,
            opening_hours_en=DEMO_OPENING_HOURS_EN,
            verified=False,
        )
        contacts += 1
    codes = {item.code for item in DEMO_QUESTIONS}
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=codes)}
    answered = set(Faq.objects.values_list("procedure__code", flat=True))
    questions = 0
    for order, item in enumerate(DEMO_QUESTIONS, start=1):
        procedure = procedures.get(item.code)
        if procedure is None or item.code in answered:
            continue
        faq_create(
            procedure=procedure,
            question=item.question,
            question_en=item.question_en,
            answer=item.answer,
            answer_en=item.answer_en,
            source=item.source,
            order=order,
        )
        questions += 1
    return {"contacts": contacts, "questions": questions}
