"""Reads of notifications, and who is told about a dossier."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from dossiers.models import Dossier, Status
from portal.db import PreparedRead

from .models import Notification


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """A person's own notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get_for_user(*, user: Any, pk: int) -> Notification:
    """The notification if it is `user`'s; 404 otherwise."""
    notification = notifications_for(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(*, user: Any) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


# The bell in every page's header shows up to this many unread, then "99+".
BELL_MAX = 99

# At most BELL_MAX + 1 of them read, by a statement compiled once: the bell is on
# every page, and an officer who leaves thousands unread (every dossier filed at
# their counter tells them) counted them all on each request.
_BELL = PreparedRead(
    lambda user: (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values_list("pk")[: BELL_MAX + 1]
    ),
    user=int,
)


def bell_count(*, user: Any) -> int:
    """The unread notifications of `user`, counted up to BELL_MAX + 1."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return len(_BELL.rows(user=user.pk))


def unit_officers(*, org_unit: Any, permission: str) -> list[User]:
    """Active officers of `org_unit` (an id or unit) whose role gives them
    `permission`, by id. Read on every submission and forward (who is told):
    compiled once (portal.db.PreparedRead)."""
    app_label, codename = permission.split(".")
    return _UNIT_OFFICERS.objects(
        unit=getattr(org_unit, "pk", org_unit), app=app_label, codename=codename
    )


_UNIT_OFFICERS = PreparedRead(
    lambda unit, app, codename: (
        User.objects.filter(
            org_unit=unit,
            is_active=True,
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app,
        )
        .distinct()
        .order_by("pk")
    ),
    unit=int,
    app=str,
    codename=str,
)


def dossier_holders(dossier: Dossier) -> list[User]:
    """Who has the dossier in their queue now: its assignee, or else the officers
    of the unit holding it (the specialists of the processing unit once it is
    forwarded, the receiving officers before and after)."""
    assignee = dossier.assignee if dossier.assignee_id is not None else None
    if assignee is not None and assignee.is_active:
        return [assignee]
    forwarded = dossier.processing_unit_id is not None and dossier.status in {
        Status.PROCESSING,
        Status.APPRAISED,
        Status.AWAITING_SIGNATURE,
    }
    if forwarded:
        specialists = list(
            unit_officers(
                org_unit=dossier.processing_unit_id,
                permission="dossiers.process_dossier",
            )
        )
        if specialists:
            return specialists
        unit = dossier.processing_unit_id
    else:
        unit = dossier.receiving_unit_id
    return list(unit_officers(org_unit=unit, permission="dossiers.receive_dossier"))


def dossier_context(dossier: Dossier) -> dict[str, Any]:
    """What every dossier message may say (JSON-ready once rendered)."""
    procedure = dossier.procedure
    return {
        "code": dossier.code,
        "procedure_name": procedure.name,
        "procedure_name_en": procedure.name_en,
        "unit": dossier.receiving_unit.name,
        "due_at": dossier.due_at,
        "fee_vnd": dossier.fee_vnd,
    }
