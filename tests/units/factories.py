import factory

from units.models import AdminUnit, AgencyType, OrgUnit
from units.services import admin_unit_upsert


class AdminUnitFactory(factory.django.DjangoModelFactory):
    """A unit placed in the tree (depth and path set as the service does)."""

    class Meta:
        model = AdminUnit

    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = "xã"
    parent = None
    valid_from = None
    valid_to = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return admin_unit_upsert(**kwargs)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"UBND xã Thử {n}")
    agency_type = AgencyType.COMMUNE_COMMITTEE
    # A unit of before the reform is of the kind its agency type names.
    kind = factory.LazyAttribute(lambda unit: str(unit.agency_type))
    agency_code = factory.Sequence(lambda n: f"{n // 100:03d}.{n % 100:02d}.99.H99")
    admin_unit = factory.SubFactory(AdminUnitFactory)


def district_tree() -> dict[str, AdminUnit]:
    """A province with one district and two communes, valid today."""
    province = AdminUnitFactory(code="96", name="Tỉnh Thử", kind="tỉnh")
    district = AdminUnitFactory(
        code="999", name="Huyện Thử", kind="huyện", parent=province
    )
    commune_a = AdminUnitFactory(code="99991", name="Xã An", parent=district)
    commune_b = AdminUnitFactory(code="99992", name="Xã Bình", parent=district)
    return {
        "province": province,
        "district": district,
        "commune_a": commune_a,
        "commune_b": commune_b,
    }
