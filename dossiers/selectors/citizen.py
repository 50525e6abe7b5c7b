"""The citizen's own dossiers and drafts, and where a procedure may be filed."""

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import CitizenProfile
from portal.db import PreparedRead
from procedures.models import Procedure
from procedures.selectors import Place, procedure_places
from procedures.text import normalize
from units.models import AdminUnit, OrgUnit
from units.selectors import (
    admin_unit_successors_on,
    admin_unit_within,
    province_id_of,
    receiving_q,
)

from ..models import Dossier, Draft
from .queue import queue_status_q

# --- The citizen's own dossiers and drafts (views/citizen.py) ----------------------


def dossiers_of_applicant(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` filed (or had filed for them), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "receiving_unit")
        .order_by("-submitted_at", "-pk")
    )


# How a part of a linked dossier knows the linked dossier it belongs to: its own
# field (`Dossier.part_of`, set when the chain opens it; decision 150).
PART_OF = "part_of"

# "My dossiers" status filter: everything, or what the officer's queue offers.
MINE_ALL = ""
MINE_QUERY_LENGTH = 100


def dossiers_mine(
    *, user: Any, q: str = "", status: str = MINE_ALL
) -> QuerySet[Dossier]:
    """The citizen's filings, newest first: their dossiers that are not a part of
    a linked dossier (the parts come with `dossier_parts_of`). `q` finds a filing
    by its code or its procedure's name (case and diacritics ignored, as the
    catalogue's search), or by one of its parts'; `status` is the filing's own
    (a linked dossier waiting for the citizen says so itself)."""
    mine = dossiers_of_applicant(user=user)
    filings = mine.filter(**{f"{PART_OF}__isnull": True})
    if status != MINE_ALL:
        filings = filings.filter(queue_status_q(status))
    match = _mine_search_q(q)
    if match is not None:
        parents = mine.filter(match, **{f"{PART_OF}__isnull": False}).values(PART_OF)
        filings = filings.filter(match | Q(pk__in=parents))
    return filings


def _mine_search_q(q: str) -> Q | None:
    text = q.strip()[:MINE_QUERY_LENGTH]
    words = normalize(text).split()
    if not words:
        return None
    # Every word at the start of a word of the procedure's name (anywhere, for
    # words with digits such as codes), as procedures.selectors.procedure_search.
    name = Q()
    for word in words:
        needle = word if any(ch.isdigit() for ch in word) else f" {word}"
        name &= Q(procedure__search_text__contains=needle)
    return Q(code__icontains=text) | name


def dossier_parts_of(*, user: Any, filings: list[Dossier]) -> dict[int, list[Dossier]]:
    """The parts of the linked dossiers among `filings`, by filing, in the order
    they were opened: one query, none when no filing is a linked dossier."""
    linked = [d.pk for d in filings if d.procedure.is_linked]
    if not linked:
        return {}
    parts: dict[int, list[Dossier]] = {}
    rows = (
        dossiers_of_applicant(user=user)
        .filter(**{f"{PART_OF}__in": linked})
        .annotate(filing_pk=F(PART_OF))
        .order_by("submitted_at", "pk")
    )
    for part in rows:
        parts.setdefault(part.filing_pk, []).append(part)
    return parts


def drafts_for(*, user: Any) -> QuerySet[Draft]:
    """The user's unfinished submissions, last edited first."""
    if not getattr(user, "is_authenticated", False):
        return Draft.objects.none()
    return (
        Draft.objects.filter(owner=user)
        .select_related("procedure", "receiving_unit")
        .order_by("-updated_at", "-pk")
    )


def draft_get_for_user(*, user: Any, pk: int) -> Draft:
    """The draft if `user` owns it; 404 for everyone else."""
    draft = drafts_for(user=user).filter(pk=pk).first()
    if draft is None:
        raise Http404
    return draft


def receiving_units_for(
    *, procedure: Any, day: datetime.date | None = None
) -> QuerySet[OrgUnit]:
    """The units that receive dossiers of `procedure` (same agency type) on `day`,
    today by default: active, in force that day, citizens file there."""
    return (
        OrgUnit.objects.filter(
            receiving_q(day or timezone.localdate()),
            agency_type=procedure.agency_type,
        )
        .select_related("admin_unit")
        .order_by("admin_unit__path", "name")
    )


# --- Where this applicant may file (issue 17, points 2 and 3) ---------------------


# The applicant's recorded commune, read at every submission: compiled once
# (decision 336).
_PROFILE = PreparedRead(
    lambda user: (
        CitizenProfile.objects.select_related("commune")
        .filter(user_id=user)
        .order_by("pk")[:1]
    ),
    user=int,
)


def applicant_areas_on(*, applicant: Any, day: datetime.date) -> list[AdminUnit]:
    """The communes in force on `day` that carry the applicant's recorded commune
    (itself, or its successors across the reform); empty when none is known."""
    profile: CitizenProfile | None = _PROFILE.first(user=applicant.pk)
    if profile is None or profile.commune is None:
        return []
    return admin_unit_successors_on(unit=profile.commune, day=day)


def unit_serves_areas(
    *, unit: OrgUnit, procedure: Procedure, areas: list[AdminUnit]
) -> bool:
    """The rule for procedures off the province's list: a unit of the
    procedure's agency type located in the applicant's area or above it (any,
    when the area is not known). No query."""
    return unit.agency_type == procedure.agency_type and (
        not areas or any(admin_unit_within(unit=a, area=unit.admin_unit) for a in areas)
    )


def unit_in_applicants_province(*, unit: OrgUnit, areas: list[AdminUnit]) -> bool:
    """Whether `unit` lies in the province of the applicant's area (yes when it
    is not known). No query."""
    province_id = province_id_of(unit.admin_unit)
    return not areas or any(province_id_of(area) == province_id for area in areas)


def filing_places_for(
    *, procedure: Procedure, applicant: Any, day: datetime.date | None = None
) -> list[Place]:
    """The places where `applicant` may file `procedure` on `day` (today by
    default): those serving their area, and any centre or reception point of
    their province where the province's list holds the procedure."""
    day = day or timezone.localdate()
    areas = applicant_areas_on(applicant=applicant, day=day)
    return [
        place
        for place in procedure_places(procedure=procedure, day=day)
        if unit_serves_areas(unit=place.unit, procedure=procedure, areas=areas)
        or (
            place.anywhere_in_province
            and unit_in_applicants_province(unit=place.unit, areas=areas)
        )
    ]


def receiving_units_for_applicant(
    *, procedure: Procedure, applicant: Any, day: datetime.date | None = None
) -> QuerySet[OrgUnit]:
    """`filing_places_for` as units (the wizard's choice of a place)."""
    places = filing_places_for(procedure=procedure, applicant=applicant, day=day)
    return (
        OrgUnit.objects.filter(pk__in=[place.unit.pk for place in places])
        .select_related("admin_unit")
        .order_by("admin_unit__path", "name")
    )
