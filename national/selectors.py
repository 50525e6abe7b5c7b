"""What staff may see of the national sync."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dossiers.selectors import dossiers_visible_to

from .models import OutboxEntry, SyncState, TwinReceipt, TwinStorePaper

PERMISSION = "national.handle_failed_syncs"


def entries_for_staff(*, user: Any) -> QuerySet[OutboxEntry]:
    """The outbox entries of the dossiers a staff member may see, if their role
    handles failed syncs; none otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(PERMISSION):
        return OutboxEntry.objects.none()
    visible = dossiers_visible_to(user=user).values("pk")
    return OutboxEntry.objects.filter(dossier__in=visible).select_related("dossier")


def entries_failed_for(*, user: Any) -> QuerySet[OutboxEntry]:
    """The failed-sync queue: entries the national side never took, oldest first."""
    return entries_for_staff(user=user).filter(state=SyncState.FAILED).order_by("pk")


def entry_get_for_staff(*, user: Any, pk: int) -> OutboxEntry:
    entry = entries_for_staff(user=user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def dossier_entries(*, dossier_id: int) -> list[OutboxEntry]:
    return list(OutboxEntry.objects.filter(dossier_id=dossier_id).order_by("event_id"))


def twin_dossier_codes(*, code: str = "") -> QuerySet[Any]:
    """The dossiers the twin heard of, most recent first (`/dvcqg-sandbox/`)."""
    receipts = TwinReceipt.objects.all()
    if code:
        receipts = receipts.filter(dossier_code=code)
    return (
        receipts.order_by()
        .values_list("dossier_code", flat=True)
        .distinct()
        .order_by("dossier_code")
    )


def twin_receipts_of(*, codes: list[str]) -> dict[str, list[TwinReceipt]]:
    found: dict[str, list[TwinReceipt]] = {code: [] for code in codes}
    for receipt in TwinReceipt.objects.filter(dossier_code__in=codes).order_by(
        "dossier_code", "sequence"
    ):
        found[receipt.dossier_code].append(receipt)
    return found


def twin_store_of(*, personal_id: str) -> list[TwinStorePaper]:
    """A citizen's papers in the twin's e-document store (`/dvcqg-sandbox/`)."""
    if not personal_id:
        return []
    return list(
        TwinStorePaper.objects.filter(personal_id=personal_id)
        .defer("content")
        .order_by("created_at", "pk")
    )
