"""What each step of a linked chain does, in one place.

A member procedure of a linked group (procedures.LinkedStep) is done by a *kind*
of step: which agency's system it asks, with what request built from the group's
form data and the earlier steps' results, and what it passes on. A member
procedure with no kind here is "manual": an officer of the agency does it in the
portal (its part waits in the unit's queue) and the chain resumes on their result.

The data passed along (linked-groups.md): the birth step obtains the child's
personal ID number from the population registry, then the electronic birth
certificate (number and book); the residence and insurance steps send that number.
The death step obtains the death extract; deregistration and the allowances cite it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import DocumentType
from agencies.adapters import (
    civil_status_registry,
    population_registry,
    residence_system,
    social_affairs,
    social_insurance,
)
from agencies.adapters.records import (
    BenefitRequest,
    BirthRecord,
    ChildCardRequest,
    DeathRecord,
    ParentRecord,
    ResidenceRequest,
    as_json,
)

# Queue family of a step, by the agency type that does it. portal/celery.py routes
# each family's task to its own queue, so a slow social-insurance system never
# holds up birth registrations.
AGENCY_FAMILIES = {
    "commune_committee": "civil_status",
    "district_justice": "civil_status",
    "commune_police": "residence",
    "district_police": "residence",
    "province_police": "residence",
    "social_insurance": "social_insurance",
    "labour_social": "social_affairs",
}


@dataclass(frozen=True)
class StepInput:
    """Everything a step's call needs; built by the services from the database."""

    data: dict[str, Any]  # the linked dossier's form data (cleaned)
    previous: dict[str, dict[str, Any]]  # earlier steps' results, by kind
    key: str  # the idempotency key of this step and revision
    office: str  # the name of the agency doing the step
    admin_unit_code: str  # the area of that agency (commune code)
    province_code: str  # 2-digit code of the agency's province
    officer_confirmed: bool = False
    officer_result: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a step obtained: the request sent, the result passed on, the number
    shown, and the lines of the result's document (Vietnamese, it is official)."""

    request: dict[str, Any]
    result: dict[str, Any]
    number: str
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Kind:
    key: str
    # Title of the result (the document's title; Vietnamese, it is official).
    title: str
    doc_type: str
    # None: an officer does the step in the portal (manual).
    call: Callable[[StepInput], Outcome] | None
    # An officer of the unit must look at it first (e.g. residence verification).
    needs_officer: Callable[[dict[str, Any]], bool] = lambda data: False
    # The commune whose agency does it, when not the receiving unit's.
    area_code: Callable[[dict[str, Any]], str] = lambda data: ""
    # The kinds whose results this step needs.
    needs: tuple[str, ...] = ()
    # When an officer must look at it, it is a verification with its own limit
    # (CHAIN_RESIDENCE_VERIFICATION_DAYS) and the group's longer total.
    verifies: bool = False


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _dmy(value: Any) -> str:
    day = _date(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}" if day else ""


def _parent(person: dict[str, Any] | None) -> ParentRecord | None:
    if not person:
        return None
    return ParentRecord(
        full_name=person.get("full_name", ""),
        personal_id=person.get("personal_id", ""),
        date_of_birth=_date(person.get("date_of_birth")),
        ethnicity=person.get("ethnicity", ""),
        nationality=person.get("nationality", ""),
        address=person.get("address", ""),
    )


# --- Group 1: birth, permanent residence, child health-insurance card --------------


def _birth(step: StepInput) -> Outcome:
    data = step.data
    child = data["child"]
    mother = _parent(data.get("mother")) or ParentRecord(full_name="")
    birth = BirthRecord(
        full_name=child["full_name"],
        date_of_birth=datetime.date.fromisoformat(child["date_of_birth"]),
        sex=child.get("sex", ""),
        place_of_birth=child.get("place_of_birth", ""),
        ethnicity=child.get("ethnicity", ""),
        nationality=child.get("nationality", ""),
        hometown=child.get("hometown", ""),
        mother=mother,
        father=_parent(data.get("father")) if data.get("father_known") else None,
        province_code=step.province_code.zfill(3),
        office=step.office,
    )
    # The registry gives the number first; the certificate carries it (1.001193).
    personal_id = population_registry().issue_personal_id(
        birth=birth, idempotency_key=f"{step.key}:personal-id"
    )
    entry = civil_status_registry().register_birth(
        birth=birth, personal_id=personal_id, idempotency_key=f"{step.key}:birth"
    )
    result = {
        "personal_id": personal_id,
        "full_name": birth.full_name,
        "date_of_birth": birth.date_of_birth.isoformat(),
        "sex": birth.sex,
        "birth_certificate_number": entry.number,
        "birth_certificate_book": entry.book,
        "registered_on": entry.registered_on.isoformat(),
        "office": entry.office,
    }
    return Outcome(
        request=as_json(birth),
        result=result,
        number=f"{entry.number}/{entry.book}",
        rows=[
            ("Họ, chữ đệm và tên", birth.full_name),
            ("Ngày sinh", _dmy(birth.date_of_birth)),
            ("Số định danh cá nhân", personal_id),
            ("Nơi sinh", birth.place_of_birth),
            ("Họ tên mẹ", mother.full_name),
            ("Số đăng ký khai sinh", f"{entry.number}, quyển {entry.book}"),
            ("Nơi đăng ký", entry.office),
        ],
    )


def _lives_elsewhere(data: dict[str, Any]) -> bool:
    """The child will not live at a parent's permanent residence: the commune
    police must verify (5 working days instead of 2, linked-groups.md)."""
    return data.get("same_residence") is False


def _residence_area(data: dict[str, Any]) -> str:
    return str(data.get("residence_unit", "")) if _lives_elsewhere(data) else ""


def _residence(step: StepInput) -> Outcome:
    data = step.data
    birth = step.previous["birth"]
    if _lives_elsewhere(data):
        address = data.get("residence_address", "")
        unit_code = str(data.get("residence_unit", ""))
    else:
        parent = data.get(data.get("residence_with") or "mother") or {}
        address = parent.get("address", "")
        unit_code = step.admin_unit_code
    request = ResidenceRequest(
        personal_id=birth["personal_id"],
        full_name=birth["full_name"],
        date_of_birth=_date(birth.get("date_of_birth")),
        admin_unit_code=unit_code,
        address=address,
        based_on=(
            f"Giấy khai sinh số {birth['birth_certificate_number']}, quyển "
            f"{birth['birth_certificate_book']}"
        ),
        verified_by_officer=step.officer_confirmed,
    )
    answer = residence_system().register_permanent(
        request=request, idempotency_key=step.key
    )
    return Outcome(
        request=as_json(request),
        result={
            "personal_id": request.personal_id,
            "confirmation_number": answer.number,
            "address": answer.address,
            "admin_unit_code": unit_code,
            "registered_on": answer.recorded_on.isoformat(),
        },
        number=answer.number,
        rows=[
            ("Họ, chữ đệm và tên", request.full_name),
            ("Số định danh cá nhân", request.personal_id),
            ("Nơi thường trú", answer.address),
            ("Căn cứ", request.based_on),
            ("Ngày đăng ký", _dmy(answer.recorded_on)),
        ],
    )


def _health_card(step: StepInput) -> Outcome:
    birth = step.previous["birth"]
    residence = step.previous.get("residence", {})
    request = ChildCardRequest(
        personal_id=birth["personal_id"],
        full_name=birth["full_name"],
        date_of_birth=datetime.date.fromisoformat(birth["date_of_birth"]),
        sex=birth.get("sex", ""),
        province_code=step.province_code.zfill(2)[-2:],
        facility=step.data.get("health_facility", ""),
        birth_certificate=(
            f"{birth['birth_certificate_number']}/{birth['birth_certificate_book']}"
        ),
        address=residence.get("address", ""),
    )
    card = social_insurance().issue_child_card(
        request=request, idempotency_key=step.key
    )
    return Outcome(
        request=as_json(request),
        result={
            "personal_id": request.personal_id,
            "card_code": card.card_code,
            "social_insurance_number": card.social_insurance_number,
            "valid_from": card.valid_from.isoformat(),
            "facility": card.facility,
        },
        number=card.card_code,
        rows=[
            ("Họ, chữ đệm và tên", request.full_name),
            ("Ngày sinh", _dmy(request.date_of_birth)),
            ("Số định danh cá nhân", request.personal_id),
            ("Mã thẻ bảo hiểm y tế", card.card_code),
            ("Mã số bảo hiểm xã hội", card.social_insurance_number),
            ("Nơi đăng ký khám bệnh, chữa bệnh ban đầu", card.facility),
            ("Có giá trị từ ngày", _dmy(card.valid_from)),
        ],
    )


# --- Group 2: death, deregistration, funeral allowance, survivor benefit ----------


def _death(step: StepInput) -> Outcome:
    data = step.data
    deceased = data["deceased"]
    record = DeathRecord(
        full_name=deceased["full_name"],
        date_of_death=datetime.date.fromisoformat(data["death_date"]),
        place_of_death=data.get("death_place", ""),
        office=step.office,
        personal_id=deceased.get("personal_id", ""),
        date_of_birth=_date(deceased.get("date_of_birth")),
        sex=deceased.get("sex", ""),
        cause=data.get("death_cause", ""),
        last_address=deceased.get("address", ""),
    )
    if record.personal_id:
        population_registry().confirm_death(
            personal_id=record.personal_id,
            date_of_death=record.date_of_death,
            idempotency_key=f"{step.key}:population",
        )
    entry = civil_status_registry().register_death(
        death=record, idempotency_key=f"{step.key}:death"
    )
    return Outcome(
        request=as_json(record),
        result={
            "personal_id": record.personal_id,
            "full_name": record.full_name,
            "date_of_death": record.date_of_death.isoformat(),
            "death_extract_number": entry.number,
            "death_extract_book": entry.book,
            "registered_on": entry.registered_on.isoformat(),
            "population_registry_updated": bool(record.personal_id),
        },
        number=f"{entry.number}/{entry.book}",
        rows=[
            ("Họ, chữ đệm và tên người chết", record.full_name),
            ("Số định danh cá nhân", record.personal_id or "—"),
            ("Ngày chết", _dmy(record.date_of_death)),
            ("Nơi chết", record.place_of_death),
            ("Số đăng ký khai tử", f"{entry.number}, quyển {entry.book}"),
            ("Nơi đăng ký", entry.office),
        ],
    )


def _extract(death: dict[str, Any]) -> str:
    return f"{death['death_extract_number']}/{death['death_extract_book']}"


def _deregistration(step: StepInput) -> Outcome:
    death = step.previous["death"]
    request = ResidenceRequest(
        personal_id=death.get("personal_id", ""),
        full_name=death["full_name"],
        admin_unit_code=step.admin_unit_code,
        address=step.data.get("deceased", {}).get("address", ""),
        based_on=f"Trích lục khai tử số {_extract(death)}",
        reason="Người đăng ký thường trú đã chết",
    )
    answer = residence_system().deregister(request=request, idempotency_key=step.key)
    return Outcome(
        request=as_json(request),
        result={
            "personal_id": request.personal_id,
            "notice_number": answer.number,
            "deregistered_on": answer.recorded_on.isoformat(),
        },
        number=answer.number,
        rows=[
            ("Họ, chữ đệm và tên", request.full_name),
            ("Số định danh cá nhân", request.personal_id),
            ("Lý do", request.reason),
            ("Căn cứ", request.based_on),
            ("Ngày xóa đăng ký", _dmy(answer.recorded_on)),
        ],
    )


def _benefit_request(step: StepInput) -> BenefitRequest:
    data = step.data
    death = step.previous["death"]
    applicant = data.get("applicant", {})
    return BenefitRequest(
        deceased_name=death["full_name"],
        deceased_personal_id=death.get("personal_id", ""),
        date_of_death=datetime.date.fromisoformat(death["date_of_death"]),
        death_extract=_extract(death),
        claimant_name=applicant.get("full_name", ""),
        claimant_personal_id=applicant.get("personal_id", ""),
        deceased_status=data.get("deceased_status", ""),
        option=data.get("survivor_benefit", ""),
        payment_method=data.get("payment_method", ""),
        bank_name=data.get("bank_name", ""),
        bank_account=data.get("bank_account", ""),
    )


def _benefit(step: StepInput, decide: Callable[..., Any]) -> Outcome:
    request = _benefit_request(step)
    answer = decide(request=request, idempotency_key=step.key)
    return Outcome(
        request=as_json(request),
        result={
            "decision_number": answer.number,
            "decided_on": answer.decided_on.isoformat(),
            "payer": answer.payer,
            # Amounts are not in the reference: shown as "being updated".
            "amount_vnd": None,
        },
        number=answer.number,
        rows=[
            ("Người chết", request.deceased_name),
            ("Trích lục khai tử", request.death_extract),
            ("Người nhận", request.claimant_name),
            ("Cơ quan chi trả", answer.payer),
            ("Số quyết định", answer.number),
            ("Ngày quyết định", _dmy(answer.decided_on)),
        ],
    )


def _funeral_si(step: StepInput) -> Outcome:
    return _benefit(step, social_insurance().decide_funeral_allowance)


def _funeral_sa(step: StepInput) -> Outcome:
    return _benefit(step, social_affairs().decide_funeral_support)


def _survivor(step: StepInput) -> Outcome:
    return _benefit(step, social_insurance().decide_survivor_benefit)


def _manual(step: StepInput) -> Outcome:
    """An officer issued the result in the portal; nothing else to ask."""
    result = dict(step.officer_result)
    return Outcome(request={}, result=result, number=result.get("number", ""), rows=[])


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "birth",
            "Giấy khai sinh (bản điện tử)",
            DocumentType.BIRTH_CERTIFICATE,
            _birth,
        ),
        Kind(
            "residence",
            "Thông báo kết quả đăng ký thường trú",
            DocumentType.RESIDENCE,
            _residence,
            needs_officer=_lives_elsewhere,
            area_code=_residence_area,
            needs=("birth",),
            verifies=True,
        ),
        Kind(
            "health_card",
            "Thẻ bảo hiểm y tế (bản điện tử)",
            DocumentType.HEALTH_INSURANCE,
            _health_card,
            needs=("birth",),
        ),
        Kind(
            "death",
            "Trích lục khai tử (bản điện tử)",
            DocumentType.DEATH_CERTIFICATE,
            _death,
        ),
        Kind(
            "deregistration",
            "Thông báo xóa đăng ký thường trú",
            DocumentType.RESIDENCE,
            _deregistration,
            needs=("death",),
        ),
        Kind(
            "funeral_si",
            "Quyết định trợ cấp mai táng",
            DocumentType.OTHER,
            _funeral_si,
            needs=("death",),
        ),
        Kind(
            "funeral_sa",
            "Quyết định hỗ trợ chi phí mai táng",
            DocumentType.OTHER,
            _funeral_sa,
            needs=("death",),
        ),
        Kind(
            "survivor",
            "Quyết định hưởng chế độ tử tuất",
            DocumentType.OTHER,
            _survivor,
            needs=("death",),
        ),
        Kind("manual", "", DocumentType.OTHER, None, needs_officer=lambda data: True),
    )
}

# Member procedures (national code, or key while the code is being updated) and
# the kind of step that does them; anything else is "manual".
PROCEDURE_KINDS = {
    "1.001193": "birth",
    "1.004222": "residence",
    "1.014137": "health_card",
    "1.000656": "death",
    "1.003197": "deregistration",
    "tro-cap-mai-tang-bhxh": "funeral_si",
    "ho-tro-chi-phi-mai-tang": "funeral_sa",
    "2.000821": "survivor",
}


def kind_for(procedure: Any) -> Kind:
    """The kind of step that does a member procedure."""
    key = PROCEDURE_KINDS.get(procedure.code) or PROCEDURE_KINDS.get(procedure.key)
    return KINDS[key or "manual"]


# Labels of the results' fields on the citizen's page, in the order shown.
RESULT_LABELS = {
    "personal_id": _("Số định danh cá nhân"),
    "birth_certificate_number": _("Số giấy khai sinh"),
    "birth_certificate_book": _("Quyển số"),
    "confirmation_number": _("Số thông báo đăng ký thường trú"),
    "address": _("Nơi thường trú"),
    "card_code": _("Mã thẻ bảo hiểm y tế"),
    "social_insurance_number": _("Mã số bảo hiểm xã hội"),
    "facility": _("Nơi khám chữa bệnh ban đầu"),
    "death_extract_number": _("Số trích lục khai tử"),
    "death_extract_book": _("Quyển số"),
    "notice_number": _("Số thông báo xóa đăng ký thường trú"),
    "decision_number": _("Số quyết định"),
    "payer": _("Cơ quan chi trả"),
    "title": _("Kết quả"),
    "number": _("Số, ký hiệu"),
}
