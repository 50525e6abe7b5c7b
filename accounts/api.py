"""API of accounts under /api/v1/: token login and the current user.

Included by portal/urls.py with `include("accounts.api")`.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_login_failed
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
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

from .models import User
from .policy import EID_ONLY_MESSAGE, password_login_allowed
from .ratelimit import client_ip, rate_limit_hit
from .services import api_token_create

app_name = "accounts-api"

GENERIC_TOKEN_ERROR = _(
    "Đăng nhập không thành công: kiểm tra tên đăng nhập, mật khẩu và mã xác thực."
)
TOO_MANY_TOKEN_REQUESTS = _(
    "Địa chỉ này đã gửi quá nhiều yêu cầu đăng nhập. Vui lòng thử lại sau "
    "%(seconds)d giây."
)


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(max_length=8, required=False, allow_blank=True)


class MeSerializer(serializers.Serializer[User]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.SerializerMethodField()
    identity_level = serializers.IntegerField()
    org_unit = serializers.SerializerMethodField()

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles)

    def get_org_unit(self, user: User) -> dict[str, Any] | None:
        unit = user.org_unit
        if unit is None:
            return None
        return {"id": unit.pk, "name": unit.name, "agency_code": unit.agency_code}


def _refuse() -> Response:
    return Response(
        {"detail": str(GENERIC_TOKEN_ERROR)}, status=status.HTTP_400_BAD_REQUEST
    )


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer("Token", {"token": serializers.CharField()}),
        400: inline_serializer("TokenError", {"detail": serializers.CharField()}),
        429: inline_serializer("TokenThrottled", {"detail": serializers.CharField()}),
    },
    description=(
        "Exchange a username, password and (for staff accounts) the current TOTP "
        "code for an API token. Every failure answers 400 with one message and "
        "counts toward the lockout (5 failures per username and IP: 15 minutes). "
        "Requests per client address are limited too (LOGIN_RATE_LIMIT, shared "
        "with the login page): 429 with Retry-After."
    ),
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def auth_token(request: Request) -> Response:
    # The plain HttpRequest, so that django-axes counts and locks this endpoint.
    http_request = request._request
    wait = rate_limit_hit(
        scope="login", key=client_ip(http_request), limit=settings.LOGIN_RATE_LIMIT
    )
    if wait is not None:
        return Response(
            {"detail": TOO_MANY_TOKEN_REQUESTS % {"seconds": wait}},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    serializer = TokenRequestSerializer(data=request.data)
    if not serializer.is_valid():
        return _refuse()
    data = serializer.validated_data
    user = authenticate(
        http_request, username=data["username"], password=data["password"]
    )
    if not isinstance(user, User):
        return _refuse()
    if not password_login_allowed(user):
        return Response({"detail": EID_ONLY_MESSAGE}, status=status.HTTP_403_FORBIDDEN)
    if user.requires_otp:
        otp = "".join(str(data.get("otp") or "").split())
        if not otp or match_token(user, otp) is None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.username},
                request=http_request,
            )
            return _refuse()
    return Response({"token": api_token_create(user=user)})


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The logged-in user: roles, identity level and organisation unit."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated
    return Response(MeSerializer(user).data)


urlpatterns = [
    path("auth/token/", auth_token, name="auth-token"),
    path("me/", me, name="me"),
]
