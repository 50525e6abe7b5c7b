"""The dossier API under /api/v1/. Every route reads dossiers through the access
selectors, so a dossier that is not the caller's is a 404."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from accounts.ratelimit import rate_limit_hit_per_address
from procedures.models import Procedure
from procedures.selectors import procedure_by_code
from units.models import OrgUnit

from . import hooks, services
from .calendar import explain_steps
from .lifecycle import TRANSITIONS, available_actions
from .models import Attachment, Dossier, Event
from .selectors import (
    dossier_events,
    dossier_get_for_user,
    dossier_timeliness,
    dossier_track,
    dossiers_visible_to,
    result_get_by_token,
)

app_name = "dossiers_api"


# --- Serializers ------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer[Event]):
    actor_unit = serializers.CharField(source="actor_unit.name", default=None)

    class Meta:
        model = Event
        fields = ["action", "at", "from_status", "to_status", "note", "actor_unit"]


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "document_key", "original_name", "content_type", "size", "url"]

    def get_url(self, obj: Attachment) -> str:
        from django.urls import reverse

        code = obj.dossier.code if obj.dossier is not None else ""
        return reverse(
            "dossiers:attachment-download", kwargs={"code": code, "pk": obj.pk}
        )


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.agency_code")
    processing_unit = serializers.CharField(
        source="processing_unit.agency_code", default=None, allow_null=True
    )
    status_display = serializers.CharField(source="get_status_display")
    due_explanation = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    assisted = serializers.BooleanField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "status",
            "status_display",
            "channel",
            "assisted",
            "receiving_unit",
            "processing_unit",
            "submitted_at",
            "received_at",
            "due_at",
            "due_explanation",
            "timeliness",
            "completed_at",
            "returned_at",
            "fee_vnd",
        ]

    def get_due_explanation(self, obj: Dossier) -> str:
        return explain_steps(obj.due_steps)

    def get_timeliness(self, obj: Dossier) -> str | None:
        return dossier_timeliness(obj)


class DossierDetailSerializer(DossierSerializer):
    data = serializers.JSONField()  # type: ignore[assignment]
    events = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "data",
            "events",
            "attachments",
            "result",
            "actions",
        ]

    def get_events(self, obj: Dossier) -> list[dict[str, Any]]:
        return EventSerializer(dossier_events(dossier=obj), many=True).data  # type: ignore[return-value]

    def get_attachments(self, obj: Dossier) -> list[dict[str, Any]]:
        return AttachmentSerializer(obj.attachments.all(), many=True).data  # type: ignore[return-value]

    def get_result(self, obj: Dossier) -> dict[str, Any] | None:
        result = getattr(obj, "result", None)
        if result is None:
            return None
        return {
            "title": result.title,
            "number": result.number,
            "issued_at": result.issued_at,
            "verify_url": result.get_absolute_url(),
            "digitized": bool(result.file),
        }

    def get_actions(self, obj: Dossier) -> list[str]:
        return available_actions(self.context["request"].user, obj)

    def to_representation(self, instance: Dossier) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        # Fields added by the apps above, e.g. `steps` of a linked dossier.
        data.update(
            hooks.api_extras_for(dossier=instance, request=self.context["request"])
        )
        return data


class SubmitSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(
        help_text="National procedure code, e.g. 1.001193"
    )
    unit = serializers.CharField(help_text="Agency identifier of the receiving unit")
    data = serializers.DictField()  # type: ignore[assignment]


class SubmitResponseSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    due_explanation = serializers.CharField()


class ActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=[*TRANSITIONS, "assign"])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(), required=False)
    to_unit = serializers.CharField(required=False)
    assignee = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    number = serializers.CharField(required=False, allow_blank=True)
    method = serializers.ChoiceField(
        choices=["counter", "post", "online"], required=False
    )
    new_due_date = serializers.DateField(required=False)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False)
    overall = serializers.CharField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


# --- Helpers ----------------------------------------------------------------------


def error_response(exc: services.DossierError) -> Response:
    """A refused service call as the API answers it."""
    code: int
    if isinstance(exc, services.IllegalTransition):
        code = status.HTTP_409_CONFLICT
    elif isinstance(exc, services.ActionNotAllowed):
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, services.IdempotencyKeyReused):
        code = status.HTTP_422_UNPROCESSABLE_ENTITY
    else:
        code = status.HTTP_400_BAD_REQUEST
    body: dict[str, Any] = {"detail": exc.message}
    if isinstance(exc, services.InvalidDossierData):
        body["errors"] = exc.errors
    if isinstance(exc, services.UnitNotReceiving):
        body["errors"] = {"unit": [exc.message]}
    if isinstance(exc, services.StorageFull):
        # The server's passing trouble: come back later (portal/unavailable.py).
        return Response(
            body,
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)},
        )
    return Response(body, status=code)


def _require(data: dict[str, Any], *names: str) -> None:
    missing = {
        name: [_("Trường này là bắt buộc.")] for name in names if not data.get(name)
    }
    if missing:
        raise ValidationError(missing)


def _procedure(code: str) -> Procedure:
    procedure = procedure_by_code(code=code)
    if procedure is None:
        raise ValidationError({"procedure": [_("Không có thủ tục mang mã này.")]})
    return procedure


def _colleague(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"assignee": [_("Không tìm thấy cán bộ này.")]})
    return user


def _do_action(request: Request, dossier: Dossier, data: dict[str, Any]) -> Dossier:
    user = request.user
    action = data["action"]
    note = data.get("note", "")
    if action == "receive":
        return services.dossier_receive(dossier=dossier, actor=user, note=note)
    if action == "request_supplement":
        return services.dossier_request_supplement(
            dossier=dossier, actor=user, items=data.get("items") or [], reason=note
        )
    if action == "supplement":
        return services.dossier_supplement(dossier=dossier, actor=user, note=note)
    if action == "forward":
        _require(data, "to_unit")
        unit = OrgUnit.objects.filter(
            agency_code=data["to_unit"], is_active=True
        ).first()
        if unit is None:
            raise ValidationError({"to_unit": [_("Không tìm thấy đơn vị này.")]})
        assignee = _colleague(data["assignee"]) if data.get("assignee") else None
        return services.dossier_forward(
            dossier=dossier, actor=user, to_unit=unit, assignee=assignee, note=note
        )
    if action == "approve":
        return services.dossier_approve(dossier=dossier, actor=user, note=note)
    if action == "issue_result":
        _require(data, "title")
        upload = request.FILES.get("file")
        return services.dossier_issue_result(
            dossier=dossier,
            actor=user,
            title=data["title"],
            number=data.get("number", ""),
            file=upload,
        )
    if action == "return_result":
        _require(data, "method")
        return services.dossier_return_result(
            dossier=dossier, actor=user, method=data["method"], note=note
        )
    if action == "refuse":
        return services.dossier_refuse(dossier=dossier, actor=user, reason=note)
    if action == "stop":
        return services.dossier_stop(dossier=dossier, actor=user, reason=note)
    if action == "withdraw":
        return services.dossier_withdraw(dossier=dossier, actor=user, reason=note)
    if action == "apologize":
        _require(data, "new_due_date")
        return services.dossier_apologize(
            dossier=dossier, actor=user, new_due_date=data["new_due_date"], reason=note
        )
    if action == "rate":
        _require(data, "scores", "overall")
        return services.dossier_rate(
            dossier=dossier,
            actor=user,
            scores={str(k): v for k, v in data["scores"].items()},
            overall=data["overall"],
            comment=data.get("comment", ""),
        )
    if action == "assign":
        _require(data, "assignee")
        return services.dossier_assign(
            dossier=dossier, actor=user, assignee=_colleague(data["assignee"])
        )
    raise ValidationError({"action": [_("Thao tác không hợp lệ.")]})


# --- Views ------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    parameters=[
        OpenApiParameter("status", str),
        OpenApiParameter("unit", str, description="Agency identifier"),
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
    procedure = _procedure(payload.validated_data["procedure"])
    unit = OrgUnit.objects.filter(agency_code=payload.validated_data["unit"]).first()
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
        dossier = _do_action(request, dossier, payload.validated_data)
    except services.DossierError as exc:
        return error_response(exc)
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


class TrackingThrottle(BaseThrottle):
    """Per client address, signed in or not: codes must not be guessable. One
    count with the tracking page (THROTTLE_TRACK, scope "track"), so that
    alternating the page and the API does not double the guesses."""

    retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        self.retry_after = rate_limit_hit_per_address(
            request._request, scope="track", rate=settings.THROTTLE_TRACK
        )
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after


@extend_schema(
    parameters=[
        OpenApiParameter("code", str, required=True),
        OpenApiParameter("phone_last4", str, required=True),
    ],
    responses={
        200: inline_serializer(
            "Tracking",
            {
                "code": serializers.CharField(),
                "procedure": serializers.CharField(),
                "status": serializers.CharField(),
                "status_display": serializers.CharField(),
                "due_at": serializers.DateTimeField(),
                "events": EventSerializer(many=True),
            },
        )
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([TrackingThrottle])
def track(request: Request) -> Response:
    dossier = dossier_track(
        code=request.query_params.get("code", ""),
        phone_last4=request.query_params.get("phone_last4", ""),
    )
    if dossier is None:
        return Response(
            {"detail": _("Không tìm thấy hồ sơ với mã và số điện thoại này.")},
            status=status.HTTP_404_NOT_FOUND,
        )
    events = dossier_events(dossier=dossier, public_only=True)
    return Response(
        {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "status": dossier.status,
            "status_display": dossier.get_status_display(),
            "due_at": dossier.due_at,
            "events": EventSerializer(events, many=True).data,
        }
    )


@extend_schema(
    responses=inline_serializer(
        "Verification",
        {
            "title": serializers.CharField(),
            "number": serializers.CharField(),
            "holder": serializers.CharField(),
            "issued_by": serializers.CharField(),
            "issued_at": serializers.DateTimeField(),
            "valid": serializers.BooleanField(),
        },
    )
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify(request: Request, token: str) -> Response:
    from .views.shared import mask_name

    result = result_get_by_token(token=token)
    return Response(
        {
            "title": result.title,
            "number": result.number,
            "holder": mask_name(result.dossier.applicant.full_name),
            "issued_by": result.issued_by_unit.name,
            "issued_at": result.issued_at,
            "valid": result.revoked_at is None,
        }
    )


@extend_schema(
    parameters=[
        OpenApiParameter("procedure", str, required=True),
        OpenApiParameter("received_at", OpenApiTypes.DATETIME, required=True),
    ],
    responses=inline_serializer(
        "DueDate",
        {"due_at": serializers.DateTimeField(), "explanation": serializers.CharField()},
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def calendar_due(request: Request) -> Response:
    """The appointment calculator used at the counter before receiving a dossier."""
    procedure = _procedure(request.query_params.get("procedure", ""))
    raw = request.query_params.get("received_at", "")
    received_at = parse_datetime(raw) if raw else None
    day = parse_date(raw) if raw and received_at is None else None
    if day is not None:
        received_at = datetime.datetime.combine(day, datetime.time(8, 0))
    if received_at is None:
        raise ValidationError(
            {
                "received_at": [
                    _("Thời điểm tiếp nhận phải theo ISO 8601, ví dụ 2026-03-09T10:00.")
                ]
            }
        )
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    deadline = services.deadline_for(procedure=procedure, received_at=received_at)
    return Response({"due_at": deadline.due_at, "explanation": deadline.explain()})


urlpatterns = [
    path("dossiers/", dossier_list, name="dossier-list"),
    path("dossiers/<str:code>/", dossier_detail, name="dossier-detail"),
    path("dossiers/<str:code>/actions/", dossier_action, name="dossier-action"),
    path(
        "dossiers/<str:code>/attachments/",
        dossier_attachments,
        name="dossier-attachments",
    ),
    path("track/", track, name="track"),
    path("verify/<str:token>/", verify, name="verify"),
    path("calendar/due/", calendar_due, name="calendar-due"),
]
