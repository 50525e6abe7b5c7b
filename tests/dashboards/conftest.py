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
