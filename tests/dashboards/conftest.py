import pytest

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from units.models import OrgUnit
from units.services import units_load_reference


@pytest.fixture
def vu_ban(db):
    """The reference units: Vụ Bản (359), its 18 communes and their agencies."""
    units_load_reference()
    return {unit.agency_code: unit for unit in OrgUnit.objects.all()}


@pytest.fixture
def vu_ban_staff(vu_ban):
    """District staff of UBND huyện Vụ Bản."""
    return UserFactory(roles=[Role.DISTRICT_STAFF], org_unit=vu_ban["000.00.59.H00"])


@pytest.fixture
def goi_leader(vu_ban):
    """The leader of UBND thị trấn Gôi (commune 13741)."""
    return UserFactory(roles=[Role.LEADER], org_unit=vu_ban["000.11.59.H00"])


@pytest.fixture
def vu_ban_small(db):
    """A few real Vụ Bản units, fast: the district, three communes (Minh Thuận
    merged away at the end of 2024) and their agencies."""
    import datetime

    from tests.units.factories import AdminUnitFactory, OrgUnitFactory
    from units.models import AgencyType

    district = AdminUnitFactory(code="359", name="Huyện Vụ Bản", kind="huyện")
    communes = {
        "13741": AdminUnitFactory(code="13741", name="Thị trấn Gôi", parent=district),
        "13744": AdminUnitFactory(
            code="13744",
            name="Xã Minh Thuận",
            parent=district,
            valid_to=datetime.date(2024, 12, 31),
        ),
        "13780": AdminUnitFactory(code="13780", name="Xã Kim Thái", parent=district),
    }
    units = [
        ("000.00.59.H00", AgencyType.DISTRICT_COMMITTEE, district),
        ("000.11.59.H00", AgencyType.COMMUNE_COMMITTEE, communes["13741"]),
        ("000.12.59.H00", AgencyType.COMMUNE_COMMITTEE, communes["13744"]),
        ("000.24.59.H00", AgencyType.COMMUNE_COMMITTEE, communes["13780"]),
        ("001.11.59.H00", AgencyType.COMMUNE_POLICE, communes["13741"]),
        ("001.24.59.H00", AgencyType.COMMUNE_POLICE, communes["13780"]),
    ]
    return {
        code: OrgUnitFactory(
            agency_code=code, agency_type=kind, admin_unit=admin, name=f"Cơ quan {code}"
        )
        for code, kind, admin in units
    }
