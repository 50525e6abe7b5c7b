"""Reads of the registers: an officer's search of their own agency's entries."""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import RegisterEntry

if TYPE_CHECKING:
    from accounts.models import User


def register_entries_for_officer(
    *,
    user: "User",
    query: str = "",
    year: int | None = None,
    kind: str = "",
) -> QuerySet[RegisterEntry]:
    """Entries of the registers of the officer's own agency (none for a user
    without one), newest first, filtered by a number, a name or a dossier code
    in `query`, and by year and kind. Other agencies' entries are never in it."""
    if user.org_unit_id is None:
        return RegisterEntry.objects.none()
    entries = RegisterEntry.objects.filter(register__unit_id=user.org_unit_id)
    if year:
        entries = entries.filter(register__year=year)
    if kind:
        entries = entries.filter(register__kind=kind)
    query = query.strip()
    if query:
        match = Q(subject__icontains=query) | Q(dossier__code__iexact=query)
        if query.isdigit():
            match |= Q(number=int(query))
        entries = entries.filter(match)
    return entries.select_related("register", "dossier").order_by(
        "-register__year", "register__kind", "-register__sequence", "-number"
    )
