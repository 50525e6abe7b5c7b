"""Demo identities of the bundled provider: level 2 and level 1.

Two are the demo citizens of portal/demo.py (an ID-token login links to their
accounts); the third has no portal account yet (the login creates it). Personal ID
numbers follow identifiers.md: 036 = Nam Định, century+sex digit, birth year.
"""

import datetime

from accounts.models import IdentityLevel, Sex

from .models import Identity
from .services import identity_upsert

DEMO_IDENTITY_PASSWORD = "VuBan@2024"  # noqa: S105 - published demo credential

DEMO_IDENTITIES = [
    {
        "personal_id": "036085012345",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": datetime.date(1985, 3, 12),
        "sex": Sex.MALE,
        "level": IdentityLevel.LEVEL_2,
        "phone": "0912345678",
        "email": "an.nguyen@example.com",
    },
    {
        "personal_id": "036192004567",
        "full_name": "Trần Thị Bình",
        "date_of_birth": datetime.date(1992, 7, 4),
        "sex": Sex.FEMALE,
        "level": IdentityLevel.LEVEL_1,
        "phone": "0987654321",
        "email": "binh.tran@example.com",
    },
    {
        "personal_id": "036198007890",
        "full_name": "Lê Thị Cúc",
        "date_of_birth": datetime.date(1998, 11, 20),
        "sex": Sex.FEMALE,
        "level": IdentityLevel.LEVEL_2,
        "phone": "0355123456",
        "email": "",
    },
]


def demo_identities_seed() -> list[Identity]:
    return [
        identity_upsert(password=DEMO_IDENTITY_PASSWORD, **fields)  # type: ignore[arg-type]
        for fields in DEMO_IDENTITIES
    ]
