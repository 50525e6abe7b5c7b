"""The signed-in dossier API: list and submit, detail, actions, attachments."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.addresses import absolute_url
from units.selectors import org_unit_by_code

from .. import services
from ..calendar import explain_steps
from ..models import Dossier, Origin
from ..selectors import dossier_get_for_user, dossiers_visible_to
from .helpers import action_do, error_response, procedure_of_code
from .serializers import (
    ActionSerializer,
    AttachmentSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    SubmitResponseSerializer,
    SubmitSerializer,
)

# --- Views ------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    parameters=[
        OpenApiParameter("status", str),
        OpenApiParameter(
            "unit",
            str,
            description="Agency identifier: received by, forwarded to or competent",
        ),
        OpenApiParameter("q", str, description="Code, applicant name or personal ID"),
    ],
    operation_id="dossiers_list",
    # The list is paginated (PageNumberPagination), as the chains' failed queue.
    responses=inline_serializer(
        "PaginatedDossierList",
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": DossierSerializer(many=True),
        },
    ),
)
@extend_schema(
    methods=["POST"],
    request=SubmitSerializer,
    parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    responses={
        201: SubmitResponseSerializer,
        403: inline_serializer("SubmitRefused", {"detail": serializers.CharField()}),
    },
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def dossier_list(request: Request) -> Response:
    if request.method == "POST":
        return _submit(request)
    dossiers = dossiers_visible_to(user=request.user)
    params = request.query_params
    if params.get("status"):
        dossiers = dossiers.filter(status=params["status"])
    if params.get("unit"):
        dossiers = dossiers.filter(
            Q(receiving_unit__agency_code=params["unit"])
            | Q(processing_unit__agency_code=params["unit"])
            | Q(competent_unit__agency_code=params["unit"])
        )
    if params.get("q"):
        q = params["q"].strip()
        dossiers = dossiers.filter(
            Q(code__icontains=q)
            | Q(applicant__full_name__icontains=q)
            | Q(applicant__username=q)
        )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(dossiers.order_by("-submitted_at"), request)
    return paginator.get_paginated_response(DossierSerializer(page, many=True).data)


def _submit(request: Request) -> Response:
    try:  # before reading the body: staff are refused whatever they send
        services.applicant_check(applicant=request.user)
    except services.DossierError as exc:
        return error_response(exc)
    payload = SubmitSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    procedure = procedure_of_code(payload.validated_data["procedure"])
    unit = org_unit_by_code(code=payload.validated_data["unit"])
    if unit is None:
        raise ValidationError({"unit": [_("Không có cơ quan mang mã định danh này.")]})
    try:
        dossier = services.dossier_submit(
            applicant=request.user,
            procedure=procedure,
            receiving_unit=unit,
            data=payload.validated_data["data"],
            idempotency_key=idempotency_key(request),
            idempotency_fingerprint=services.request_fingerprint(
                {
                    "procedure": procedure.code,
                    "unit": unit.agency_code,
                    "data": payload.validated_data["data"],
                }
            ),
        )
    except services.DossierError as exc:
        return error_response(exc)
    return submitted_response(dossier)


def idempotency_key(request: Request) -> str:
    return str(request.headers.get("Idempotency-Key", ""))[:64]


def submitted_response(dossier: Dossier) -> Response:
    """What a submission answers (POST /api/v1/dossiers/ and a draft's submit)."""
    return Response(
        {
            "code": dossier.code,
            "status": dossier.status,
            "submitted_at": dossier.submitted_at,
            "due_at": dossier.due_at,
            "due_explanation": explain_steps(dossier.due_steps),
        },
        status=status.HTTP_201_CREATED,
    )


@extend_schema(responses=DossierDetailSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def dossier_detail(request: Request, code: str) -> Response:
    dossier = dossier_get_for_user(user=request.user, code=code)
    services.dossier_record_view(
        user=request.user, dossier=dossier, context="xem qua API"
    )
    return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


@extend_schema(request=ActionSerializer, responses=DossierDetailSerializer)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def dossier_action(request: Request, code: str) -> Response:
    dossier = dossier_get_for_user(user=request.user, code=code)
    payload = ActionSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        dossier = action_do(request, dossier, payload.validated_data)
    except services.DossierError as exc:
        return error_response(exc)
    except DjangoValidationError as exc:
        # An uploaded file refused by its check (empty, too large, not a PDF or
        # an image): a 400 naming it, never a server error.
        raise ValidationError({"file": exc.messages}) from exc
    dossier = dossier_get_for_user(user=request.user, code=code)
    return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


@extend_schema(
    request={
        "multipart/form-data": inline_serializer(
            "AttachmentUpload",
            {"file": serializers.FileField(), "document_key": serializers.CharField()},
        )
    },
    responses={201: AttachmentSerializer},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser, FormParser])
def dossier_attachments(request: Request, code: str) -> Response:
    dossier = dossier_get_for_user(user=request.user, code=code)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": [_("Hãy chọn tệp.")]})
    try:
        attachment = services.attachment_add_to_dossier(
            dossier=dossier,
            uploaded_by=request.user,
            upload=upload,
            document_key=str(request.POST.get("document_key", "")),
        )
    except services.DossierError as exc:
        return error_response(exc)
    return Response(
        AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
    )


StopRequestSerializer = inline_serializer(
    "StopRequest",
    {
        "reason": serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=500,
            help_text="Lý do đề nghị dừng (không bắt buộc).",
        )
    },
)


@extend_schema(
    summary="Đề nghị dừng giải quyết hồ sơ",
    description=(
        "The applicant asks to stop their dossier (Circular 03/2025/TT-VPCP art. "
        "7). The status is checked: when nothing has been decided (no approval, no "
        "result) the dossier stops and the stop notice (form 05) is issued: 200 "
        "with its address. Otherwise 409 with the reason. Only the applicant may "
        "ask (others who may see the dossier: 403)."
    ),
    request=StopRequestSerializer,
    responses={
        200: inline_serializer(
            "StopNotice",
            {
                "code": serializers.CharField(),
                "status": serializers.CharField(),
                "stop_notice": serializers.URLField(
                    help_text="Địa chỉ của thông báo dừng giải quyết hồ sơ (PDF)."
                ),
            },
        ),
        403: inline_serializer("StopForbidden", {"detail": serializers.CharField()}),
        409: inline_serializer("StopRefused", {"detail": serializers.CharField()}),
    },
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def dossier_stop_request(request: Request, code: str) -> Response:
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier.applicant_id != request.user.pk:
        return Response(
            {"detail": _("Chỉ người nộp hồ sơ mới đề nghị dừng giải quyết được.")},
            status=status.HTTP_403_FORBIDDEN,
        )
    if not isinstance(request.data, dict):
        raise ValidationError({"reason": [_("Dữ liệu gửi lên phải là một đối tượng.")]})
    reason = request.data.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 500:
        raise ValidationError(
            {"reason": [_("Lý do là một đoạn chữ, tối đa 500 ký tự.")]}
        )
    try:
        dossier = services.dossier_stop(
            dossier=dossier,
            actor=request.user,
            origin=Origin.CITIZEN,
            reason=reason,
            on_request=True,
        )
    except services.DossierError as exc:
        return error_response(exc)
    notice = reverse("dossiers:slip-pdf", args=[dossier.code, "stop"])
    return Response(
        {
            "code": dossier.code,
            "status": dossier.status,
            "stop_notice": absolute_url(notice, request),
        }
    )
