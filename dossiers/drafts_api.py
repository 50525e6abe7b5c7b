"""Drafts under /api/v1/drafts/: what the wizard's pages do, for other clients.

A citizen starts a draft (`POST /drafts/` with `{procedure, unit, data}`),
corrects it (`PATCH`), attaches the papers the procedure asks for (an upload, or
a document of their store), and submits it (`POST /drafts/{id}/submit/` with an
`Idempotency-Key`), which answers like `POST /api/v1/dossiers/`. The checks are
the wizard's: the same services, the same "who may file what, where".
"""

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import profile_prefill
from procedures.schema import schema_prefill
from procedures.schema.definitions import leaves
from procedures.selectors import procedure_by_code
from units.models import OrgUnit
from units.selectors import org_unit_by_code

from . import services, wizard
from .api import (
    SubmitResponseSerializer,
    error_response,
    idempotency_key,
    submitted_response,
)
from .models import Attachment, Draft
from .selectors import draft_get_for_user, drafts_for

app_name = "drafts_api"


class IsCitizen(BasePermission):
    """Drafts are a citizen's own: staff file at the counter instead."""

    message = _("Chỉ tài khoản công dân mới nộp hồ sơ của mình.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(getattr(request.user, "is_citizen", False))


CITIZEN = [IsAuthenticated, IsCitizen]


# --- Serializers ------------------------------------------------------------------


class DraftAttachmentSerializer(serializers.ModelSerializer[Attachment]):
    stored_document = serializers.IntegerField(
        source="stored_document_id", allow_null=True
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "document_key",
            "original_name",
            "content_type",
            "size",
            "stored_document",
        ]


class DraftSerializer(serializers.ModelSerializer[Draft]):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    unit = serializers.CharField(
        source="receiving_unit.agency_code", default=None, allow_null=True
    )
    data = serializers.SerializerMethodField()  # type: ignore[assignment]
    attachments = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField(
        help_text="What submitting would refuse now, by field name."
    )

    class Meta:
        model = Draft
        fields = [
            "id",
            "procedure",
            "procedure_name",
            "unit",
            "data",
            "attachments",
            "problems",
            "updated_at",
        ]

    def get_data(self, obj: Draft) -> dict[str, Any]:
        return services.draft_values(obj)

    def get_attachments(self, obj: Draft) -> list[dict[str, Any]]:
        return DraftAttachmentSerializer(obj.attachments.all(), many=True).data  # type: ignore[return-value]

    def get_problems(self, obj: Draft) -> dict[str, list[str]]:
        problems = wizard.draft_problems(obj)
        unit = obj.receiving_unit
        if unit is None or not services.unit_receives(
            unit=unit, procedure=obj.procedure
        ):
            problems["unit"] = [_("Hãy chọn nơi nộp hồ sơ.")]
        return problems


class DraftCreateSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(
        help_text="National procedure code, e.g. 1.001193"
    )
    unit = serializers.CharField(help_text="Agency identifier of the receiving unit")
    data = serializers.DictField(required=False, default=dict)  # type: ignore[assignment]


class DraftUpdateSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(required=False)
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        help_text="Values by field name; null clears a value.",
    )


class DraftAttachSerializer(serializers.Serializer[Any]):
    document_key = serializers.CharField(
        help_text="The paper of the procedure this file is"
    )
    file = serializers.FileField(required=False)
    stored_document = serializers.IntegerField(
        required=False, help_text="A document of the citizen's store, not uploaded"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("file" in attrs) == ("stored_document" in attrs):
            raise ValidationError(
                {
                    "file": [
                        _(
                            "Gửi một tệp (file) hoặc một giấy tờ trong kho "
                            "(stored_document), không cả hai."
                        )
                    ]
                }
            )
        return attrs


# --- Helpers ----------------------------------------------------------------------


def _unit(code: str) -> OrgUnit:
    unit = org_unit_by_code(code=code)
    if unit is None:
        raise ValidationError({"unit": [_("Không có cơ quan mang mã định danh này.")]})
    return unit


def _values(procedure: Any, data: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The form values in `data` (flat "child.full_name" or nested by person),
    and the names it clears (null). A name the form does not have is refused:
    a typo must not be kept silently and then be "missing" at submission."""
    names = {leaf.name for leaf in leaves(procedure.form_schema) if leaf.type != "file"}
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict) and not name.startswith("_"):
            for sub, sub_value in value.items():
                flat[f"{name}.{sub}"] = sub_value
        else:
            flat[str(name)] = value
    unknown = sorted(set(flat) - names)
    if unknown:
        raise ValidationError(
            {
                name: [_("Biểu mẫu của thủ tục này không có trường này.")]
                for name in unknown
            }
        )
    clear = {name for name, value in flat.items() if value is None}
    return {k: v for k, v in flat.items() if v is not None}, clear


def _citizen(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by IsCitizen
    return user


def _draft(request: Request, pk: int) -> Draft:
    return draft_get_for_user(user=request.user, pk=pk)


def _answer(draft: Draft, code: int = status.HTTP_200_OK) -> Response:
    fresh = drafts_for(user=draft.owner).get(pk=draft.pk)
    return Response(DraftSerializer(fresh).data, status=code)


# --- Views ------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    operation_id="drafts_list",
    responses=inline_serializer(
        "PaginatedDraftList",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": DraftSerializer(many=True),
        },
    ),
)
@extend_schema(
    methods=["POST"], request=DraftCreateSerializer, responses={201: DraftSerializer}
)
@api_view(["GET", "POST"])
@permission_classes(CITIZEN)
def draft_list(request: Request) -> Response:
    if request.method == "GET":
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(drafts_for(user=request.user), request)
        return paginator.get_paginated_response(DraftSerializer(page, many=True).data)
    payload = DraftCreateSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    procedure = procedure_by_code(code=payload.validated_data["procedure"])
    if procedure is None:
        raise ValidationError({"procedure": [_("Không có thủ tục mang mã này.")]})
    unit = _unit(payload.validated_data["unit"])
    values, _clear = _values(procedure, payload.validated_data["data"])
    try:
        services.submission_check(
            applicant=request.user, procedure=procedure, receiving_unit=unit
        )
        prefilled = schema_prefill(
            procedure.form_schema, profile_prefill(user=_citizen(request))
        )
        draft = services.draft_create(
            owner=request.user,
            procedure=procedure,
            receiving_unit=unit,
            data={**prefilled, **values},
            step=wizard.REVIEW_STEP,
        )
    except services.DossierError as exc:
        return error_response(exc)
    return _answer(draft, status.HTTP_201_CREATED)


@extend_schema(methods=["GET", "DELETE"], responses={200: DraftSerializer, 204: None})
@extend_schema(
    methods=["PATCH"], request=DraftUpdateSerializer, responses=DraftSerializer
)
@api_view(["GET", "PATCH", "DELETE"])
@permission_classes(CITIZEN)
def draft_detail(request: Request, pk: int) -> Response:
    draft = _draft(request, pk)
    if request.method == "DELETE":
        services.draft_delete(draft=draft)
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "PATCH":
        payload = DraftUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        unit = None
        if "unit" in payload.validated_data:
            unit = _unit(payload.validated_data["unit"])
            try:
                services.submission_check(
                    applicant=request.user,
                    procedure=draft.procedure,
                    receiving_unit=unit,
                )
            except services.DossierError as exc:
                return error_response(exc)
        values, clear = _values(
            draft.procedure, payload.validated_data.get("data") or {}
        )
        draft = services.draft_update(
            draft=draft, values=values, clear=clear, receiving_unit=unit
        )
    return _answer(draft)


@extend_schema(
    request={
        "multipart/form-data": DraftAttachSerializer,
        "application/json": DraftAttachSerializer,
    },
    responses={201: DraftAttachmentSerializer},
)
@api_view(["POST"])
@permission_classes(CITIZEN)
def draft_attachments(request: Request, pk: int) -> Response:
    draft = _draft(request, pk)
    payload = DraftAttachSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    key = payload.validated_data["document_key"]
    try:
        services.document_key_check(
            procedure=draft.procedure, document_key=key, required=True
        )
        if "file" in payload.validated_data:
            attachment = services.attachment_add(
                uploaded_by=request.user,
                upload=payload.validated_data["file"],
                document_key=key,
                draft=draft,
            )
        else:
            attachment = services.draft_attach_stored_document(
                draft=draft,
                stored_document_id=payload.validated_data["stored_document"],
                document_key=key,
            )
    except services.DossierError as exc:
        return error_response(exc)
    return Response(
        DraftAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
    )


@extend_schema(request=None, responses={204: None})
@api_view(["DELETE"])
@permission_classes(CITIZEN)
def draft_attachment_detail(request: Request, pk: int, attachment_id: int) -> Response:
    draft = _draft(request, pk)
    try:
        services.draft_attachment_remove(draft=draft, attachment_id=attachment_id)
    except services.DossierError as exc:
        return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    request=None,
    parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    responses={
        201: SubmitResponseSerializer,
        403: inline_serializer(
            "DraftSubmitRefused", {"detail": serializers.CharField()}
        ),
    },
)
@api_view(["POST"])
@permission_classes(CITIZEN)
def draft_submit(request: Request, pk: int) -> Response:
    """File the draft; a repeat with the same key answers the same dossier even
    after the draft became it (without a key, the wizard's `draft-{id}`)."""
    key = idempotency_key(request) or f"draft-{pk}"
    fingerprint = services.request_fingerprint({"draft": pk})
    try:
        done = services.dossier_for_idempotency_key(
            applicant=request.user, key=key, fingerprint=fingerprint
        )
        if done is None:
            draft = _draft(request, pk)
            unit = draft.receiving_unit
            if unit is None:
                raise ValidationError({"unit": [_("Hãy chọn nơi nộp hồ sơ.")]})
            done = services.dossier_submit(
                applicant=request.user,
                procedure=draft.procedure,
                receiving_unit=unit,
                data=services.draft_values(draft),
                draft=draft,
                idempotency_key=key,
                idempotency_fingerprint=fingerprint,
            )
    except services.DossierError as exc:
        return error_response(exc)
    return submitted_response(done)


urlpatterns = [
    path("drafts/", draft_list, name="draft-list"),
    path("drafts/<int:pk>/", draft_detail, name="draft-detail"),
    path("drafts/<int:pk>/attachments/", draft_attachments, name="draft-attachments"),
    path(
        "drafts/<int:pk>/attachments/<int:attachment_id>/",
        draft_attachment_detail,
        name="draft-attachment-detail",
    ),
    path("drafts/<int:pk>/submit/", draft_submit, name="draft-submit"),
]
