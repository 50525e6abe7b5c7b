"""What a step of a linked chain is: its kind (which agency's system it asks and
what it passes on), what a call gets and gives, and the queue family of each
agency type. The kinds themselves: births.py, deaths.py; the table: kinds.py."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from agencies.adapters.records import ParentRecord

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
    # The outcome with the number and book of the agency's register (registers),
    # for the steps whose result is entered in one (births, deaths).
    numbered: Callable[[Outcome, int, str], Outcome] | None = None


def renumbered(
    outcome: Outcome, *, number: int, book: str, keys: tuple[str, str], row: str
) -> Outcome:
    """`outcome` with `number` and `book` in its result (under `keys`), as its
    number, and on its document's line `row`."""
    return replace(
        outcome,
        result={**outcome.result, keys[0]: number, keys[1]: book},
        number=f"{number}/{book}",
        rows=[
            (label, f"{number}, quyển {book}" if label == row else value)
            for label, value in outcome.rows
        ],
    )


def date_of(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def dmy(value: Any) -> str:
    day = date_of(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}" if day else ""


def parent_record(person: dict[str, Any] | None) -> ParentRecord | None:
    if not person:
        return None
    return ParentRecord(
        full_name=person.get("full_name", ""),
        personal_id=person.get("personal_id", ""),
        date_of_birth=date_of(person.get("date_of_birth")),
        ethnicity=person.get("ethnicity", ""),
        nationality=person.get("nationality", ""),
        address=person.get("address", ""),
    )
