"""The two linked groups of the reviewed catalogue, the agencies of the test
district that do their steps, and valid form data for both groups."""

import datetime
import importlib
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from agencies.models import RegistryRecord
from dossiers import services as dossier_services
from procedures.models import Procedure
from procedures.services import catalogue_load_reference
from tests.accounts.factories import UserFactory
from tests.procedures.conftest import clear_catalogue
from tests.units.factories import AdminUnitFactory, OrgUnitFactory
from units.models import AgencyType

BIRTH = "3.000722"
DEATH = "2.002913"


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The reviewed catalogue (procedures/data/), loaded once per module, with the
    linked groups' limits."""
    with django_db_blocker.unblock():
        catalogue_load_reference(overwrite=True)
        linked_group_rules()
    yield
    with django_db_blocker.unblock():
        clear_catalogue()


def load_catalogue() -> None:
    """For transactional tests, whose database is emptied after each test."""
    catalogue_load_reference(overwrite=True)


def linked_group_rules() -> None:
    """Decree 63/2024 art. 7's limits as migration chains 0002 seeds them: a
    transactional test empties every table afterwards, taking the seeded rows
    with it, so whatever runs a chain puts back the ones missing."""
    from chains.models import LinkedGroupRule

    seeded = importlib.import_module("chains.migrations.0002_linked_group_rules")
    for fields in seeded.RULES:
        if not LinkedGroupRule.objects.filter(group_code=fields["group_code"]).exists():
            LinkedGroupRule.objects.create(**fields)


def make_agencies(tree: dict[str, Any], unit_a: Any) -> dict[str, Any]:
    """The agencies that do the steps for commune A: its People's Committee
    (unit_a, which receives), its police, the district's social insurance and
    labour-social office; and a ward of province 37 (the catalogue's residence
    field lists those) with its police, for a child living elsewhere. With them,
    the linked groups' limits (linked_group_rules)."""
    linked_group_rules()
    province_37 = AdminUnitFactory(code="37", name="Tỉnh Ninh Bình Thử", kind="tỉnh")
    ward = AdminUnitFactory(
        code="14999", name="Phường Thử", kind="phường", parent=province_37
    )
    return {
        "committee": unit_a,
        "police": OrgUnitFactory(
            name="Công an xã An",
            agency_type=AgencyType.COMMUNE_POLICE,
            admin_unit=tree["commune_a"],
        ),
        "police_b": OrgUnitFactory(
            name="Công an xã Bình",
            agency_type=AgencyType.COMMUNE_POLICE,
            admin_unit=tree["commune_b"],
        ),
        "social_insurance": OrgUnitFactory(
            name="Bảo hiểm xã hội huyện Thử",
            agency_type=AgencyType.SOCIAL_INSURANCE,
            admin_unit=tree["district"],
        ),
        "social_affairs": OrgUnitFactory(
            name="Phòng Lao động - Thương binh và Xã hội huyện Thử",
            agency_type=AgencyType.LABOUR_SOCIAL,
            admin_unit=tree["district"],
        ),
        "ward": ward,
        "ward_police": OrgUnitFactory(
            name="Công an phường Thử",
            agency_type=AgencyType.COMMUNE_POLICE,
            admin_unit=ward,
        ),
    }


@pytest.fixture
def agencies(tree, unit_a):
    return make_agencies(tree, unit_a)


@pytest.fixture
def police_officers(agencies):
    """A receiving officer, a specialist and a leader of the commune police of
    the ward."""
    unit = agencies["ward_police"]
    return {
        "officer": UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit),
        "specialist": UserFactory(roles=[Role.SPECIALIST], org_unit=unit),
        "leader": UserFactory(roles=[Role.LEADER], org_unit=unit),
    }


def part_signed_off(part: Any, officers: dict[str, Any]) -> Any:
    """The police appraise a forwarded part, submit it, and their leader signs
    it off (issue 18): the step goes on to the agency's system."""
    from dossiers import services

    specialist = officers["specialist"]
    services.dossier_appraise(
        dossier=part, actor=specialist, title="Xác nhận cư trú", generate=True
    )
    services.dossier_submit_for_signature(dossier=part, actor=specialist)
    return services.dossier_sign(dossier=part, actor=officers["leader"])


def _applicant(citizen: Any) -> dict[str, Any]:
    return {
        "full_name": citizen.full_name,
        "date_of_birth": citizen.date_of_birth.isoformat(),
        "sex": citizen.sex,
        "personal_id": citizen.username,
        "phone": citizen.phone or "0912345678",
    }


def birth_data(citizen: Any, **changes: Any) -> dict[str, Any]:
    """A valid group-1 form: a boy born 10 days ago, living with his mother."""
    born = timezone.localdate() - datetime.timedelta(days=10)
    data = {
        "child": {
            "full_name": "Nguyễn Văn Bé",
            "date_of_birth": born.isoformat(),
            "sex": "male",
            "place_of_birth": "Trung tâm Y tế huyện Thử",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
        },
        "mother": {
            "full_name": "Phạm Thị Mẹ",
            "date_of_birth": "1990-05-01",
            "personal_id": "036190001234",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "address": "Xóm 1, xã An",
        },
        "father_known": False,
        "same_residence": True,
        "residence_with": "mother",
        "health_facility": "Trạm y tế xã An",
        "applicant": _applicant(citizen),
        "applicant_relationship": "mother",
    }
    data.update(changes)
    return data


def living_elsewhere(citizen: Any, ward_code: str = "14999") -> dict[str, Any]:
    """Group 1 where the child lives away from the parents: verification."""
    return birth_data(
        citizen,
        same_residence=False,
        residence_unit=ward_code,
        residence_address="Số 5, phố Thử",
    )


DECEASED_ID = "036045001111"


def deceased_person() -> RegistryRecord:
    """The deceased, known to the development population registry."""
    return RegistryRecord.objects.get_or_create(
        personal_id=DECEASED_ID,
        defaults={
            "full_name": "Trần Văn Cụ",
            "date_of_birth": datetime.date(1945, 2, 3),
            "sex": "male",
        },
    )[0]


def death_data(
    citizen: Any, *, count: str = "4", status: str = "pension", **changes: Any
) -> dict[str, Any]:
    """A valid group-2 form: the applicant's father died yesterday."""
    data: dict[str, Any] = {
        "deceased": {
            "full_name": "Trần Văn Cụ",
            "date_of_birth": "1945-02-03",
            "sex": "male",
            "personal_id": DECEASED_ID,
            "address": "Xóm 2, xã An",
        },
        "death_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "death_place": "Tại nhà, xóm 2, xã An",
        "deceased_status": status,
        "procedure_count": count,
        "applicant": _applicant(citizen),
        "applicant_relationship": "child",
    }
    if count in ("3", "4"):
        data["payment_method"] = "cash"
    if count == "4":
        data["survivor_benefit"] = "one_time"
    data.update(changes)
    return data


def papers(citizen: Any, group: str, keys: list[str]) -> Any:
    """A draft carrying the papers (document keys) the form requires."""
    from dossiers.models import Draft
    from tests.dossiers.factories import pdf_upload

    procedure = Procedure.objects.get(code=group)
    draft = Draft.objects.create(owner=citizen, procedure=procedure, data={})
    for key in keys:
        dossier_services.attachment_add(
            uploaded_by=citizen,
            upload=pdf_upload(f"{key}.pdf"),
            document_key=key,
            draft=draft,
        )
    return draft


def submit(
    citizen: Any, unit: Any, group: str, data: dict[str, Any], **kwargs: Any
) -> Any:
    """Submit a linked dossier through the dossier service (the wizard's call),
    with the papers its form requires."""
    procedure = Procedure.objects.get(code=group)
    if "draft" not in kwargs:
        if group == DEATH:
            kwargs["draft"] = papers(citizen, group, ["giay-bao-tu"])
        elif data.get("same_residence") is False:
            kwargs["draft"] = papers(citizen, group, ["ho-so-cu-tru"])
    return dossier_services.dossier_submit(
        applicant=citizen, procedure=procedure, receiving_unit=unit, data=data, **kwargs
    )
