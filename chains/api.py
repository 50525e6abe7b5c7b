"""The chains' part of the API under /api/v1/: the steps of a linked dossier in
its detail (through dossiers.hooks), and the failed-handoff queue for staff."""

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from dossiers.models import Dossier
from dossiers.services import DossierError

from .selectors import (
    chain_limit,
    chain_of,
    chain_steps,
    step_api,
    step_get_for_staff,
    step_of_part,
    steps_failed_for,
)
from .services import chain_step_retry

app_name = "chains_api"


def dossier_steps(dossier: Dossier, request: Any) -> dict[str, Any]:
    """Extra fields of a dossier's API detail: `steps` for a linked dossier,
    `linked` (the linked dossier and step) for a step's dossier. No query for
    other dossiers."""
    if dossier.procedure.is_linked:
        run = chain_of(dossier)
        if run is None:
            return {}
        return {
            "chain_status": run.status,
            "chain_due_at": run.due_at,
            "chain_limit": chain_limit(run).as_api(),
            "supplement_due_at": run.supplement_due_at,
            "steps": [step_api(step) for step in chain_steps(run)],
        }
    if dossier.part_of_id is not None:
        step = step_of_part(dossier)
        if step is not None:
            return {"linked": {"dossier": step.run.dossier.code, "order": step.order}}
    return {}


class HandlesFailedSteps(BasePermission):
    message = _("Bạn không có quyền xử lý các bước liên thông bị lỗi.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or user.has_perm("chains.handle_failed_steps"))
        )


class FailedStepSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    dossier = serializers.CharField(help_text="Code of the linked dossier")
    step_dossier = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    procedure = serializers.CharField()
    agency = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)


def _failed(step: Any) -> dict[str, Any]:
    return {
        "id": step.pk,
        "dossier": step.run.dossier.code,
        "step_dossier": step.sub_dossier.code if step.sub_dossier else None,
        "order": step.order,
        "procedure": step.procedure.url_code,
        "agency": step.org_unit.agency_code,
        "status": step.state,
        "attempts": step.attempts,
        "last_error": step.last_error,
        "due_at": step.due_at,
    }


@extend_schema(
    responses=inline_serializer(
        "PaginatedFailedSteps",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": FailedStepSerializer(many=True),
        },
    )
)
@api_view(["GET"])
@permission_classes([IsAuthenticated, HandlesFailedSteps])
def failed_list(request: Request) -> Response:
    """Steps whose agency's system did not answer after the last attempt, in the
    caller's units (district staff: their area)."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(steps_failed_for(user=request.user), request)
    return paginator.get_paginated_response([_failed(step) for step in page or []])


@extend_schema(
    request=None,
    responses={
        200: FailedStepSerializer,
        409: inline_serializer("ChainError", {"detail": serializers.CharField()}),
    },
)
@api_view(["POST"])
@permission_classes([IsAuthenticated, HandlesFailedSteps])
def step_retry(request: Request, pk: int) -> Response:
    """Send a failed step back to its agency's system (same idempotency key)."""
    step = step_get_for_staff(user=request.user, pk=pk)
    try:
        step = chain_step_retry(step=step, actor=request.user)
    except DossierError as exc:
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    step = step_get_for_staff(user=request.user, pk=pk)
    return Response(_failed(step))


urlpatterns = [
    path("chains/failed/", failed_list, name="failed-list"),
    path("chains/steps/<int:pk>/retry/", step_retry, name="step-retry"),
]
