"""The citizen's own dossiers and drafts, and where a procedure may be filed."""

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from procedures.text import normalize
from units.models import OrgUnit
from units.selectors import receiving_q

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
