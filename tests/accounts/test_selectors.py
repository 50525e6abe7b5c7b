import datetime

import pytest
from django.http import Http404

from accounts.models import DataAccessLog, HouseholdMember, Relation
from accounts.selectors import (
    citizen_get_for_staff,
    citizens_for_staff,
    data_accesses_for,
    household_member_get_for_user,
    profile_prefill,
    stored_document_get_for_user,
    stored_documents_for,
)
from accounts.services import household_member_add, profile_update
from tests.accounts.factories import CitizenFactory
from tests.accounts.test_services import PDF
from tests.units.factories import AdminUnitFactory

PREFILL_KEYS = {
    "applicant.full_name",
    "applicant.personal_id",
    "applicant.date_of_birth",
    "applicant.sex",
    "applicant.phone",
    "applicant.email",
    "applicant.address",
    "household.members",
}


def test_profile_prefill_gives_exactly_the_documented_keys(citizen, tree):
    citizen.email = "cong@example.com"
    citizen.save()
    profile_update(
        user=citizen,
        permanent_address="Xóm 1, xã An",
        current_address="Số 5, phố Huế, Hà Nội",
        commune=tree["commune_a"],
        phone=citizen.phone,
        email=citizen.email,
    )
    household_member_add(
        owner=citizen,
        full_name="Nguyễn Văn Bé",
        relation=Relation.CHILD,
        date_of_birth=datetime.date(2019, 6, 1),
        sex="male",
    )

    prefill = profile_prefill(user=citizen)

    assert set(prefill) == PREFILL_KEYS
    assert prefill["applicant.full_name"] == "Nguyễn Văn Công"
    assert prefill["applicant.personal_id"] == citizen.username
    assert prefill["applicant.date_of_birth"] == "1985-01-01"
    assert prefill["applicant.sex"] == "male"
    assert prefill["applicant.email"] == "cong@example.com"
    assert prefill["applicant.address"] == "Số 5, phố Huế, Hà Nội"
    assert prefill["household.members"] == [
        {
            "full_name": "Nguyễn Văn Bé",
            "relation": "child",
            "date_of_birth": "2019-06-01",
            "sex": "male",
            "personal_id": "",
        }
    ]


def test_prefill_of_a_new_citizen_has_empty_values(citizen):
    prefill = profile_prefill(user=citizen)

    assert prefill["applicant.address"] == ""
    assert prefill["household.members"] == []


def test_stored_documents_are_404_for_another_citizen(
    citizen, other_citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services import stored_document_add

    document = stored_document_add(
        owner=citizen, doc_type="other", title="X", file=SimpleUploadedFile("x", PDF)
    )

    assert stored_document_get_for_user(user=citizen, pk=document.pk) == document
    assert not stored_documents_for(user=other_citizen).exists()
    with pytest.raises(Http404):
        stored_document_get_for_user(user=other_citizen, pk=document.pk)


def test_household_members_are_404_for_another_citizen(citizen, other_citizen):
    member = HouseholdMember.objects.create(
        owner=citizen, full_name="Con", relation="child"
    )

    with pytest.raises(Http404):
        household_member_get_for_user(user=other_citizen, pk=member.pk)


def test_access_log_rows_belong_to_their_citizen(citizen, other_citizen, officer):
    DataAccessLog.objects.create(
        staff=officer, citizen=citizen, obj_label="Hồ sơ", context="x"
    )

    assert data_accesses_for(citizen=citizen).count() == 1
    assert not data_accesses_for(citizen=other_citizen).exists()


@pytest.fixture
def residents(tree, citizen, other_citizen):
    """`citizen` lives in commune A, `other_citizen` in commune B."""
    for person, commune in [(citizen, "commune_a"), (other_citizen, "commune_b")]:
        profile_update(
            user=person,
            permanent_address="",
            current_address="",
            commune=tree[commune],
            phone=person.phone,
            email="",
        )
    return citizen, other_citizen


def test_officers_see_citizens_of_their_commune_only(
    residents, officer, officer_other_commune
):
    citizen, other = residents

    assert list(citizens_for_staff(staff=officer)) == [citizen]
    assert list(citizens_for_staff(staff=officer_other_commune)) == [other]
    with pytest.raises(Http404):
        citizen_get_for_staff(staff=officer_other_commune, pk=citizen.pk)


def test_district_staff_see_every_commune_of_the_district(residents, district_staff):
    assert set(citizens_for_staff(staff=district_staff)) == set(residents)


def test_citizens_elsewhere_or_without_commune_are_seen_by_nobody(
    officer, district_staff
):
    elsewhere = AdminUnitFactory(name="Xã Khác")
    mover = CitizenFactory()
    profile_update(
        user=mover,
        permanent_address="",
        current_address="",
        commune=elsewhere,
        phone=mover.phone,
        email="",
    )
    CitizenFactory()  # never filled in a profile

    assert not citizens_for_staff(staff=officer).exists()
    assert not citizens_for_staff(staff=district_staff).exists()


def test_a_citizen_is_nobody_staff(residents, other_citizen):
    assert not citizens_for_staff(staff=other_citizen).exists()


def test_citizen_lookup_queries_are_bounded(
    residents, officer, django_assert_num_queries
):
    with django_assert_num_queries(2):
        list(citizens_for_staff(staff=officer))
