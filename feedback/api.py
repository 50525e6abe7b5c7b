"""The feedback API under /api/v1/ (a contract, docs/feedback.md):

- `POST feedback/` sends a feedback (a citizen's account, or anonymous with a
  phone confirmed by `POST feedback/phone-code/`); `GET feedback/` lists a
  citizen's own, or a unit's for its officers;
- `GET feedback/public/?procedure=` lists published answers, personal data removed;
- `POST feedback/{id}/answer/` answers (the unit's officers; conduct: its leader).
"""

from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.ratelimit import rate_limit_hit_per_address

from . import services
from .models import Feedback
from .selectors import feedback_get_for_user, feedback_public, feedback_visible_to

app_name = "feedback-api"


class FeedbackSerializer(serializers.ModelSerializer[Feedback]):
    unit = serializers.CharField(source="org_unit.name")
    unit_code = serializers.CharField(source="org_unit.agency_code")
    procedure = serializers.CharField(source="procedure.code", allow_null=True)
    dossier = serializers.CharField(source="dossier.code", allow_null=True)
    status_display = serializers.CharField(source="get_status_display")
    late = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "code",
            "kind",
            "status",
            "status_display",
            "moderation_reason",
            "title",
            "content",
            "unit",
            "unit_code",
            "procedure",
            "dossier",
            "publish_consent",
            "received_at",
            "due_date",
            "answer",
            "answered_at",
            "published_at",
            "late",
        ]

    def get_late(self, obj: Feedback) -> bool:
        return obj.is_late()


class PublicFeedbackSerializer(serializers.ModelSerializer[Feedback]):
    unit = serializers.CharField(source="org_unit.name")
    procedure = serializers.CharField(source="procedure.code", allow_null=True)
    content = serializers.CharField(source="public_content")
    answer = serializers.CharField(source="public_answer")

    class Meta:
        model = Feedback
        fields = [
            "code",
            "kind",
            "title",
            "content",
            "answer",
            "unit",
            "procedure",
            "received_at",
            "answered_at",
        ]


class _Send(serializers.Serializer[Any]):
    kind = serializers.CharField(max_length=12)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=5000)
    publish_consent = serializers.BooleanField(required=False, default=False)
    procedure = serializers.CharField(max_length=40, required=False, default="")
    dossier = serializers.CharField(max_length=40, required=False, default="")
    unit = serializers.CharField(max_length=60, required=False, default="")
    name = serializers.CharField(max_length=150, required=False, default="")
    phone = serializers.CharField(max_length=20, required=False, default="")
    phone_challenge = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1
    )
    phone_code = serializers.CharField(max_length=12, required=False, default="")


class _Answer(serializers.Serializer[Any]):
    answer = serializers.CharField(max_length=5000)
    publish = serializers.BooleanField(required=False, default=False)


def _rate_limit(request: Request, *, scope: str, setting: str) -> None:
    """Per client address, counted once the body has the right shape (what is
    refused before costs nothing: no row, no SMS)."""
    wait = rate_limit_hit_per_address(
        request._request, scope=scope, rate=getattr(settings, setting)
    )
    if wait is not None:
        raise Throttled(wait=wait)


def _invalid(form: serializers.Serializer[Any]) -> Response:
    return Response(
        {"detail": _("Dữ liệu gửi lên chưa hợp lệ."), "errors": form.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _refused(exc: services.FeedbackError) -> Response:
    code = (
        status.HTTP_403_FORBIDDEN
        if isinstance(exc, services.FeedbackNotAllowed)
        else status.HTTP_400_BAD_REQUEST
    )
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["errors"] = {exc.field: [exc.message]}
    return Response(body, status=code)


_LIST = PageNumberPagination
# A refusal: the reason, and by field what to correct.
_REFUSED = inline_serializer(
    "FeedbackRefused",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
        ),
    },
)


def _paginated(name: str, serializer: Any) -> Any:
    # Paginated (PageNumberPagination): say so, or clients expect a bare list.
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


@extend_schema(
    methods=["GET"],
    responses=_paginated("PaginatedFeedbackList", FeedbackSerializer),
    parameters=[OpenApiParameter("page", int)],
)
@extend_schema(
    methods=["POST"],
    request=_Send,
    responses={
        201: FeedbackSerializer,
        400: _REFUSED,
        403: inline_serializer(
            "FeedbackForbidden", {"detail": serializers.CharField()}
        ),
    },
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def feedback_list(request: Request) -> Response:
    """GET: the citizen's own feedback, or their unit's for officers. POST: send
    one (files as multipart `files`); anonymous senders confirm their phone."""
    user = request.user if request.user.is_authenticated else None
    if request.method == "GET":
        if user is None:
            raise NotAuthenticated
        paginator = _LIST()
        rows = feedback_visible_to(user=user).order_by("-received_at", "-pk")
        page = paginator.paginate_queryset(rows, request)
        return paginator.get_paginated_response(
            FeedbackSerializer(page, many=True).data
        )
    if user is not None and not user.is_citizen:
        raise PermissionDenied(_("Tài khoản cán bộ không gửi phản ánh."))
    form = _Send(data=request.data)
    if not form.is_valid():
        return _invalid(form)
    data = form.validated_data
    _rate_limit(request, scope="feedback-send", setting="FEEDBACK_RATE_PER_ADDRESS")
    files = request.FILES.getlist("files") if request.FILES else []
    try:
        feedback = services.feedback_submit(
            sender=user,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            publish_consent=data["publish_consent"],
            procedure_code=data["procedure"],
            dossier_code=data["dossier"],
            unit_code=data["unit"],
            sender_name=data["name"],
            phone=data["phone"],
            phone_challenge=data["phone_challenge"],
            phone_code=data["phone_code"],
            files=files,
            language=services.language_of(getattr(request, "LANGUAGE_CODE", None)),
        )
    except services.FeedbackError as exc:
        return _refused(exc)
    return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


@extend_schema(
    request=inline_serializer("PhoneCodeAsked", {"phone": serializers.CharField()}),
    responses={
        201: inline_serializer(
            "PhoneCodeSent",
            {
                "phone_challenge": serializers.IntegerField(),
                "expires_at": serializers.DateTimeField(),
            },
        ),
        400: _REFUSED,
    },
)
@api_view(["POST"])
@permission_classes([AllowAny])
def feedback_phone_code(request: Request) -> Response:
    """Send an SMS code confirming an anonymous sender's phone."""
    phone = request.data.get("phone") if hasattr(request.data, "get") else None
    if not isinstance(phone, str):
        return Response(
            {
                "detail": _("Nhập số điện thoại."),
                "errors": {"phone": [_("Nhập số điện thoại.")]},
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    try:
        number = services.phone_checked(phone)
    except services.FeedbackError as exc:
        return _refused(exc)
    _rate_limit(
        request, scope="feedback-code", setting="FEEDBACK_CODE_RATE_PER_ADDRESS"
    )
    try:
        challenge = services.feedback_phone_code_send(phone=number)
    except services.FeedbackError as exc:
        return _refused(exc)
    return Response(
        {"phone_challenge": challenge.pk, "expires_at": challenge.expires_at},
        status=status.HTTP_201_CREATED,
    )


@extend_schema(
    responses=_paginated("PaginatedPublicFeedbackList", PublicFeedbackSerializer),
    parameters=[
        OpenApiParameter("procedure", str),
        OpenApiParameter("q", str),
        OpenApiParameter("page", int),
    ],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def feedback_public_list(request: Request) -> Response:
    """Published answers with personal data removed; by procedure code, words."""
    rows = feedback_public(
        procedure=str(request.query_params.get("procedure", ""))[:40],
        query=str(request.query_params.get("q", ""))[:100],
    )
    paginator = _LIST()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(
        PublicFeedbackSerializer(page, many=True).data
    )


@extend_schema(
    request=_Answer,
    responses={
        200: FeedbackSerializer,
        400: _REFUSED,
    },
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def feedback_answer(request: Request, pk: int) -> Response:
    """Answer a feedback of one's unit; `publish` shows it publicly when the
    sender agreed."""
    if not getattr(request.user, "is_officer", False):
        raise PermissionDenied
    feedback = feedback_get_for_user(user=request.user, pk=pk)
    form = _Answer(data=request.data)
    if not form.is_valid():
        return _invalid(form)
    try:
        feedback = services.feedback_answer(
            feedback=feedback,
            officer=request.user,
            answer=form.validated_data["answer"],
            publish=form.validated_data["publish"],
        )
    except services.FeedbackError as exc:
        return _refused(exc)
    return Response(FeedbackSerializer(feedback).data)


urlpatterns = [
    path("feedback/", feedback_list, name="feedback-list"),
    path("feedback/phone-code/", feedback_phone_code, name="feedback-phone-code"),
    path("feedback/public/", feedback_public_list, name="feedback-public"),
    path("feedback/<int:pk>/answer/", feedback_answer, name="feedback-answer"),
]
