"""Reads of feedback: who may see which, the public list, counts."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import Role

from .models import Feedback, Kind, Status
from .services import ANSWERING_ROLES


def feedback_visible_to(*, user: Any) -> QuerySet[Feedback]:
    """A citizen's own feedback; a unit's for its officers (conduct: its leaders
    only), never to the officer it is about; everything for administrators."""
    rows = Feedback.objects.select_related("org_unit", "procedure", "dossier")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if user.is_citizen and not user.is_officer:
        return rows.filter(sender=user)
    if user.has_role(Role.ADMINISTRATOR):
        return rows.exclude(officer_concerned=user)
    if user.org_unit_id is None or not user.has_role(*ANSWERING_ROLES):
        return rows.none()
    rows = rows.filter(org_unit_id=user.org_unit_id).exclude(officer_concerned=user)
    if not user.has_role(Role.LEADER):
        rows = rows.exclude(kind=Kind.CONDUCT)
    return rows


def feedback_get_for_user(*, user: Any, pk: Any) -> Feedback:
    """The feedback if `user` may see it; 404 for everyone else."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    feedback = feedback_visible_to(user=user).filter(pk=key).first()
    if feedback is None:
        raise Http404
    return feedback


def feedback_public(*, procedure: str = "", query: str = "") -> QuerySet[Feedback]:
    """Published answers (redacted), newest first; by procedure code, by words."""
    rows = (
        Feedback.objects.filter(published_at__isnull=False, status=Status.ANSWERED)
        .select_related("org_unit", "procedure")
        .order_by("-published_at", "-pk")
    )
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    if query:
        rows = rows.filter(
            Q(title__icontains=query)
            | Q(public_content__icontains=query)
            | Q(public_answer__icontains=query)
        )
    return rows
