"""Group 1 (births): the birth step obtains the child's personal ID number from
the population registry, then the electronic birth certificate (number and book);
the residence and insurance steps send that number (linked-groups.md)."""

import datetime
from typing import Any

from agencies.adapters import (
    civil_status_registry,
    population_registry,
    residence_system,
    social_insurance,
)
from agencies.adapters.records import (
    BirthRecord,
    ChildCardRequest,
    ParentRecord,
    ResidenceRequest,
    as_json,
)

from .base import Outcome, StepInput, date_of, dmy, parent_record, renumbered


def birth(step: StepInput) -> Outcome:
    data = step.data
    child = data["child"]
    mother = parent_record(data.get("mother")) or ParentRecord(full_name="")
    birth = BirthRecord(
        full_name=child["full_name"],
        date_of_birth=datetime.date.fromisoformat(child["date_of_birth"]),
        sex=child.get("sex", ""),
        place_of_birth=child.get("place_of_birth", ""),
        ethnicity=child.get("ethnicity", ""),
        nationality=child.get("nationality", ""),
        hometown=child.get("hometown", ""),
        mother=mother,
        father=parent_record(data.get("father")) if data.get("father_known") else None,
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
            ("Ngày sinh", dmy(birth.date_of_birth)),
            ("Số định danh cá nhân", personal_id),
            ("Nơi sinh", birth.place_of_birth),
            ("Họ tên mẹ", mother.full_name),
            ("Số đăng ký khai sinh", f"{entry.number}, quyển {entry.book}"),
            ("Nơi đăng ký", entry.office),
        ],
    )


def birth_numbered(outcome: Outcome, number: int, book: str) -> Outcome:
    """The birth certificate with the number of the commune's births register."""
    return renumbered(
        outcome,
        number=number,
        book=book,
        keys=("birth_certificate_number", "birth_certificate_book"),
        row="Số đăng ký khai sinh",
    )


def lives_elsewhere(data: dict[str, Any]) -> bool:
    """The child will not live at a parent's permanent residence: the commune
    police must verify (5 working days instead of 2, linked-groups.md)."""
    return data.get("same_residence") is False


def residence_area(data: dict[str, Any]) -> str:
    return str(data.get("residence_unit", "")) if lives_elsewhere(data) else ""


def residence(step: StepInput) -> Outcome:
    data = step.data
    birth = step.previous["birth"]
    if lives_elsewhere(data):
        address = data.get("residence_address", "")
        unit_code = str(data.get("residence_unit", ""))
    else:
        parent = data.get(data.get("residence_with") or "mother") or {}
        address = parent.get("address", "")
        unit_code = step.admin_unit_code
    request = ResidenceRequest(
        personal_id=birth["personal_id"],
        full_name=birth["full_name"],
        date_of_birth=date_of(birth.get("date_of_birth")),
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
            ("Ngày đăng ký", dmy(answer.recorded_on)),
        ],
    )


def health_card(step: StepInput) -> Outcome:
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
            ("Ngày sinh", dmy(request.date_of_birth)),
            ("Số định danh cá nhân", request.personal_id),
            ("Mã thẻ bảo hiểm y tế", card.card_code),
            ("Mã số bảo hiểm xã hội", card.social_insurance_number),
            ("Nơi đăng ký khám bệnh, chữa bệnh ban đầu", card.facility),
            ("Có giá trị từ ngày", dmy(card.valid_from)),
        ],
    )
