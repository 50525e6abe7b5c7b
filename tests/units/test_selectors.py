"""Organisation units in force on a day."""

import datetime

import pytest

from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AgencyType, OrgUnit, OrgUnitKind
from units.selectors import org_unit_successors_on, org_units_in_force, receiving_q

BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)


@pytest.fixture
def eras(db):
    """A commune's committee until 2025-06-30, then a centre and its office."""
    old_province = AdminUnitFactory(code="96", kind="tỉnh", valid_to=BEFORE)
    new_province = AdminUnitFactory(code="97", kind="tỉnh", valid_from=AFTER)
    old_commune = AdminUnitFactory(code="99991", parent=old_province, valid_to=BEFORE)
    new_commune = AdminUnitFactory(code="99991", parent=new_province, valid_from=AFTER)
    committee = OrgUnitFactory(
        name="UBND xã Cũ", admin_unit=old_commune, valid_to=BEFORE
    )
    centre = OrgUnitFactory(
        name="Trung tâm xã Mới",
        kind=OrgUnitKind.COMMUNE_CENTRE,
        admin_unit=new_commune,
        valid_from=AFTER,
    )
    office = OrgUnitFactory(
        name="Văn phòng xã Mới",
        kind=OrgUnitKind.COMMUNE_OFFICE,
        admin_unit=new_commune,
        valid_from=AFTER,
    )
    committee.successors.set([centre, office])
    return {
        "old_province": old_province,
        "new_province": new_province,
        "committee": committee,
        "centre": centre,
        "office": office,
    }


def names(units) -> list[str]:
    return sorted(unit.name for unit in units)


def test_units_in_force_are_those_of_the_day_asked(eras):
    assert names(org_units_in_force(day=BEFORE)) == ["UBND xã Cũ"]
    assert names(org_units_in_force(day=AFTER)) == [
        "Trung tâm xã Mới",
        "Văn phòng xã Mới",
    ]


def test_units_in_force_by_kind_and_province(eras):
    centres = org_units_in_force(day=AFTER, kind=OrgUnitKind.COMMUNE_CENTRE)
    in_old = org_units_in_force(day=AFTER, province=eras["old_province"])
    in_new = org_units_in_force(day=AFTER, province=eras["new_province"])

    assert names(centres) == ["Trung tâm xã Mới"]
    assert names(in_old) == []
    assert len(in_new) == 2


def test_a_unit_switched_off_is_not_in_force(eras):
    OrgUnit.objects.filter(pk=eras["centre"].pk).update(is_active=False)

    assert names(org_units_in_force(day=AFTER)) == ["Văn phòng xã Mới"]


def test_citizens_file_at_the_centre_not_at_the_office_behind_it(eras):
    receiving = OrgUnit.objects.filter(receiving_q(AFTER))

    assert names(receiving) == ["Trung tâm xã Mới"]
    assert names(OrgUnit.objects.filter(receiving_q(BEFORE))) == ["UBND xã Cũ"]


def test_successors_carry_a_unit_on_after_it_ended(eras):
    committee = eras["committee"]

    assert org_unit_successors_on(unit=committee, day=BEFORE) == [committee]
    assert names(org_unit_successors_on(unit=committee, day=AFTER)) == [
        "Trung tâm xã Mới",
        "Văn phòng xã Mới",
    ]
    assert eras["centre"].predecessors.get() == committee


def test_factory_units_without_dates_are_in_force_every_day(db):
    OrgUnitFactory(agency_type=AgencyType.COMMUNE_POLICE)

    assert org_units_in_force(day=datetime.date(2000, 1, 1)).count() == 1
    assert org_units_in_force(day=datetime.date(2030, 1, 1)).count() == 1
