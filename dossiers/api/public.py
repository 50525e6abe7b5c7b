"""The open dossier API: tracking, result verification, the due-date calculator."""

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from accounts.ratelimit import rate_limit_hit_per_address
from signing.selectors import PROBLEMS

from .. import services
from ..selectors import (
    dossier_events,
    dossier_track,
    result_get_by_token,
    result_is_valid,
    result_verification,
)
from .helpers import procedure_of_code
from .serializers import EventSerializer


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
            "dossier_code": serializers.CharField(),
            "valid": serializers.BooleanField(),
            "signed": serializers.BooleanField(),
            "signed_by": serializers.CharField(allow_null=True),
            "signed_at": serializers.DateTimeField(allow_null=True),
            "document_sha256": serializers.CharField(allow_null=True),
            "problem": serializers.ChoiceField(
                choices=["revoked", *PROBLEMS], allow_null=True
            ),
            "message": serializers.CharField(),
        },
    ),
    description=(
        "valid: the result is not revoked and, when it has an electronic "
        "document, the stored file is the one its agency signed (same SHA-256) "
        "and the PDF signature checks out against the trust roots. signed_by is "
        "the certificate's common name, document_sha256 the hash of the file as "
        "signed; problem says why it is not valid, message says it to a citizen."
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify(request: Request, token: str) -> Response:
    from ..views.shared import mask_name

    result = result_get_by_token(token=token)
    verification = result_verification(result=result)
    valid = result_is_valid(result=result, verification=verification)
    if result.revoked_at is not None:
        problem: str | None = "revoked"
        message = _("Kết quả này đã bị thu hồi, không còn giá trị.")
    elif verification is not None and not verification.valid:
        problem, message = verification.problem, verification.message()
    else:
        problem = None
        message = (
            verification.message()
            if verification is not None
            else _("Kết quả này do Cổng cấp và còn giá trị.")
        )
    return Response(
        {
            "title": result.title,
            "number": result.number,
            "holder": mask_name(result.dossier.applicant.full_name),
            "issued_by": result.issued_by_unit.name,
            "issued_at": result.issued_at,
            "dossier_code": result.dossier.code,
            "valid": valid,
            "signed": bool(verification and verification.signed),
            "signed_by": verification.signed_by
            if verification and verification.signed
            else None,
            "signed_at": verification.signed_at if verification else None,
            "document_sha256": verification.document_sha256 or None
            if verification
            else None,
            "problem": problem,
            "message": message,
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
    procedure = procedure_of_code(request.query_params.get("procedure", ""))
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
