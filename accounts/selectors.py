"""Reads of accounts: the citizen's own data, and what staff may see of citizens.

Every citizen-owned object is fetched through a selector that filters by who asks
and raises Http404 for anyone else.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from units.models import AdminUnit

from .models import (
    CitizenProfile,
    DataAccessLog,
    HouseholdMember,
    StoredDocument,
    User,
)
from .roles import Role

# --- The citizen's own data ---------------------------------------------------


def profile_for(*, user: User) -> CitizenProfile:
    """The user's profile (an unsaved empty one when they never filled it)."""
    profile = CitizenProfile.objects.select_related("commune").filter(user=user).first()
    return profile or CitizenProfile(user=user)


def stored_documents_for(*, user: User) -> QuerySet[StoredDocument]:
    """The documents in the user's own store, newest first."""
    return StoredDocument.objects.filter(owner=user)


def stored_document_get_for_user(*, user: User, pk: int) -> StoredDocument:
    """The document, if `user` owns it; Http404 for everyone else."""
    document = stored_documents_for(user=user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def household_members_for(*, user: User) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(owner=user)


def household_member_get_for_user(*, user: User, pk: int) -> HouseholdMember:
    """The household member, if `user` declared them; Http404 otherwise."""
    member = household_members_for(user=user).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def data_accesses_for(*, citizen: User) -> QuerySet[DataAccessLog]:
    """Who opened this citizen's data, newest first ("who viewed my data")."""
    return DataAccessLog.objects.filter(citizen=citizen).select_related(
        "staff", "staff_unit"
    )


def profile_prefill(*, user: User) -> dict[str, object]:
    """Values for the catalogue's form-schema `prefill` hints.

    Keys: applicant.full_name, applicant.personal_id, applicant.date_of_birth
    (ISO date or ""), applicant.sex ("male"/"female"/""), applicant.phone,
    applicant.email, applicant.address, and household.members: a list of
    {full_name, relation, date_of_birth, sex, personal_id} dicts.
    """
    profile = profile_for(user=user)
    members = [
        {
            "full_name": m.full_name,
            "relation": m.relation,
            "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else "",
            "sex": m.sex,
            "personal_id": m.personal_id,
        }
        for m in household_members_for(user=user)
    ]
    return {
        "applicant.full_name": user.full_name,
        "applicant.personal_id": user.username if user.is_citizen else "",
        "applicant.date_of_birth": (
            user.date_of_birth.isoformat() if user.date_of_birth else ""
        ),
        "applicant.sex": user.sex,
        "applicant.phone": user.phone,
        "applicant.email": user.email,
        "applicant.address": profile.address,
        "household.members": members,
    }


# --- What staff may see of citizens --------------------------------------------


def citizens_for_staff(*, staff: User) -> QuerySet[User]:
    """Citizens living within the area of the staff user's unit.

    A commune officer sees the citizens of their commune; district staff those of
    every commune of the district; either also those whose recorded commune is
    one of before the reform that their area succeeded. A staff user without a
    unit sees nobody.
    """
    org_unit = staff.org_unit
    if org_unit is None or not staff.is_officer:
        return User.objects.none()
    area = org_unit.admin_unit
    # A commune recorded before the reform (thị trấn Gôi) is in the area of the
    # commune of today that succeeded it (xã Vụ Bản), through successors: two
    # generations, the mergers of 2024 then the reform of 2025 (Minh Thuận, then
    # Minh Tân, then today's xã Minh Tân), joined in the same query.
    return (
        User.objects.filter(
            Q(profile__commune__path__startswith=area.path)
            | Q(profile__commune__successors__path__startswith=area.path)
            | Q(profile__commune__successors__successors__path__startswith=area.path),
            groups__name=Role.CITIZEN,
        )
        .select_related("profile__commune")
        .order_by("full_name", "username")
        .distinct()
    )


def citizen_get_for_staff(*, staff: User, pk: int) -> User:
    """The citizen, if within the staff user's area; Http404 otherwise."""
    citizen = citizens_for_staff(staff=staff).filter(pk=pk).first()
    if citizen is None:
        raise Http404
    return citizen


def communes_served() -> QuerySet[AdminUnit]:
    """Communes that have an active one-stop shop on this portal."""
    return (
        AdminUnit.objects.filter(
            org_units__agency_type="commune_committee", org_units__is_active=True
        )
        .distinct()
        .order_by("name")
    )
