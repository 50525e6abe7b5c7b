import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AdminUnit, OrgUnit
from units.selectors import (
    admin_unit_subtree,
    admin_unit_successors_on,
    admin_units_valid_on,
    org_units_in_subtree,
)
from units.services import (
    admin_unit_upsert,
    org_unit_set_contact,
    units_load_reference,
)

VU_BAN_COMMUNES = {
    "13741",
    "13744",
    "13747",
    "13750",
    "13753",
    "13756",
    "13759",
    "13762",
    "13765",
    "13768",
    "13771",
    "13774",
    "13777",
    "13780",
    "13783",
    "13786",
    "13789",
    "13792",
}


@pytest.fixture
def reference(db):
    units_load_reference()


def vu_ban() -> AdminUnit:
    return AdminUnit.objects.get(code="359", valid_from=None)


def test_vu_ban_has_its_18_communes_on_2023_06_30(reference):
    communes = admin_units_valid_on(day=datetime.date(2023, 6, 30), parent=vu_ban())

    assert {unit.code for unit in communes} == VU_BAN_COMMUNES
    assert communes.count() == 18


def test_vu_ban_has_14_communes_after_the_2025_commune_mergers(reference):
    communes = admin_units_valid_on(day=datetime.date(2025, 3, 1), parent=vu_ban())

    assert communes.count() == 14
    assert communes.get(code="13750").name == "Xã Minh Tân"


def test_successors_of_the_18_communes_on_2025_08_01(reference):
    day = datetime.date(2025, 8, 1)
    successors: set[tuple[str, str]] = set()
    for commune in admin_units_valid_on(
        day=datetime.date(2023, 6, 30), parent=vu_ban()
    ):
        found = admin_unit_successors_on(unit=commune, day=day)
        assert found, f"{commune} has no successor valid on {day}"
        successors.update((unit.code, unit.name) for unit in found)

    assert successors == {
        ("13741", "Xã Vụ Bản"),
        ("13750", "Xã Minh Tân"),
        ("13753", "Xã Hiển Khánh"),
        ("13786", "Xã Liên Minh"),
        ("13699", "Phường Thành Nam"),
        ("13777", "Phường Trường Thi"),
    }


def test_successor_units_belong_to_the_merged_province(reference):
    [successor] = admin_unit_successors_on(
        unit=AdminUnit.objects.get(code="13741", valid_from=None),
        day=datetime.date(2025, 8, 1),
    )

    assert successor.parent.name == "Tỉnh Ninh Bình"
    assert successor.parent.code == "37"
    assert successor.valid_from == datetime.date(2025, 7, 1)


def test_the_district_is_not_valid_after_the_reform(reference):
    valid = admin_units_valid_on(day=datetime.date(2025, 8, 1))

    assert not valid.filter(code="359").exists()
    assert not valid.filter(code="36").exists()
    assert valid.filter(depth=0).count() == 34


def test_loading_reference_data_twice_changes_nothing(reference):
    before = (AdminUnit.objects.count(), OrgUnit.objects.count())

    units_load_reference()

    assert (AdminUnit.objects.count(), OrgUnit.objects.count()) == before


def test_every_vu_ban_commune_has_a_committee_and_a_police_unit(reference):
    org_units = org_units_in_subtree(unit=vu_ban())

    for code in VU_BAN_COMMUNES:
        kinds = {o.agency_type for o in org_units if o.admin_unit.code == code}
        assert kinds == {"commune_committee", "commune_police"}, code


def test_subtree_holds_the_unit_and_everything_below(db):
    province = AdminUnitFactory(kind="tỉnh")
    district = AdminUnitFactory(kind="huyện", parent=province)
    commune = AdminUnitFactory(parent=district)
    other = AdminUnitFactory(kind="tỉnh")

    assert set(admin_unit_subtree(unit=district)) == {district, commune}
    assert set(admin_unit_subtree(unit=province)) == {province, district, commune}
    assert other not in admin_unit_subtree(unit=province)
    assert (province.depth, district.depth, commune.depth) == (0, 1, 2)


def test_moving_a_unit_moves_its_subtree(db):
    old_parent = AdminUnitFactory(kind="tỉnh")
    new_parent = AdminUnitFactory(kind="tỉnh")
    district = AdminUnitFactory(kind="huyện", parent=old_parent)
    commune = AdminUnitFactory(parent=district)

    admin_unit_upsert(
        code=district.code,
        name=district.name,
        kind=district.kind,
        parent=new_parent,
        valid_from=None,
    )

    commune.refresh_from_db()
    assert commune.path.startswith(new_parent.path)
    assert set(admin_unit_subtree(unit=new_parent)) == {new_parent, district, commune}


@pytest.mark.django_db
def test_setting_a_units_contacts_saves_them_unverified_by_default():
    org_unit = OrgUnitFactory()

    org_unit_set_contact(
        org_unit=org_unit,
        address="Xóm 3, xã Kim Thái",
        phone="0228 000 0001",
        opening_hours="Thứ Hai – thứ Sáu",
    )

    org_unit.refresh_from_db()
    assert org_unit.address == "Xóm 3, xã Kim Thái"
    assert org_unit.phone == "0228 000 0001"
    assert org_unit.contact_verified is False


@pytest.mark.django_db
def test_malformed_contacts_are_refused_and_nothing_is_saved():
    org_unit = OrgUnitFactory(address="Trụ sở cũ")

    with pytest.raises(ValidationError):
        org_unit_set_contact(
            org_unit=org_unit,
            address="Trụ sở mới",
            phone="không có",
            opening_hours="",
        )

    org_unit.refresh_from_db()
    assert org_unit.address == "Trụ sở cũ"


# --- Organisation units of both eras (issue 17) ------------------------------------

BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)


def test_vu_ban_agencies_are_in_force_until_the_reform(reference):
    from units.selectors import org_units_in_force

    before = org_units_in_force(day=BEFORE)
    old = OrgUnit.objects.filter(agency_code__endswith=".59.H00")

    assert old.count() == 41
    assert set(old.values_list("valid_to", flat=True)) == {
        BEFORE,
        datetime.date(2024, 12, 31),  # the communes merged then (UNVERIFIED)
    }
    # 5 district agencies, and both agencies of the 13 communes left in 2025
    assert before.count() == 5 + 2 * 13
    assert not org_units_in_force(day=AFTER).filter(pk__in=old).exists()


def test_todays_centres_and_offices_of_the_communes_formed_from_vu_ban(reference):
    from collections import Counter

    from units.selectors import org_units_in_force

    after = list(org_units_in_force(day=AFTER))
    kinds = Counter(unit.kind for unit in after)

    assert len(after) == 33
    assert kinds == {
        "province_centre": 1,
        "social_insurance": 1,
        "commune_centre": 6,
        "commune_office": 6,
        "commune_culture_social": 6,
        "commune_economy": 6,
        "commune_police": 6,
        "reception_point": 1,
    }
    areas = {unit.admin_unit.name for unit in after if unit.kind == "commune_centre"}
    assert areas == {
        "Xã Vụ Bản",
        "Xã Minh Tân",
        "Xã Hiển Khánh",
        "Xã Liên Minh",
        "Phường Thành Nam",
        "Phường Trường Thi",
    }
    provinces = {(u.admin_unit.parent or u.admin_unit).code for u in after}
    assert provinces == {"37"}
    # Demo identifiers say so, in the code itself and in the note.
    assert all(unit.agency_code.startswith("DEMO.") for unit in after)
    assert all("demo" in unit.note for unit in after)


def test_the_district_agencies_lead_to_todays_units(reference):
    from units.selectors import org_unit_successors_on

    goi = OrgUnit.objects.get(agency_code="000.11.59.H00")
    goi_police = OrgUnit.objects.get(agency_code="001.11.59.H00")
    dai_an = OrgUnit.objects.get(agency_code="000.16.59.H00")

    assert {u.name for u in org_unit_successors_on(unit=goi, day=AFTER)} == {
        "Trung tâm Phục vụ hành chính công xã Vụ Bản",
        "Văn phòng HĐND và UBND xã Vụ Bản",
    }
    assert [u.name for u in org_unit_successors_on(unit=goi_police, day=AFTER)] == [
        "Công an xã Vụ Bản"
    ]
    assert {u.admin_unit.name for u in dai_an.successors.all()} == {"Phường Thành Nam"}
    assert org_unit_successors_on(unit=goi, day=BEFORE) == [goi]


def test_a_malformed_unit_in_a_reference_file_is_refused(db, tmp_path):
    AdminUnitFactory(code="99991")
    path = tmp_path / "units.csv"
    path.write_text(
        "agency_code,name,agency_type,admin_unit,parent,note,valid_from,valid_to\n"
        "H57.132,Trung tâm,commune_committee,99991@,,,2025-07-01,2025-06-30\n",
        encoding="utf-8",
    )
    from units.services import org_units_load_csv

    with pytest.raises(ValidationError):
        org_units_load_csv(path)

    assert not OrgUnit.objects.exists()
