"""DRF permissions matching the view decorators."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


def identity_level_permission(level: int) -> type[BasePermission]:
    """A permission class requiring an electronic identity of at least `level`."""

    class IdentityLevelRequired(BasePermission):
        message = _(
            "Việc này cần tài khoản định danh điện tử mức độ %(level)d: đăng nhập "
            "bằng định danh điện tử."
        ) % {"level": level}

        def has_permission(self, request: Request, view: Any) -> bool:
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and getattr(user, "identity_level", 0) >= level
            )

    return IdentityLevelRequired
