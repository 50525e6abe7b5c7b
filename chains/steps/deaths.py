"""Group 2 (deaths): the death step obtains the death extract; deregistration
and the allowances cite it (linked-groups.md)."""

import datetime
from collections.abc import Callable
from typing import Any

from agencies.adapters import (
    civil_status_registry,
    population_registry,
    residence_system,
    social_affairs,
    social_insurance,
)
from agencies.adapters.records import (
    BenefitRequest,
    DeathRecord,
    ResidenceRequest,
    as_json,
)

from .base import Outcome, StepInput, date_of, dmy, renumbered


def death(step: StepInput) -> Outcome:
    data = step.data
    deceased = data["deceased"]
    record = DeathRecord(
        full_name=deceased["full_name"],
        date_of_death=datetime.date.fromisoformat(data["death_date"]),
        place_of_death=data.get("death_place", ""),
        office=step.office,
        personal_id=deceased.get("personal_id", ""),
        date_of_birth=date_of(deceased.get("date_of_birth")),
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
            ("Ngày chết", dmy(record.date_of_death)),
            ("Nơi chết", record.place_of_death),
            ("Số đăng ký khai tử", f"{entry.number}, quyển {entry.book}"),
            ("Nơi đăng ký", entry.office),
        ],
    )


def death_numbered(outcome: Outcome, number: int, book: str) -> Outcome:
    """The death extract with the number of the commune's deaths register."""
    return renumbered(
        outcome,
        number=number,
        book=book,
        keys=("death_extract_number", "death_extract_book"),
        row="Số đăng ký khai tử",
    )


def extract_ref(death: dict[str, Any]) -> str:
    return f"{death['death_extract_number']}/{death['death_extract_book']}"


def deregistration(step: StepInput) -> Outcome:
    death = step.previous["death"]
    request = ResidenceRequest(
        personal_id=death.get("personal_id", ""),
        full_name=death["full_name"],
        admin_unit_code=step.admin_unit_code,
        address=step.data.get("deceased", {}).get("address", ""),
        based_on=f"Trích lục khai tử số {extract_ref(death)}",
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
            ("Ngày xóa đăng ký", dmy(answer.recorded_on)),
        ],
    )


def benefit_request(step: StepInput) -> BenefitRequest:
    data = step.data
    death = step.previous["death"]
    applicant = data.get("applicant", {})
    return BenefitRequest(
        deceased_name=death["full_name"],
        deceased_personal_id=death.get("personal_id", ""),
        date_of_death=datetime.date.fromisoformat(death["date_of_death"]),
        death_extract=extract_ref(death),
        claimant_name=applicant.get("full_name", ""),
        claimant_personal_id=applicant.get("personal_id", ""),
        deceased_status=data.get("deceased_status", ""),
        option=data.get("survivor_benefit", ""),
        payment_method=data.get("payment_method", ""),
        bank_name=data.get("bank_name", ""),
        bank_account=data.get("bank_account", ""),
    )


def benefit(step: StepInput, decide: Callable[..., Any]) -> Outcome:
    request = benefit_request(step)
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
            ("Ngày quyết định", dmy(answer.decided_on)),
        ],
    )


def funeral_si(step: StepInput) -> Outcome:
    return benefit(step, social_insurance().decide_funeral_allowance)


def funeral_sa(step: StepInput) -> Outcome:
    return benefit(step, social_affairs().decide_funeral_support)


def survivor(step: StepInput) -> Outcome:
    return benefit(step, social_insurance().decide_survivor_benefit)
