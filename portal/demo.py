"""Demo accounts, one or more per role, so anyone can try every role at once.

Demo only: `seed_demo` refuses to run with DEBUG off unless forced. The same list
is printed by `make run` and written in README.md.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import IdentityLevel, Sex, User
from accounts.roles import Role
from accounts.services import profile_update, user_create, user_set_roles
from rules.models import NoAppointmentDay, Weekday
from units.models import OrgUnit

DEMO_PASSWORD = "VuBan@2024"  # noqa: S105 - published demo credential
# Base32, as authenticator apps take it; 20 bytes like django-otp's own keys.
DEMO_TOTP_SECRET = "DEMODEMODEMODEMODEMODEMODEMODEMO"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    roles: tuple[Role, ...]
    agency_code: str = ""
    date_of_birth: datetime.date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    identity_level: int = IdentityLevel.NONE
    superuser: bool = False
    notes: list[str] = field(default_factory=list)
    # Citizens: where they live (the commune of this agency) and their address.
    home_agency_code: str = ""
    address: str = ""


DEMO_ACCOUNTS = [
    # Personal ID numbers: 036 = Nam Định; 0 = male / 1 = female born 1900-1999;
    # then the last two digits of the birth year (identifiers.md).
    DemoAccount(
        username="036085012345",
        full_name="Nguyễn Văn An",
        roles=(Role.CITIZEN,),
        date_of_birth=datetime.date(1985, 3, 12),
        sex=Sex.MALE,
        phone="0912345678",
        email="an.nguyen@example.com",
        identity_level=IdentityLevel.LEVEL_2,
        home_agency_code="000.11.59.H00",
        address="Số 12, đường Lương Thế Vinh, thị trấn Gôi, huyện Vụ Bản, Nam Định",
    ),
    DemoAccount(
        username="036192004567",
        full_name="Trần Thị Bình",
        roles=(Role.CITIZEN,),
        date_of_birth=datetime.date(1992, 7, 4),
        sex=Sex.FEMALE,
        phone="0987654321",
        email="binh.tran@example.com",
        identity_level=IdentityLevel.LEVEL_1,
        home_agency_code="000.24.59.H00",
        address="Xóm 3, xã Kim Thái, huyện Vụ Bản, Nam Định",
    ),
    DemoAccount(
        username="motcua.goi",
        full_name="Phạm Thị Hoa",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="000.11.59.H00",
    ),
    DemoAccount(
        username="motcua.kimthai",
        full_name="Đỗ Văn Hùng",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="000.24.59.H00",
    ),
    DemoAccount(
        username="chuyenvien.goi",
        full_name="Vũ Thị Lan",
        roles=(Role.SPECIALIST,),
        agency_code="000.11.59.H00",
    ),
    DemoAccount(
        username="lanhdao.goi",
        full_name="Trần Văn Minh",
        roles=(Role.LEADER,),
        agency_code="000.11.59.H00",
    ),
    DemoAccount(
        username="tocongnghe.goi",
        full_name="Lê Văn Tuấn",
        roles=(Role.DIGITAL_TEAM,),
        agency_code="000.11.59.H00",
    ),
    # Linked chains: the commune police verify a child's residence (README).
    DemoAccount(
        username="congan.goi",
        full_name="Ngô Văn Bảo",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="001.11.59.H00",
    ),
    DemoAccount(
        username="lanhdao.congan.goi",
        full_name="Đinh Văn Cường",
        roles=(Role.LEADER,),
        agency_code="001.11.59.H00",
    ),
    DemoAccount(
        username="thongke.vuban",
        full_name="Hoàng Thị Mai",
        roles=(Role.DISTRICT_STAFF,),
        agency_code="000.00.59.H00",
    ),
    DemoAccount(
        username="quantri",
        full_name="Quản trị hệ thống",
        roles=(Role.ADMINISTRATOR,),
        # A superuser sees everything; the unit it acts for is today's
        # provincial centre, which runs the province's one-stop work (the
        # district's committee ended on 2025-06-30: decision 205).
        agency_code="DEMO.37.01",
        superuser=True,
    ),
    # From 2025-07-01 (two-tier local government): the centres and offices of the
    # communes formed from Vụ Bản's and the provincial centre of Ninh Bình. Their
    # usernames name units of today (xã Vụ Bản, xã Minh Tân, tỉnh Ninh Bình);
    # those above name units that ended on 2025-06-30 (thị trấn Gôi, Kim Thái,
    # huyện Vụ Bản), kept for the dossiers received before the reform.
    DemoAccount(
        username="motcua.xavuban",
        full_name="Nguyễn Thị Thu",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="DEMO.37.13741.01",
    ),
    DemoAccount(
        username="chuyenvien.xavuban",
        full_name="Phạm Văn Đức",
        roles=(Role.SPECIALIST,),
        agency_code="DEMO.37.13741.02",
    ),
    DemoAccount(
        username="lanhdao.xavuban",
        full_name="Lê Thị Hạnh",
        roles=(Role.LEADER,),
        agency_code="DEMO.37.13741.02",
    ),
    DemoAccount(
        username="tocongnghe.xavuban",
        full_name="Mai Văn Khoa",
        roles=(Role.DIGITAL_TEAM,),
        agency_code="DEMO.37.13741.01",
    ),
    DemoAccount(
        username="congan.xavuban",
        full_name="Bùi Văn Nam",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="DEMO.37.13741.05",
    ),
    DemoAccount(
        username="lanhdao.congan.xavuban",
        full_name="Cao Văn Sơn",
        roles=(Role.LEADER,),
        agency_code="DEMO.37.13741.05",
    ),
    DemoAccount(
        username="buudien.xavuban",
        full_name="Trịnh Văn Long",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="DEMO.37.13741.06",
    ),
    DemoAccount(
        username="motcua.minhtan",
        full_name="Đặng Thị Yến",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="DEMO.37.13750.01",
    ),
    DemoAccount(
        # The province's statistics staff: the area permission over tỉnh Ninh
        # Bình, with what Nam Định's units did before 2025-07-01 (its
        # predecessor: decision 201). The role is the one that holds the area
        # permission ("district staff" by its name, before the reform).
        username="thongke.ninhbinh",
        full_name="Vũ Thị Thanh",
        roles=(Role.DISTRICT_STAFF,),
        agency_code="DEMO.37.01",
    ),
    DemoAccount(
        username="motcua.tinhninhbinh",
        full_name="Hà Thị Nga",
        roles=(Role.RECEIVING_OFFICER,),
        agency_code="DEMO.37.01",
    ),
]


def demo_totp_key_hex() -> str:
    """The demo secret in the hex form django-otp stores."""
    return binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()


@transaction.atomic
def demo_accounts_seed() -> list[User]:
    """Create or reset every demo account (and a TOTP device for staff)."""
    users = []
    for account in DEMO_ACCOUNTS:
        org_unit = (
            OrgUnit.objects.get(agency_code=account.agency_code)
            if account.agency_code
            else None
        )
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                roles=account.roles,
                email=account.email,
                phone=account.phone,
                date_of_birth=account.date_of_birth,
                sex=account.sex,
                identity_level=account.identity_level,
                org_unit_id=org_unit.pk if org_unit else None,
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.full_name = account.full_name
            user.org_unit = org_unit
            user.is_active = True
            user.save()
            user_set_roles(user=user, roles=account.roles)
        if account.home_agency_code:
            home = OrgUnit.objects.get(agency_code=account.home_agency_code)
            profile_update(
                user=user,
                permanent_address=account.address,
                current_address="",
                commune=home.admin_unit,
                phone=account.phone,
                email=account.email,
            )
        if Role.CITIZEN not in account.roles:
            TOTPDevice.objects.update_or_create(
                user=user,
                name="demo",
                defaults={"key": demo_totp_key_hex(), "confirmed": True},
            )
        users.append(user)
    return users


# The demo centre of xã Vụ Bản keeps the seed's "Tuesday without writing,
# without appointment" (issue 22); its reception point (the post office)
# follows it. Its default fields and procedure are the model's.
DEMO_NO_APPOINTMENT_CENTRE = "DEMO.37.13741.01"


def demo_no_appointment_day_seed() -> NoAppointmentDay | None:
    """Give the demo centre its "no writing, no appointment" Tuesday, from the
    day it opened; an existing rule of the centre is left as the admin left it."""
    centre = OrgUnit.objects.filter(agency_code=DEMO_NO_APPOINTMENT_CENTRE).first()
    if centre is None:
        return None
    existing = NoAppointmentDay.objects.filter(centre=centre).first()
    if existing is not None:
        return existing
    rule = NoAppointmentDay(
        centre=centre,
        weekday=Weekday.TUESDAY,
        valid_from=centre.valid_from,
        source="Dữ liệu mẫu (demo): ngày thứ Ba không viết, không hẹn.",
    )
    rule.full_clean()
    rule.save()
    return rule
