"""The national portal in the API: `national` in the dossier detail (registered
in dossiers.hooks) and the national side's push of a dossier filed there
(`POST /api/v1/national/inbound/`, docs/national-portal.md)."""

import json
from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from dossiers.models import Dossier
from dossiers.services import DossierError, InvalidDossierData

from .inbound import PushRefused, PushUnsigned, inbound_receive, push_verify
from .services import sync_summary

app_name = "national_api"


def dossier_national(dossier: Dossier, request: Any) -> dict[str, Any]:
    return {"national": sync_summary(dossier=dossier)}


def _received(dossier: Dossier, code: int) -> Response:
    return Response(
        {
            "code": dossier.code,
            "national_code": dossier.national_link.national_code,
            "status": dossier.status,
        },
        status=code,
    )


_ANSWER = inline_serializer(
    "NationalInboundAnswer",
    {
        "code": serializers.CharField(),
        "national_code": serializers.CharField(),
        "status": serializers.CharField(),
    },
)


@extend_schema(
    request={"application/json": dict[str, Any]},
    parameters=[
        OpenApiParameter(
            "X-DVCQG-Timestamp",
            str,
            OpenApiParameter.HEADER,
            required=True,
            description="Unix time of signing; refused 5 minutes either side.",
        ),
        OpenApiParameter(
            "X-DVCQG-Signature",
            str,
            OpenApiParameter.HEADER,
            required=True,
            description="hex HMAC-SHA256 of '<timestamp>.<body>', shared secret.",
        ),
    ],
    responses={201: _ANSWER, 409: _ANSWER, 400: dict[str, Any], 401: dict[str, Any]},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def inbound(request: Request) -> Response:
    """A dossier filed on the national portal, pushed to its agency here: 201 with
    the local code, 409 with the dossier already received for that national code,
    400 for an invalid push, 401 for an unsigned or wrongly signed one (each
    changes nothing)."""
    body = request._request.body  # the signed bytes, before anything parses them
    try:
        push_verify(
            body=body,
            timestamp=request.headers.get("X-DVCQG-Timestamp", ""),
            signature=request.headers.get("X-DVCQG-Signature", ""),
        )
    except PushUnsigned:
        return Response(
            {"detail": _("Yêu cầu không có chữ ký hợp lệ của Cổng quốc gia.")},
            status=status.HTTP_401_UNAUTHORIZED,
        )
    try:
        push = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        push = None
    try:
        received = inbound_receive(push=push)
    except PushRefused as exc:
        return Response(
            {"detail": _("Dữ liệu hồ sơ không hợp lệ."), "errors": exc.errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    except InvalidDossierData as exc:
        return Response(
            {"detail": exc.message, "errors": {"data": exc.errors}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    except DossierError as exc:
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    code = status.HTTP_201_CREATED if received.created else status.HTTP_409_CONFLICT
    return _received(received.dossier, code)


urlpatterns = [path("national/inbound/", inbound, name="inbound")]
