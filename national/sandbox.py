"""The twin's example of a dossier filed on the national portal, ready to push
from `/dvcqg-sandbox/` (development and demo only): a demo citizen asks the demo
centre to certify a copy, the original's scan given by reference in the store on
the national side."""

import datetime
import secrets
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from procedures.selectors import procedure_by_code
from units.models import OrgUnit

# Certifying copies from originals: a short form, and a paper by reference.
EXAMPLE_PROCEDURE = "2.000815"
EXAMPLE_CITIZEN = "036085012345"  # Nguyễn Văn An of the demo
EXAMPLE_AGENCY = "DEMO.37.13741.01"  # the demo's centre of xã Vụ Bản


def _citizen() -> User | None:
    return (
        User.objects.filter(username=EXAMPLE_CITIZEN).first()
        or User.objects.filter(groups__name=Role.CITIZEN).order_by("pk").first()
    )


def twin_example_push(*, today: datetime.date | None = None) -> dict[str, Any]:
    """A push the demo accepts as it is; where the demo data are missing, the
    same shape for the developer to fill in."""
    today = today or timezone.localdate()
    national_code = f"G22.99-{today:%y%m%d}-{secrets.randbelow(10**6):06d}"
    citizen = _citizen()
    unit = (
        OrgUnit.objects.filter(agency_code=EXAMPLE_AGENCY).first()
        or OrgUnit.objects.filter(is_active=True).exclude(agency_code="").first()
    )
    procedure = procedure_by_code(code=EXAMPLE_PROCEDURE)
    applicant: dict[str, Any] = {"personal_id": "", "full_name": ""}
    if citizen is not None:
        applicant = {
            "personal_id": citizen.username,
            "full_name": citizen.full_name,
            "date_of_birth": (
                citizen.date_of_birth.isoformat() if citizen.date_of_birth else ""
            ),
            "sex": citizen.sex,
            "phone": citizen.phone or "0912345678",
        }
    return {
        "national_code": national_code,
        "procedure": procedure.code if procedure else EXAMPLE_PROCEDURE,
        "agency_code": unit.agency_code if unit else "",
        "applicant": applicant,
        "data": {
            "applicant": {
                key: applicant.get(key, "")
                for key in ("full_name", "date_of_birth", "sex", "personal_id", "phone")
            },
            "document_name": "Bằng tốt nghiệp trung học phổ thông",
            "page_count": 2,
            "copy_count": 1,
        },
        "papers": [
            {
                "title": "Bằng tốt nghiệp trung học phổ thông (bản chính, bản chụp)",
                "reference": f"KHODL-{national_code}",
                "document": "ban-chinh",
            }
        ],
    }
