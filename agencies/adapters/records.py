"""The requests and answers the linked chains exchange with other agencies'
systems. Plain frozen dataclasses of JSON-friendly values (dates as
`datetime.date`), so a chain step can store exactly what it sent and received."""

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any


def as_json(record: Any) -> dict[str, Any]:
    """The record as JSON-ready data (dates as ISO strings)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return {k: plain(v) for k, v in asdict(record).items()}


@dataclass(frozen=True)
class ParentRecord:
    full_name: str
    personal_id: str = ""
    date_of_birth: datetime.date | None = None
    ethnicity: str = ""
    nationality: str = ""
    address: str = ""


@dataclass(frozen=True)
class BirthRecord:
    """A birth to register (procedure 1.001193, linked group 3.000722)."""

    full_name: str
    date_of_birth: datetime.date
    sex: str  # "male" / "female"
    place_of_birth: str
    ethnicity: str
    nationality: str
    mother: ParentRecord
    # 3-digit code of the province where the birth is registered: the first three
    # digits of the personal ID number (identifiers.md).
    province_code: str
    # The commune People's Committee that registers it.
    office: str
    hometown: str = ""
    father: ParentRecord | None = None


@dataclass(frozen=True)
class CivilStatusAnswer:
    """An entry in the civil-status registry: birth certificate or death extract."""

    number: int
    book: str
    office: str
    registered_on: datetime.date


@dataclass(frozen=True)
class DeathRecord:
    """A death to register (procedure 1.000656, linked group 2.002913)."""

    full_name: str
    date_of_death: datetime.date
    place_of_death: str
    office: str
    personal_id: str = ""
    date_of_birth: datetime.date | None = None
    sex: str = ""
    cause: str = ""
    last_address: str = ""


@dataclass(frozen=True)
class DeathConfirmation:
    personal_id: str
    date_of_death: datetime.date


@dataclass(frozen=True)
class ResidenceRequest:
    """Register a permanent residence (1.004222) or remove one (1.003197)."""

    personal_id: str
    full_name: str
    # The commune or ward (administrative unit code) and the address in it.
    admin_unit_code: str
    address: str = ""
    date_of_birth: datetime.date | None = None
    # Papers the request rests on: e.g. the birth certificate "12/2024".
    based_on: str = ""
    reason: str = ""
    # The commune police checked the case themselves (verification).
    verified_by_officer: bool = False


@dataclass(frozen=True)
class ResidenceAnswer:
    number: str
    recorded_on: datetime.date
    address: str = ""


@dataclass(frozen=True)
class ChildCardRequest:
    """A health-insurance card for a child under 6 (1.014137)."""

    personal_id: str
    full_name: str
    date_of_birth: datetime.date
    sex: str
    # 2-digit code of the province of issue, part of the 15-character card code.
    province_code: str
    facility: str
    birth_certificate: str = ""
    address: str = ""


@dataclass(frozen=True)
class ChildCard:
    card_code: str  # e.g. TE136 + 10 digits
    social_insurance_number: str  # 10 digits
    valid_from: datetime.date
    facility: str


@dataclass(frozen=True)
class BenefitRequest:
    """A funeral allowance, funeral-cost support or survivor benefit claim."""

    deceased_name: str
    date_of_death: datetime.date
    death_extract: str
    claimant_name: str
    claimant_personal_id: str
    deceased_personal_id: str = ""
    # pension / si_contributor / social_assistance / merit (the group's form).
    deceased_status: str = ""
    # Survivor benefit: one_time / monthly.
    option: str = ""
    payment_method: str = ""
    bank_name: str = ""
    bank_account: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BenefitAnswer:
    """A decision. Amounts are not modelled: the reference gives none."""

    number: str
    decided_on: datetime.date
    payer: str
